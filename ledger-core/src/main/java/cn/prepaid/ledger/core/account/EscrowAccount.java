package cn.prepaid.ledger.core.account;

import cn.prepaid.ledger.core.account.EscrowAccountCommand.ApplyInstitutionClosure;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.ApplySupervisionTerms;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.ApproveHeldOutflow;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.CloseRefundDispute;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.ConsumeLessons;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.DepositTuition;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.FreezeAccount;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.OpenEscrowAccount;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.OpenRefundDispute;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.PostAdjustment;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.Posting;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.ReconcileStatement;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.RecordBankFee;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.RecordInterest;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.RejectHeldOutflow;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.RequestRefund;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.RequestRelease;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.RequestTransferOut;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.UnfreezeAccount;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.AccountFrozen;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.AccountUnfrozen;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.AdjustmentPosted;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.BankFeeCharged;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.ChargeCapExceeded;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.EarnedTake;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.EscrowAccountOpened;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.FundsReleased;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.FundsTransferredOut;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.HeldOutflowApproved;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.HeldOutflowRejected;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.InterestCredited;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.LessonsConsumed;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.OutflowHeld;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.OutflowRejected;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.RefundObligation;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.RefundDisputeClosed;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.RefundDisputeOpened;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.RefundObligationsEstablished;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.StatementMismatched;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.StatementReconciled;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.SupervisionTermsChanged;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.TuitionDeposited;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.TuitionRefunded;
import cn.prepaid.ledger.core.account.PostingOutcome.Status;
import cn.prepaid.ledger.core.institution.InstitutionStatus;
import cn.prepaid.ledger.core.money.Money;
import cn.prepaid.ledger.core.policy.SupervisionMode;
import cn.prepaid.ledger.core.policy.SupervisionPolicy;
import cn.prepaid.ledger.core.rules.LedgerRuleException;
import cn.prepaid.ledger.core.rules.OutflowRejectionReason;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static cn.prepaid.ledger.core.rules.LedgerRejection.ACCOUNT_ALREADY_FROZEN;
import static cn.prepaid.ledger.core.rules.LedgerRejection.ACCOUNT_NOT_FROZEN;
import static cn.prepaid.ledger.core.rules.LedgerRejection.AMOUNT_INVALID;
import static cn.prepaid.ledger.core.rules.LedgerRejection.AMOUNT_MISMATCH;
import static cn.prepaid.ledger.core.rules.LedgerRejection.COURSE_DATES_INVALID;
import static cn.prepaid.ledger.core.rules.LedgerRejection.DISPUTE_ALREADY_CLOSED;
import static cn.prepaid.ledger.core.rules.LedgerRejection.DISPUTE_ALREADY_EXISTS;
import static cn.prepaid.ledger.core.rules.LedgerRejection.DISPUTE_NOT_FOUND;
import static cn.prepaid.ledger.core.rules.LedgerRejection.HELD_OUTFLOW_ALREADY_DECIDED;
import static cn.prepaid.ledger.core.rules.LedgerRejection.HELD_OUTFLOW_BLOCKED;
import static cn.prepaid.ledger.core.rules.LedgerRejection.HELD_OUTFLOW_NOT_FOUND;
import static cn.prepaid.ledger.core.rules.LedgerRejection.INSTITUTION_CLOSED;
import static cn.prepaid.ledger.core.rules.LedgerRejection.LESSONS_EXCEED_REMAINING;
import static cn.prepaid.ledger.core.rules.LedgerRejection.LESSONS_INVALID;
import static cn.prepaid.ledger.core.rules.LedgerRejection.OCCURRED_BEFORE_DEPOSIT;
import static cn.prepaid.ledger.core.rules.LedgerRejection.ORDER_ALREADY_EXISTS;
import static cn.prepaid.ledger.core.rules.LedgerRejection.ORDER_NOT_FOUND;
import static cn.prepaid.ledger.core.rules.LedgerRuleException.check;
import static cn.prepaid.ledger.core.rules.OutflowRejectionReason.ACCOUNT_FROZEN;
import static cn.prepaid.ledger.core.rules.OutflowRejectionReason.BREACHES_FLOOR;
import static cn.prepaid.ledger.core.rules.OutflowRejectionReason.EXCEEDS_REFUNDABLE;
import static cn.prepaid.ledger.core.rules.OutflowRejectionReason.EXCEEDS_RELEASABLE;
import static cn.prepaid.ledger.core.rules.OutflowRejectionReason.INSTITUTION_NOT_ACTIVE;
import static cn.prepaid.ledger.core.rules.OutflowRejectionReason.INSUFFICIENT_FUNDS;
import static cn.prepaid.ledger.core.rules.OutflowRejectionReason.ORDER_IN_DISPUTE;
import static cn.prepaid.ledger.core.rules.OutflowRejectionReason.UNKNOWN_ORDER;
import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * One supervised escrow account (预收费资金专户) at one custodian bank. It authorises outflows
 * against the rules of DOMAIN.md §4 and records the bank's unconditional facts. Command handlers
 * decide; event-sourcing handlers only change state.
 *
 * <p>Invariants held after every command:
 * <ul>
 *   <li>an authorised outflow never takes the balance below zero;</li>
 *   <li>a release never exceeds its order's consumed-but-unreleased value (FULL_CUSTODY) nor takes the
 *       institution's balance (all its accounts) below the institution's floor ({@link InstitutionFunds});</li>
 *   <li>a refund never exceeds its order's unconsumed value;</li>
 *   <li>nothing but refunds leaves a frozen account;</li>
 *   <li>held outflows are reserved, so an approval can always be paid.</li>
 * </ul>
 */
