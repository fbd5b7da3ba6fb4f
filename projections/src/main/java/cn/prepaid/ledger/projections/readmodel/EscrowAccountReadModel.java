package cn.prepaid.ledger.projections.readmodel;

import cn.prepaid.ledger.core.account.EscrowAccountEvent;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.AccountFrozen;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.AccountUnfrozen;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.AdjustmentPosted;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.BankFeeCharged;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.EscrowAccountOpened;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.EarnedTake;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.FundsReleased;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.FundsTransferredOut;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.HeldOutflowApproved;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.HeldOutflowRejected;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.InterestCredited;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.LessonsConsumed;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.OutflowHeld;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.RefundDisputeClosed;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.RefundDisputeOpened;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.RefundObligationsEstablished;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.SupervisionTermsChanged;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.TuitionDeposited;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.TuitionRefunded;
import cn.prepaid.ledger.core.account.OutflowType;
import cn.prepaid.ledger.projections.EventAtomicity;
import cn.prepaid.ledger.projections.PostgresTime;
import cn.prepaid.ledger.projections.ProcessorBatch;
import cn.prepaid.ledger.projections.RowsAtCommit;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

/**
 * Accounts, their orders and their held outflows as regulators read them. Every event is guarded by the
 * account's {@code last_sequence < seq}, and the order and held-outflow rows an event touches change only
 * when that guard passed: an event applied twice changes nothing. The account rows' positions and money
 * columns and the new orders are written once per batch ({@link AccountViewChanges}); the rarer events
 * write their own statements, after what the batch holds.
 */
@Component
@ProcessingGroup(ReadModels.PROCESSING_GROUP)
public class EscrowAccountReadModel {

    /** Released by a release, or taken as earned value by a transfer out. */
    private static final String RELEASE_FROM_ORDER =
            "update order_view set released_fen = released_fen + ? where account_id = ? and order_id = ?";

    private static final String INSERT_OBLIGATION = "insert into refund_obligation_view (account_id, order_id, "
            + "institution_id, student_ref, amount_fen, established_at) select ?, ?, a.institution_id, ?, ?, ? "
            + "from account_view a where a.account_id = ? on conflict (account_id, order_id) do nothing";

    /** Refunds after the closure pay the family's obligation; refunds before it left nothing owed to pay. */
    private static final String PAY_OBLIGATION = "update refund_obligation_view set paid_fen = paid_fen + ? "
            + "where account_id = ? and order_id = ?";

    private static final String RECORD_HELD_POSTING = "update held_outflow_view set posting_id = ? "
            + "where held_outflow_id = ?";

    private static final String INSERT_ORDERS = "insert into order_view (account_id, order_id, student_ref, lessons, "
            + "lesson_price_fen, paid_fen, course_start, course_end, deposited_at) select * from unnest(?::varchar[], "
            + "?::varchar[], ?::varchar[], ?::int[], ?::bigint[], ?::bigint[], ?::varchar[]::date[], "
            + "?::varchar[]::date[], ?::varchar[]::timestamptz[]) on conflict (account_id, order_id) do nothing";

    private final JdbcTemplate jdbc;
    private final EventAtomicity eventAtomicity;
    private final AccountViewChanges accounts;
    /** Orders of the batch's deposits, written with the batch, or before any statement on order_view. */
    private final RowsAtCommit<TuitionDeposited> orders;

    public EscrowAccountReadModel(JdbcTemplate jdbc, EventAtomicity eventAtomicity) {
        this.jdbc = jdbc;
        this.eventAtomicity = eventAtomicity;
        this.accounts = new AccountViewChanges(jdbc);
        this.orders = new RowsAtCommit<>(this::insertOrders, 2_000);
    }

    @EventHandler
    void on(EscrowAccountOpened e, @SequenceNumber long seq) {
        jdbc.update("insert into account_view (account_id, institution_id, region_code, bank_code, bank_account_no, "
                        + "supervision_mode, institution_status, minimum_balance_fen, liability_ratio_bp, opened_at, "
                        + "last_sequence) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (account_id) do nothing",
                e.accountId(), e.institutionId(), e.regionCode(), e.bankCode(), e.bankAccountNo(),
                e.supervisionMode().name(), e.institutionStatus().name(), e.policy().minimumBalanceFen(),
                e.policy().liabilityRatioBp(), ts(e.occurredAt()), seq);
    }