public class EscrowAccount {

    /** Statements and day totals are kept in the banks' and regulators' civil time. */
    public static final ZoneId LEDGER_ZONE = ZoneId.of("Asia/Shanghai");

    private static final String FLOOR_BREACH = "the institution's balance after would be below its floor of ";

    @AggregateIdentifier
    private String accountId;
    private String institutionId;
    private String regionCode;
    private String bankCode;
    private String bankAccountNo;
    private SupervisionMode mode;
    private InstitutionStatus institutionStatus;
    private SupervisionPolicy policy;

    private long balanceFen;
    private long liabilityFen;
    private long reservedFen;
    private boolean frozen;
    private long postingCount;
    private long heldCount;
    private Map<String, Order> orders = new LinkedHashMap<>();
    private Map<String, HeldOutflow> heldOutflows = new LinkedHashMap<>();
    private TreeMap<LocalDate, DayTotals> days = new TreeMap<>();
    /** Every refund dispute by id: the order it concerns, and whether it is still open. */
    private Map<String, RefundDispute> disputes = new LinkedHashMap<>();

    record RefundDispute(String orderId, boolean open) {
    }

    protected EscrowAccount() {
        // for Axon and snapshot deserialisation
    }

    @CommandHandler
    public EscrowAccount(OpenEscrowAccount cmd) {
        apply(new EscrowAccountOpened(cmd.accountId().value(), cmd.institutionId().value(),
                cmd.terms().regionCode().value(), cmd.bankCode().value(), cmd.bankAccountNo(), cmd.terms().mode(),
                cmd.terms().status(), cmd.terms().policy(), cmd.occurredAt()));
    }

    // ---------------------------------------------------------------- inflows and bank facts

    @CommandHandler
    public PostingOutcome handle(DepositTuition cmd) {
        requireInRange(cmd.amount());
        check(cmd.lessons() > 0, LESSONS_INVALID, "a deposit buys at least one lesson");
        check(cmd.lessonPrice().isPositive(), AMOUNT_INVALID, "lessonPrice must be positive");
        check(DepositTuition.amountMatches(cmd.amount(), cmd.lessons(), cmd.lessonPrice()), AMOUNT_MISMATCH,
                "amount " + cmd.amount() + " is not lessons x lessonPrice = " + cmd.lessons() + " x "
                        + cmd.lessonPrice());
        check(!cmd.courseEnd().isBefore(cmd.courseStart()), COURSE_DATES_INVALID, "courseEnd is before courseStart");
        check(!orders.containsKey(cmd.orderId().value()), ORDER_ALREADY_EXISTS,
                "order " + cmd.orderId() + " was already deposited");

        String postingId = nextPostingId();
        apply(new TuitionDeposited(accountId, postingId, cmd.bankTxnId().value(), cmd.orderId().value(),
                cmd.studentRef(), cmd.lessons(), cmd.lessonPrice().fen(), cmd.amount().fen(), cmd.courseStart(),
                cmd.courseEnd(), balanceFen + cmd.amount().fen(), cmd.occurredAt()));
        boolean tooManyLessons = cmd.lessons() > policy.maxLessonsPerCharge();
        boolean tooLong = cmd.courseEnd().isAfter(cmd.courseStart().plusMonths(policy.maxMonthsPerCharge()));
        if (tooManyLessons || tooLong) {
            apply(new ChargeCapExceeded(accountId, cmd.orderId().value(), cmd.bankTxnId().value(), cmd.lessons(),
                    policy.maxLessonsPerCharge(), cmd.courseStart(), cmd.courseEnd(), policy.maxMonthsPerCharge(),
                    cmd.occurredAt()));
        }
        return PostingOutcome.booked(postingId, cmd.bankTxnId().value(), Status.RECORDED, balanceFen);
    }

    @CommandHandler
    public PostingOutcome handle(RecordInterest cmd) {
        requireInRange(cmd.amount());
        String postingId = nextPostingId();
        apply(new InterestCredited(accountId, postingId, cmd.bankTxnId().value(), cmd.amount().fen(), cmd.memo(),
                balanceFen + cmd.amount().fen(), cmd.occurredAt()));
        return PostingOutcome.booked(postingId, cmd.bankTxnId().value(), Status.RECORDED, balanceFen);
    }

    /** A fee is a fact: it is recorded even when it takes the balance under the floor (alerts follow). */
    @CommandHandler
    public PostingOutcome handle(RecordBankFee cmd) {
        requireInRange(cmd.amount());
        String postingId = nextPostingId();
        apply(new BankFeeCharged(accountId, postingId, cmd.bankTxnId().value(), cmd.amount().fen(), cmd.memo(),
                balanceFen - cmd.amount().fen(), cmd.occurredAt()));
        return PostingOutcome.booked(postingId, cmd.bankTxnId().value(), Status.RECORDED, balanceFen);
    }

    @CommandHandler
    public PostingOutcome handle(PostAdjustment cmd) {
        check(!cmd.amount().isZero(), AMOUNT_INVALID, "an adjustment cannot be zero");
        check(!cmd.amount().isGreaterThan(Money.MAX_POSTING) && !cmd.amount().negate().isGreaterThan(Money.MAX_POSTING),
                AMOUNT_INVALID, "an adjustment is at most " + Money.MAX_POSTING + " either way");
        String postingId = nextPostingId();
        apply(new AdjustmentPosted(accountId, postingId, cmd.bankTxnId().value(), cmd.amount().fen(), cmd.memo(),
                balanceFen + cmd.amount().fen(), cmd.occurredAt()));
        return PostingOutcome.booked(postingId, cmd.bankTxnId().value(), Status.RECORDED, balanceFen);
    }

    @CommandHandler
    public ConsumptionOutcome handle(ConsumeLessons cmd) {
        Order order = orders.get(cmd.orderId().value());
        check(order != null, ORDER_NOT_FOUND, "order " + cmd.orderId() + " is not an order of account " + accountId);
        check(cmd.lessons() > 0, LESSONS_INVALID, "at least one lesson is consumed");
        check(institutionStatus != InstitutionStatus.CLOSED, INSTITUTION_CLOSED,
                "the institution is closed: no lessons are delivered and its refund obligations are fixed");
        check(!order.predates(cmd.occurredAt()), OCCURRED_BEFORE_DEPOSIT, "lessons of order " + order.orderId()
                + " cannot be delivered at " + cmd.occurredAt() + ", before the order was paid at "
                + order.depositedAt());
        check(cmd.lessons() <= order.lessonsRemaining(), LESSONS_EXCEED_REMAINING,
                cmd.lessons() + " lessons consumed but only " + order.lessonsRemaining() + " remain");
        Order after = order.consume(cmd.lessons());
        apply(new LessonsConsumed(accountId, order.orderId(), cmd.consumptionId().value(), cmd.lessons(),
                after.lessonsConsumed(), after.lessonsRemaining(), cmd.lessons() * order.lessonPriceFen(),
                cmd.occurredAt()));
        Order now = orders.get(order.orderId());
        return new ConsumptionOutcome(now.orderId(), now.lessonsConsumed(), now.lessonsRemaining(),
                releasableFen(now));
    }

    // ---------------------------------------------------------------- outflows the bank asks to authorise

    @CommandHandler
    public PostingOutcome handle(RequestRelease cmd, InstitutionFunds funds) {
        requireInRange(cmd.amount());
        String orderId = cmd.orderId().value();
        Refusal refusal = outflowRefusal(Outflow.asked(OutflowType.RELEASE, cmd.amount().fen(), orderId), funds);
        if (refusal != null) {
            return reject(cmd, OutflowType.RELEASE, orderId, refusal.reason(), refusal.detail());
        }
        if (policy.isLargeOutflow(cmd.amount(), Money.ofFen(balanceFen))) {
            return hold(cmd, OutflowType.RELEASE, orderId, null, null);
        }
        String postingId = nextPostingId();
        apply(new FundsReleased(accountId, postingId, cmd.bankTxnId().value(), orderId, cmd.amount().fen(),
                balanceFen - cmd.amount().fen(), null, cmd.occurredAt()));
        return PostingOutcome.booked(postingId, cmd.bankTxnId().value(), Status.RELEASED, balanceFen);
    }

    /** Refunds go back to families: allowed when frozen or closed, never held, never beyond what is unconsumed. */
    @CommandHandler
    public PostingOutcome handle(RequestRefund cmd) {
        requireInRange(cmd.amount());
        long amount = cmd.amount().fen();
        Order order = orders.get(cmd.orderId().value());
        if (order == null) {
            return reject(cmd, OutflowType.REFUND, cmd.orderId().value(), UNKNOWN_ORDER,
                    "order " + cmd.orderId() + " is not an order of this account");
        }
        check(!order.predates(cmd.occurredAt()), OCCURRED_BEFORE_DEPOSIT, "order " + order.orderId()
                + " cannot be refunded at " + cmd.occurredAt() + ", before it was paid at " + order.depositedAt());
        if (amount > order.unconsumedValueFen()) {
            return reject(cmd, OutflowType.REFUND, order.orderId(), EXCEEDS_REFUNDABLE,
                    "order " + order.orderId() + " has " + Money.ofFen(order.unconsumedValueFen()) + " unconsumed");
        }
        // Families come first: a refund may use money reserved for a held outflow (its approval is
        // re-checked against the balance), but never more than the balance.
        if (amount > balanceFen) {
            return reject(cmd, OutflowType.REFUND, order.orderId(), INSUFFICIENT_FUNDS,
                    "balance " + Money.ofFen(balanceFen));
        }
        String postingId = nextPostingId();
        apply(new TuitionRefunded(accountId, postingId, cmd.bankTxnId().value(), order.orderId(), amount,
                balanceFen - amount, cmd.occurredAt()));
        return PostingOutcome.booked(postingId, cmd.bankTxnId().value(), Status.REFUNDED, balanceFen);
    }