    @EventHandler
    void on(TuitionDeposited e, @SequenceNumber long seq) {
        eventAtomicity.atomically(() -> {
            AccountViewChanges.Account account = accounts.advance(e.accountId(), seq);
            if (account != null) {
                account.balanceFen = e.balanceAfterFen();
                account.liabilityFen += e.amountFen();
                account.orderCount++;
                orders.add(e);
            }
        });
    }

    @EventHandler
    void on(LessonsConsumed e, @SequenceNumber long seq) {
        eventAtomicity.atomically(() -> {
            AccountViewChanges.Account account = accounts.advance(e.accountId(), seq);
            if (account != null) {
                account.liabilityFen -= e.consumedValueFen();
                account.consumedValueFen += e.consumedValueFen();
                orders.flush();
                jdbc.update("update order_view set lessons_consumed = lessons_consumed + ? where account_id = ? "
                        + "and order_id = ?", e.lessons(), e.accountId(), e.orderId());
            }
        });
    }

    @EventHandler
    void on(FundsReleased e, @SequenceNumber long seq) {
        eventAtomicity.atomically(() -> {
            AccountViewChanges.Account account = accounts.advance(e.accountId(), seq);
            if (account != null) {
                long heldAmount = e.heldOutflowId() == null ? 0 : e.amountFen();
                account.balanceFen = e.balanceAfterFen();
                account.releasedFen += e.amountFen();
                account.heldReleaseFen -= heldAmount;
                account.reservedFen -= heldAmount;
                orders.flush();
                jdbc.update(RELEASE_FROM_ORDER, e.amountFen(), e.accountId(), e.orderId());
                recordHeldPosting(e.heldOutflowId(), e.postingId());
            }
        });
    }

    @EventHandler
    void on(TuitionRefunded e, @SequenceNumber long seq) {
        eventAtomicity.atomically(() -> {
            AccountViewChanges.Account account = accounts.advance(e.accountId(), seq);
            if (account != null) {
                account.balanceFen = e.balanceAfterFen();
                account.liabilityFen -= e.amountFen();
                orders.flush();
                jdbc.update("update order_view set refunded_fen = refunded_fen + ? where account_id = ? and order_id = ?",
                        e.amountFen(), e.accountId(), e.orderId());
                jdbc.update(PAY_OBLIGATION, e.amountFen(), e.accountId(), e.orderId());
            }
        });
    }

    @EventHandler
    void on(FundsTransferredOut e, @SequenceNumber long seq) {
        eventAtomicity.atomically(() -> {
            AccountViewChanges.Account account = accounts.advance(e.accountId(), seq);
            if (account != null) {
                account.balanceFen = e.balanceAfterFen();
                account.reservedFen -= e.heldOutflowId() == null ? 0 : e.amountFen();
                account.releasedFen += e.earnedFen();
                account.heldReleaseFen -= e.heldOutflowId() == null ? 0 : e.earnedFen();
                orders.flush();
                for (EarnedTake take : e.earnedFromOrders()) {
                    jdbc.update(RELEASE_FROM_ORDER, take.amountFen(), e.accountId(), take.orderId());
                }
                recordHeldPosting(e.heldOutflowId(), e.postingId());
            }
        });
    }

    @EventHandler
    void on(OutflowHeld e, @SequenceNumber long seq) {
        eventAtomicity.atomically(() -> {
            AccountViewChanges.Account account = accounts.advance(e.accountId(), seq);
            if (account != null) {
                account.reservedFen += e.amountFen();
                account.heldReleaseFen += (e.outflowType() == OutflowType.RELEASE ? e.amountFen() : 0) + e.earnedFen();
                jdbc.update("insert into held_outflow_view (held_outflow_id, account_id, type, order_id, amount_fen, "
                                + "bank_txn_id, held_at, status, earned_fen) values (?, ?, ?, ?, ?, ?, ?, 'PENDING', ?) "
                                + "on conflict (held_outflow_id) do nothing", e.heldOutflowId(), e.accountId(),
                        e.outflowType().name(), e.orderId(), e.amountFen(), e.bankTxnId(), ts(e.occurredAt()),
                        e.earnedFen());
            }
        });
    }