    /**
     * Money leaving escrow for anything but a release or refund. Under full custody it may take money
     * that backs no order (interest, corrections) and then what the orders have earned and not yet
     * released, oldest order first; the orders' releasable value falls by what it took, so earned tuition
     * cannot leave twice. Unearned tuition stays. Under risk reserve anything above the floor may go.
     * The floor, frozen, status and large-outflow rules are those of a release.
     */
    @CommandHandler
    public PostingOutcome handle(RequestTransferOut cmd, InstitutionFunds funds) {
        requireInRange(cmd.amount());
        long amount = cmd.amount().fen();
        Refusal refusal = outflowRefusal(Outflow.asked(OutflowType.TRANSFER_OUT, amount, null), funds);
        if (refusal != null) {
            return reject(cmd, OutflowType.TRANSFER_OUT, null, refusal.reason(), refusal.detail());
        }
        List<EarnedTake> takes = mode == SupervisionMode.FULL_CUSTODY
                ? earnedOldestFirst(amount - backingNoOrderFen()) : List.of();
        if (policy.isLargeOutflow(cmd.amount(), Money.ofFen(balanceFen))) {
            String heldId = accountId + ".H" + (heldCount + 1);
            apply(new OutflowHeld(accountId, heldId, cmd.bankTxnId().value(), OutflowType.TRANSFER_OUT, null, amount,
                    cmd.counterparty(), cmd.purpose(), balanceFen, cmd.occurredAt(), takes));
            return PostingOutcome.held(cmd.bankTxnId().value(), heldId, balanceFen);
        }
        String postingId = nextPostingId();
        apply(new FundsTransferredOut(accountId, postingId, cmd.bankTxnId().value(), amount, cmd.counterparty(),
                cmd.purpose(), balanceFen - amount, null, cmd.occurredAt(), takes));
        return PostingOutcome.booked(postingId, cmd.bankTxnId().value(), Status.TRANSFERRED, balanceFen);
    }

    // ---------------------------------------------------------------- the outflow rules

    /**
     * An outflow as the rules judge it: asked for now, or {@code held} earlier and now to be paid. A held
     * outflow's amount is reserved already, so it counts the whole balance, and a held transfer's earned
     * {@code takes} are chosen already.
     */
    private record Outflow(OutflowType type, long amountFen, String orderId, boolean held, List<EarnedTake> takes) {

        static Outflow asked(OutflowType type, long amountFen, String orderId) {
            return new Outflow(type, amountFen, orderId, false, List.of());
        }

        static Outflow held(HeldOutflow held) {
            return new Outflow(held.type(), held.amountFen(), held.orderId(), true, held.earnedFromOrders());
        }

        /** The words for a refusal of it: a held outflow's say what changed since it was held. */
        String phrase(String whenAsked, String whenHeld) {
            return held ? whenHeld : whenAsked;
        }
    }

    /** Why an outflow may not be paid: the recorded reason, and the detail people read. */
    private record Refusal(OutflowRejectionReason reason, String detail) {
    }

    /**
     * The rules every release, transfer out and approval of a held outflow must pass (refunds have their
     * own: they go back to families), as a table: one rule a line, in a fixed order, the first one broken
     * answers and null means the outflow may be paid. The order is part of the contract: a request that
     * breaks two rules is refused for the earlier one. A held outflow's phrases say what changed since
     * it was held.
     */
    private Refusal outflowRefusal(Outflow out, InstitutionFunds funds) {
        boolean release = out.type() == OutflowType.RELEASE;
        boolean askedTransfer = out.type() == OutflowType.TRANSFER_OUT && !out.held();
        boolean heldTransfer = out.type() == OutflowType.TRANSFER_OUT && out.held();
        boolean custody = mode == SupervisionMode.FULL_CUSTODY;
        Order order = release ? orders.get(out.orderId()) : null;
        long amount = out.amountFen();
        long countedFen = out.held() ? balanceFen : availableFen();
        if (frozen) return new Refusal(ACCOUNT_FROZEN,
                out.phrase("account is frozen", "account is frozen; unfreeze it or reject the outflow"));
        if (!institutionStatus.mayReceiveReleases()) return new Refusal(INSTITUTION_NOT_ACTIVE,
                "institution is " + institutionStatus);
        if (release && order == null) return new Refusal(UNKNOWN_ORDER,
                "order " + out.orderId() + " is not an order of this account");
        if (release && inDispute(out.orderId())) return new Refusal(ORDER_IN_DISPUTE,
                "a refund on order " + out.orderId() + " is disputed");
        if (out.takes().stream().anyMatch(take -> inDispute(take.orderId()))) return new Refusal(ORDER_IN_DISPUTE,
                "a refund on an order whose earned value it takes is disputed");
        if (release && !out.held() && custody && amount > releasableFen(order)) return new Refusal(EXCEEDS_RELEASABLE,
                "order " + out.orderId() + " has " + Money.ofFen(releasableFen(order)) + " releasable");
        if (amount > countedFen) return new Refusal(INSUFFICIENT_FUNDS, out.phrase(
                "available " + Money.ofFen(countedFen), "balance " + Money.ofFen(countedFen) + " no longer covers it"));
        if (askedTransfer && custody && amount > backingNoOrderFen() + earnedUnreleasedFen()) return new Refusal(
                EXCEEDS_RELEASABLE, "only " + Money.ofFen(backingNoOrderFen()) + " backs no order and "
                        + Money.ofFen(earnedUnreleasedFen()) + " is earned and unreleased");
        if (askedTransfer && custody && amount > backingNoOrderFen() + undisputedEarnedFen()) return new Refusal(
                ORDER_IN_DISPUTE, "only " + Money.ofFen(backingNoOrderFen()) + " backs no order and "
                        + Money.ofFen(undisputedEarnedFen()) + " is earned by orders not in dispute");
        Money floor = breachedFloor(countedFen - amount, funds); // after the cheap rules: it takes a lock
        if (floor != null) return new Refusal(BREACHES_FLOOR, out.phrase(FLOOR_BREACH,
                "paying it now would take the institution's balance below its floor of ") + floor);
        if (heldTransfer && custody && unattributedFen() < 0) return new Refusal(EXCEEDS_RELEASABLE,
                "paying it now would take unearned tuition out of custody");
        return null;
    }

    // ---------------------------------------------------------------- regulator decisions

    /** Pays a held outflow. Re-checked at decision time: the account may have been frozen or drained by fees since. */
    @CommandHandler
    public HeldOutflowDecision handle(ApproveHeldOutflow cmd, InstitutionFunds funds) {
        HeldOutflow held = pendingHeldOutflow(cmd.heldOutflowId().value());
        Refusal refusal = outflowRefusal(Outflow.held(held), funds);
        if (refusal != null) {
            throw new LedgerRuleException(HELD_OUTFLOW_BLOCKED, refusal.detail());
        }
        apply(new HeldOutflowApproved(accountId, held.heldOutflowId(), cmd.decidedBy(), cmd.note(), cmd.decidedAt()));
        String postingId = nextPostingId();
        long after = balanceFen - held.amountFen();
        if (held.type() == OutflowType.RELEASE) {
            apply(new FundsReleased(accountId, postingId, held.bankTxnId(), held.orderId(), held.amountFen(), after,
                    held.heldOutflowId(), cmd.decidedAt()));
        } else {
            apply(new FundsTransferredOut(accountId, postingId, held.bankTxnId(), held.amountFen(),
                    held.counterparty(), held.purpose(), after, held.heldOutflowId(), cmd.decidedAt(),
                    held.earnedFromOrders()));
        }
        return new HeldOutflowDecision(held.heldOutflowId(), HeldOutflowDecision.Status.APPROVED, postingId, balanceFen);
    }

    @CommandHandler
    public HeldOutflowDecision handle(RejectHeldOutflow cmd) {
        HeldOutflow held = pendingHeldOutflow(cmd.heldOutflowId().value());
        apply(new HeldOutflowRejected(accountId, held.heldOutflowId(), cmd.decidedBy(), cmd.reason(), cmd.decidedAt()));
        return new HeldOutflowDecision(held.heldOutflowId(), HeldOutflowDecision.Status.REJECTED, null, balanceFen);
    }

    // ---------------------------------------------------------------- refund disputes

    /** Opened by a bank or the platform; refunds still pass, releases of the order wait. */
    @CommandHandler
    public String handle(OpenRefundDispute cmd) {
        check(orders.containsKey(cmd.orderId().value()), ORDER_NOT_FOUND,
                "order " + cmd.orderId() + " is not an order of account " + accountId);
        check(!disputes.containsKey(cmd.disputeId().value()), DISPUTE_ALREADY_EXISTS,
                "dispute " + cmd.disputeId() + " already exists on account " + accountId);
        apply(new RefundDisputeOpened(accountId, cmd.disputeId().value(), cmd.orderId().value(), cmd.openedBy(),
                cmd.reason(), cmd.occurredAt()));
        return cmd.disputeId().value();
    }

    @CommandHandler
    public String handle(CloseRefundDispute cmd) {
        RefundDispute dispute = disputes.get(cmd.disputeId().value());
        check(dispute != null, DISPUTE_NOT_FOUND, "no dispute " + cmd.disputeId() + " on account " + accountId);
        check(dispute.open(), DISPUTE_ALREADY_CLOSED, "dispute " + cmd.disputeId() + " was already closed");
        apply(new RefundDisputeClosed(accountId, cmd.disputeId().value(), dispute.orderId(), cmd.closedBy(),
                cmd.resolution(), cmd.at()));
        return dispute.orderId();
    }

    @CommandHandler
    public void handle(FreezeAccount cmd) {
        check(!frozen, ACCOUNT_ALREADY_FROZEN, "account " + accountId + " is already frozen");
        apply(new AccountFrozen(accountId, cmd.reason(), cmd.by(), cmd.at()));
    }

    @CommandHandler
    public void handle(UnfreezeAccount cmd) {
        check(frozen, ACCOUNT_NOT_FROZEN, "account " + accountId + " is not frozen");
        apply(new AccountUnfrozen(accountId, cmd.reason(), cmd.by(), cmd.at()));
    }

    // ---------------------------------------------------------------- reconciliation and the institution's lifecycle

    /** Compares the bank's closing balance and posting count with the ledger's for that Shanghai day. */
    @CommandHandler
    public StatementOutcome handle(ReconcileStatement cmd) {
        long ledgerBalance = balanceAtEndOf(cmd.statementDate());
        DayTotals day = days.get(cmd.statementDate());
        int ledgerCount = day == null ? 0 : day.postings();
        long difference = cmd.closingBalance().fen() - ledgerBalance;
        Instant endOfDay = cmd.statementDate().plusDays(1).atStartOfDay(LEDGER_ZONE).toInstant();
        if (difference == 0 && ledgerCount == cmd.transactionCount()) {
            apply(new StatementReconciled(accountId, cmd.statementId(), cmd.statementDate(), cmd.closingBalance().fen(),
                    ledgerBalance, cmd.transactionCount(), ledgerCount, endOfDay));
            return new StatementOutcome(StatementOutcome.Result.RECONCILED, ledgerBalance, 0, ledgerCount);
        }
        apply(new StatementMismatched(accountId, cmd.statementId(), cmd.statementDate(), cmd.closingBalance().fen(),
                ledgerBalance, difference, cmd.transactionCount(), ledgerCount, endOfDay));
        return new StatementOutcome(StatementOutcome.Result.MISMATCHED, ledgerBalance, difference, ledgerCount);
    }