    @EventHandler
    void on(HeldOutflowApproved e, @SequenceNumber long seq) {
        eventAtomicity.atomically(() -> {
            if (accounts.advance(e.accountId(), seq) != null) {
                decide(e.heldOutflowId(), "APPROVED", e.decidedBy(), e.occurredAt(), e.note());
            }
        });
    }

    /** The reservation is freed; the held amount is read from the held outflow's own row. */
    @EventHandler
    void on(HeldOutflowRejected e, @SequenceNumber long seq) {
        eventAtomicity.atomically(() -> {
            accounts.writeNow(); // the statement reads and changes the row itself
            int applied = jdbc.update("update account_view a set reserved_fen = a.reserved_fen - h.amount_fen, "
                            + "held_release_fen = a.held_release_fen - case when h.type = 'RELEASE' then h.amount_fen else h.earned_fen end, "
                            + "last_sequence = ? from held_outflow_view h where h.held_outflow_id = ? "
                            + "and a.account_id = ? and a.last_sequence < ?",
                    seq, e.heldOutflowId(), e.accountId(), seq);
            if (applied == 1) {
                accounts.tookIn(e.accountId(), seq);
                decide(e.heldOutflowId(), "REJECTED", e.decidedBy(), e.occurredAt(), e.reason());
            }
        });
    }

    @EventHandler
    void on(InterestCredited e, @SequenceNumber long seq) {
        balanceOnly(e.accountId(), seq, e.balanceAfterFen());
    }

    @EventHandler
    void on(BankFeeCharged e, @SequenceNumber long seq) {
        balanceOnly(e.accountId(), seq, e.balanceAfterFen());
    }

    @EventHandler
    void on(AdjustmentPosted e, @SequenceNumber long seq) {
        balanceOnly(e.accountId(), seq, e.balanceAfterFen());
    }

    private void balanceOnly(String accountId, long seq, long balanceAfterFen) {
        eventAtomicity.atomically(() -> {
            AccountViewChanges.Account account = accounts.advance(accountId, seq);
            if (account != null) {
                account.balanceFen = balanceAfterFen;
            }
        });
    }

    @EventHandler
    void on(RefundDisputeOpened e, @SequenceNumber long seq) {
        eventAtomicity.atomically(() -> {
            if (accounts.advance(e.accountId(), seq) != null) {
                jdbc.update("insert into dispute_view (account_id, dispute_id, order_id, opened_by, reason, opened_at, "
                        + "status) values (?, ?, ?, ?, ?, ?, 'OPEN') on conflict (account_id, dispute_id) do nothing",
                        e.accountId(), e.disputeId(), e.orderId(), e.openedBy(), e.reason(), ts(e.occurredAt()));
            }
        });
    }

    @EventHandler
    void on(RefundDisputeClosed e, @SequenceNumber long seq) {
        eventAtomicity.atomically(() -> {
            if (accounts.advance(e.accountId(), seq) != null) {
                jdbc.update("update dispute_view set status = 'CLOSED', closed_at = ? where account_id = ? "
                        + "and dispute_id = ?", ts(e.occurredAt()), e.accountId(), e.disputeId());
            }
        });
    }

    @EventHandler
    void on(AccountFrozen e, @SequenceNumber long seq) {
        eventAtomicity.atomically(() -> advance(e.accountId(), seq, "frozen = true"));
    }

    @EventHandler
    void on(AccountUnfrozen e, @SequenceNumber long seq) {
        eventAtomicity.atomically(() -> advance(e.accountId(), seq, "frozen = false"));
    }