    @CommandHandler
    public void handle(ApplySupervisionTerms cmd) {
        var terms = cmd.terms();
        if (institutionStatus == InstitutionStatus.CLOSED) {
            return; // closure is final: its refund obligations stand whatever arrives later
        }
        if (terms.status() == institutionStatus && terms.mode() == mode && terms.policy().equals(policy)) {
            return;
        }
        apply(new SupervisionTermsChanged(accountId, terms.status(), terms.mode(), terms.policy(), cmd.at()));
    }

    /** Every order's unconsumed value becomes a refund obligation paid from escrow; releases stop for good. */
    @CommandHandler
    public void handle(ApplyInstitutionClosure cmd) {
        if (institutionStatus == InstitutionStatus.CLOSED) {
            return;
        }
        List<RefundObligation> obligations = new ArrayList<>();
        long total = 0;
        for (Order order : orders.values()) {
            if (order.unconsumedValueFen() > 0) {
                obligations.add(new RefundObligation(order.orderId(), order.studentRef(), order.unconsumedValueFen()));
                total += order.unconsumedValueFen();
            }
        }
        apply(new RefundObligationsEstablished(accountId, cmd.reason(), obligations, total, cmd.at()));
    }

    // ---------------------------------------------------------------- event-sourcing handlers: state only

    @EventSourcingHandler
    void on(EscrowAccountOpened e) {
        accountId = e.accountId();
        institutionId = e.institutionId();
        regionCode = e.regionCode();
        bankCode = e.bankCode();
        bankAccountNo = e.bankAccountNo();
        mode = e.supervisionMode();
        institutionStatus = e.institutionStatus();
        policy = e.policy();
    }

    @EventSourcingHandler
    void on(TuitionDeposited e) {
        orders.put(e.orderId(), Order.deposited(e.orderId(), e.studentRef(), e.lessons(), e.lessonPriceFen(),
                e.amountFen(), e.courseStart(), e.courseEnd(), e.occurredAt()));
        liabilityFen += e.amountFen();
        book(e.signedFen(), e.occurredAt());
    }

    @EventSourcingHandler
    void on(LessonsConsumed e) {
        orders.computeIfPresent(e.orderId(), (id, order) -> order.consume(e.lessons()));
        liabilityFen -= e.consumedValueFen();
    }

    @EventSourcingHandler
    void on(FundsReleased e) {
        if (e.heldOutflowId() != null) {
            reservedFen -= e.amountFen();
            orders.computeIfPresent(e.orderId(), (id, order) -> order.holdForRelease(-e.amountFen()));
        }
        orders.computeIfPresent(e.orderId(), (id, order) -> order.release(e.amountFen()));
        book(e.signedFen(), e.occurredAt());
    }

    @EventSourcingHandler
    void on(TuitionRefunded e) {
        orders.computeIfPresent(e.orderId(), (id, order) -> order.refund(e.amountFen()));
        liabilityFen -= e.amountFen();
        book(e.signedFen(), e.occurredAt());
    }

    @EventSourcingHandler
    void on(FundsTransferredOut e) {
        if (e.heldOutflowId() != null) {
            reservedFen -= e.amountFen();
        }
        for (EarnedTake take : e.earnedFromOrders()) {
            if (e.heldOutflowId() != null) {
                orders.computeIfPresent(take.orderId(), (id, order) -> order.holdForRelease(-take.amountFen()));
            }
            orders.computeIfPresent(take.orderId(), (id, order) -> order.release(take.amountFen()));
        }
        book(e.signedFen(), e.occurredAt());
    }

    @EventSourcingHandler
    void on(OutflowHeld e) {
        heldCount++;
        heldOutflows.put(e.heldOutflowId(), new HeldOutflow(e.heldOutflowId(), e.bankTxnId(), e.outflowType(),
                e.orderId(), e.amountFen(), e.counterparty(), e.purpose(), true, e.earnedFromOrders()));
        reservedFen += e.amountFen();
        if (e.outflowType() == OutflowType.RELEASE) {
            orders.computeIfPresent(e.orderId(), (id, order) -> order.holdForRelease(e.amountFen()));
        }
        for (EarnedTake take : e.earnedFromOrders()) {
            orders.computeIfPresent(take.orderId(), (id, order) -> order.holdForRelease(take.amountFen()));
        }
    }

    @EventSourcingHandler
    void on(HeldOutflowApproved e) {
        heldOutflows.computeIfPresent(e.heldOutflowId(), (id, held) -> held.decided());
    }

    @EventSourcingHandler
    void on(HeldOutflowRejected e) {
        HeldOutflow held = heldOutflows.get(e.heldOutflowId());
        heldOutflows.put(held.heldOutflowId(), held.decided());
        reservedFen -= held.amountFen();
        if (held.type() == OutflowType.RELEASE) {
            orders.computeIfPresent(held.orderId(), (id, order) -> order.holdForRelease(-held.amountFen()));
        }
        for (EarnedTake take : held.earnedFromOrders()) {
            orders.computeIfPresent(take.orderId(), (id, order) -> order.holdForRelease(-take.amountFen()));
        }
    }

    @EventSourcingHandler
    void on(InterestCredited e) {
        book(e.signedFen(), e.occurredAt());
    }

    @EventSourcingHandler
    void on(BankFeeCharged e) {
        book(e.signedFen(), e.occurredAt());
    }

    @EventSourcingHandler
    void on(AdjustmentPosted e) {
        book(e.signedFen(), e.occurredAt());
    }

    @EventSourcingHandler
    void on(RefundDisputeOpened e) {
        disputes.put(e.disputeId(), new RefundDispute(e.orderId(), true));
    }

    @EventSourcingHandler
    void on(RefundDisputeClosed e) {
        disputes.put(e.disputeId(), new RefundDispute(e.orderId(), false));
    }

    @EventSourcingHandler
    void on(AccountFrozen e) {
        frozen = true;
    }

    @EventSourcingHandler
    void on(AccountUnfrozen e) {
        frozen = false;
    }

    @EventSourcingHandler
    void on(SupervisionTermsChanged e) {
        institutionStatus = e.institutionStatus();
        mode = e.supervisionMode();
        policy = e.policy();
    }

    @EventSourcingHandler
    void on(RefundObligationsEstablished e) {
        institutionStatus = InstitutionStatus.CLOSED;
    }

    // ---------------------------------------------------------------- helpers

    private PostingOutcome reject(Posting cmd, OutflowType type, String orderId, OutflowRejectionReason reason,
                                  String detail) {
        apply(new OutflowRejected(accountId, cmd.bankTxnId().value(), type, orderId, cmd.amount().fen(), reason,
                detail, balanceFen, cmd.occurredAt()));
        return PostingOutcome.rejected(cmd.bankTxnId().value(), reason, detail, balanceFen);
    }

    private PostingOutcome hold(Posting cmd, OutflowType type, String orderId, String counterparty, String purpose) {
        String heldId = accountId + ".H" + (heldCount + 1);
        apply(new OutflowHeld(accountId, heldId, cmd.bankTxnId().value(), type, orderId, cmd.amount().fen(),
                counterparty, purpose, balanceFen, cmd.occurredAt()));
        return PostingOutcome.held(cmd.bankTxnId().value(), heldId, balanceFen);
    }

    private HeldOutflow pendingHeldOutflow(String heldOutflowId) {
        HeldOutflow held = heldOutflows.get(heldOutflowId);
        check(held != null, HELD_OUTFLOW_NOT_FOUND, "no held outflow " + heldOutflowId + " on account " + accountId);
        check(held.pending(), HELD_OUTFLOW_ALREADY_DECIDED, "held outflow " + heldOutflowId + " was already decided");
        return held;
    }

    private void book(long signedAmountFen, Instant occurredAt) {
        postingCount++;
        balanceFen = Math.addExact(balanceFen, signedAmountFen);
        days.merge(LocalDate.ofInstant(occurredAt, LEDGER_ZONE), new DayTotals(signedAmountFen, 1),
                (was, added) -> was.add(signedAmountFen));
    }

    /**
     * The institution's floor when an outflow would breach it, or null when it would not. The floor is the
     * institution's: {@code max(minimumBalance, liabilityRatio × the unearned tuition of all its
     * accounts)}, held by the money of all its accounts (less what they reserve for held outflows).
     * Asking {@code funds} serialises this decision with the institution's other outflow decisions.
     *
     * @param thisAccountAfterFen what this account would count with after the outflow
     */
    private Money breachedFloor(long thisAccountAfterFen, InstitutionFunds funds) {
        long institutionAfter = thisAccountAfterFen;
        long institutionLiability = liabilityFen;
        for (InstitutionFunds.AccountFunds other : funds.otherAccounts(institutionId, accountId)) {
            institutionAfter += other.availableFen();
            institutionLiability += other.liabilityFen();
        }
        Money institutionFloor = policy.floor(Money.ofFen(institutionLiability));
        return institutionAfter >= institutionFloor.fen() ? null : institutionFloor;
    }

    private String nextPostingId() {
        return accountId + ".P" + (postingCount + 1);
    }

    private static void requireInRange(Money amount) {
        check(amount.isPositive(), AMOUNT_INVALID, "amount must be positive");
        check(!amount.isGreaterThan(Money.MAX_POSTING), AMOUNT_INVALID, "amount is above " + Money.MAX_POSTING);
    }

    private long balanceAtEndOf(LocalDate date) {
        long sum = 0;
        for (DayTotals day : days.headMap(date, true).values()) {
            sum += day.netFen();
        }
        return sum;
    }

    /** The balance not reserved for held outflows. */
    private long availableFen() {
        return balanceFen - reservedFen;
    }

    /** Money backing no order: neither unearned tuition nor earned-but-unreleased value. */
    private long unattributedFen() {
        return availableFen() - liabilityFen - earnedUnreleasedFen();
    }

    /** What a transfer may take before any earned value: money backing no order, none when that is negative. */
    private long backingNoOrderFen() {
        return Math.max(0, unattributedFen());
    }

    // ---------------------------------------------------------------- read access: answers, replays, the institution's outflow decisions