    @EventHandler
    void on(SupervisionTermsChanged e, @SequenceNumber long seq) {
        eventAtomicity.atomically(() -> advance(e.accountId(), seq, "institution_status = ?, supervision_mode = ?, "
                        + "minimum_balance_fen = ?, liability_ratio_bp = ?", e.institutionStatus().name(),
                e.supervisionMode().name(), e.policy().minimumBalanceFen(), e.policy().liabilityRatioBp()));
    }

    @EventHandler
    void on(RefundObligationsEstablished e, @SequenceNumber long seq) {
        eventAtomicity.atomically(() -> {
            if (advance(e.accountId(), seq, "institution_status = 'CLOSED'")) {
                jdbc.batchUpdate(INSERT_OBLIGATION, e.obligations().stream().map(o -> new Object[]{e.accountId(),
                        o.orderId(), o.studentRef(), o.amountFen(), ts(e.occurredAt()), e.accountId()}).toList());
            }
        });
    }

    /**
     * Every other account event (refusals, cap breaches, statements) changes no column but still
     * moves the position, so a reader can tell the view has caught up with the account.
     */
    @EventHandler
    void on(EscrowAccountEvent e, @SequenceNumber long seq) {
        eventAtomicity.atomically(() -> accounts.advance(e.accountId(), seq));
    }

    @ResetHandler
    void reset() {
        jdbc.update("truncate table account_view, order_view, held_outflow_view, dispute_view, "
                + "refund_obligation_view");
    }

    /**
     * Applies {@code assignments} (may be null: only the position moves) to the account if this event
     * is newer than the last one applied, with a statement of its own (for the rarer events: the row
     * is written with what the batch holds first); answers whether it was.
     */
    private boolean advance(String accountId, long seq, String assignments, Object... values) {
        accounts.writeNow();
        boolean applied = jdbc.update(advanceSql(assignments), advanceArgs(accountId, seq, values)) == 1;
        if (applied) {
            accounts.tookIn(accountId, seq);
        }
        return applied;
    }

    /** The update that moves the account's position, with the event's own assignments (may be null). */
    private static String advanceSql(String assignments) {
        return "update account_view set " + (assignments == null ? "" : assignments + ", ")
                + "last_sequence = ? where account_id = ? and last_sequence < ?";
    }

    /** The assignments' values, then the position's three. */
    private static Object[] advanceArgs(String accountId, long seq, Object[] values) {
        Object[] args = new Object[values.length + 3];
        System.arraycopy(values, 0, args, 0, values.length);
        args[values.length] = seq;
        args[values.length + 1] = accountId;
        args[values.length + 2] = seq;
        return args;
    }

    private void insertOrders(List<TuitionDeposited> deposits) {
        jdbc.update(INSERT_ORDERS, ProcessorBatch.columns(deposits)
                .of("varchar", TuitionDeposited::accountId)
                .of("varchar", TuitionDeposited::orderId)
                .of("varchar", TuitionDeposited::studentRef)
                .of("int", TuitionDeposited::lessons)
                .of("bigint", TuitionDeposited::lessonPriceFen)
                .of("bigint", TuitionDeposited::amountFen)
                .of("varchar", d -> d.courseStart().toString())
                .of("varchar", d -> d.courseEnd().toString())
                // as a parameter of its own would be kept: to the microsecond, half a microsecond up
                .of("varchar", d -> PostgresTime.asStored(d.occurredAt()).toString()).setter());
    }

    /** An approved held outflow's posting, for the bank that reads its held outflows. */
    private void recordHeldPosting(String heldOutflowId, String postingId) {
        if (heldOutflowId != null) {
            jdbc.update(RECORD_HELD_POSTING, postingId, heldOutflowId);
        }
    }

    private void decide(String heldOutflowId, String status, String by, Instant at, String note) {
        jdbc.update("update held_outflow_view set status = ?, decided_by = ?, decided_at = ?, decision_note = ? "
                + "where held_outflow_id = ? and status = 'PENDING'", status, by, ts(at), note, heldOutflowId);
    }

    static Timestamp ts(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }
}