    /**
     * The account's figures as answers read them: a copy, taken while the aggregate is held, so nothing
     * outside the aggregate keeps or reads the aggregate itself.
     */
    public record State(String accountId, String institutionId, String regionCode, String bankCode,
                        String bankAccountNo, Money balance, Money outstandingLiability, Money floor,
                        Money releasable, boolean frozen, InstitutionStatus institutionStatus,
                        SupervisionPolicy policy, int orderCount) {
    }

    public State state() {
        return new State(accountId, institutionId, regionCode, bankCode, bankAccountNo, balance(),
                outstandingLiability(), floor(), releasable(), frozen, institutionStatus, policy, orders.size());
    }

    public String accountId() {
        return accountId;
    }

    public String institutionId() {
        return institutionId;
    }

    /** Whether this state has seen {@code orderId} deposited; a view of an earlier instant may not have. */
    public boolean knowsOrder(String orderId) {
        return orders.containsKey(orderId);
    }

    /** Whether this state has seen {@code heldOutflowId} held; a view of an earlier instant may not have. */
    public boolean knowsHeldOutflow(String heldOutflowId) {
        return heldOutflows.containsKey(heldOutflowId);
    }

    /** This account's figures as the institution's other outflow decisions count them. */
    public InstitutionFunds.AccountFunds funds() {
        return new InstitutionFunds.AccountFunds(accountId, balanceFen, reservedFen, liabilityFen);
    }

    // ---------------------------------------------------------------- read access for state() and this package's tests

    String regionCode() {
        return regionCode;
    }

    String bankCode() {
        return bankCode;
    }

    String bankAccountNo() {
        return bankAccountNo;
    }

    Money balance() {
        return Money.ofFen(balanceFen);
    }

    /** Outstanding unearned tuition: paid, neither consumed nor refunded. */
    Money outstandingLiability() {
        return Money.ofFen(liabilityFen);
    }

    Money floor() {
        return Money.ofFen(floorFen());
    }

    /** What a release could take now: under full custody earned value, otherwise what lies above the floor. */
    Money releasable() {
        return Money.ofFen(releasableFen(null));
    }

    boolean frozen() {
        return frozen;
    }

    InstitutionStatus institutionStatus() {
        return institutionStatus;
    }

    SupervisionPolicy policy() {
        return policy;
    }

    int orderCount() {
        return orders.size();
    }

    Money reserved() {
        return Money.ofFen(reservedFen);
    }

    SupervisionMode supervisionMode() {
        return mode;
    }

    /** Lessons still to deliver on an order, or -1 when the account has no such order. */
    int lessonsRemaining(String orderId) {
        Order order = orders.get(orderId);
        return order == null ? -1 : order.lessonsRemaining();
    }

    Money unconsumedValue(String orderId) {
        Order order = orders.get(orderId);
        return Money.ofFen(order == null ? 0 : order.unconsumedValueFen());
    }

    Money orderReleasable(String orderId) {
        Order order = orders.get(orderId);
        return Money.ofFen(order == null ? 0 : order.releasableFen());
    }

    Money orderReleased(String orderId) {
        Order order = orders.get(orderId);
        return Money.ofFen(order == null ? 0 : order.releasedFen());
    }

    Money orderConsumedValue(String orderId) {
        Order order = orders.get(orderId);
        return Money.ofFen(order == null ? 0 : order.consumedValueFen());
    }

    /** Whether a refund on the order is disputed now. */
    boolean orderInDispute(String orderId) {
        return inDispute(orderId);
    }

    // ---------------------------------------------------------------- derived figures

    /** Takes {@code amountFen} of earned, unreleased value from the orders, oldest deposit first. */
    private List<EarnedTake> earnedOldestFirst(long amountFen) {
        List<EarnedTake> takes = new ArrayList<>();
        long left = amountFen;
        for (Order order : orders.values()) {
            if (left <= 0) {
                break;
            }
            long take = inDispute(order.orderId()) ? 0 : Math.min(left, order.releasableFen());
            if (take > 0) {
                takes.add(new EarnedTake(order.orderId(), take));
                left -= take;
            }
        }
        return takes;
    }

    /** Whether a refund on the order is disputed and the dispute not yet closed. */
    private boolean inDispute(String orderId) {
        for (RefundDispute dispute : disputes.values()) {
            if (dispute.open() && dispute.orderId().equals(orderId)) {
                return true;
            }
        }
        return false;
    }

    private long undisputedEarnedFen() {
        long sum = 0;
        for (Order order : orders.values()) {
            if (!inDispute(order.orderId())) {
                sum += order.releasableFen();
            }
        }
        return sum;
    }

    /**
     * What a release could take now, the one formula every answer uses: under full custody the earned,
     * unreleased value of {@code order} (of all orders when it is null), under risk reserve what lies
     * above the floor, whichever order it is for.
     */
    private long releasableFen(Order order) {
        if (mode == SupervisionMode.RISK_RESERVE) {
            return Math.max(0, availableFen() - floorFen());
        }
        return order == null ? earnedUnreleasedFen() : order.releasableFen();
    }

    private long floorFen() {
        return policy.floor(Money.ofFen(liabilityFen)).fen();
    }

    /** Earned, unreleased value of all orders (held releases excluded), whatever the mode. */
    private long earnedUnreleasedFen() {
        long sum = 0;
        for (Order order : orders.values()) {
            sum += order.releasableFen();
        }
        return sum;
    }
}
