package cn.prepaid.ledger.core.account;

import cn.prepaid.ledger.core.account.EscrowAccountEvent.AccountFrozen;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.AccountUnfrozen;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.BankFeeCharged;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.EscrowAccountOpened;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.FundsReleased;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.FundsTransferredOut;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.HeldOutflowApproved;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.HeldOutflowRejected;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.InterestCredited;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.LessonsConsumed;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.OutflowHeld;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.RefundObligation;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.RefundObligationsEstablished;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.SupervisionTermsChanged;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.TuitionDeposited;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.TuitionRefunded;
import cn.prepaid.ledger.core.ids.AccountId;
import cn.prepaid.ledger.core.institution.InstitutionStatus;
import cn.prepaid.ledger.core.policy.SupervisionMode;
import cn.prepaid.ledger.core.policy.SupervisionPolicy;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the given-events of an escrow account the way the aggregate itself would have produced
 * them (posting ids, balances after, held ids), so tests can say what happened in one line each:
 * {@code AccountHistory.fullCustody().deposit("O-1", 40, 80_00).consume("O-1", 10).events()}.
 */
final class AccountHistory {

    static final String ACC = "ACC-1";
    static final AccountId ACCOUNT = AccountId.of(ACC);
    static final String INSTITUTION = "91350100M000100Y43";
    static final String REGION = "350100";
    static final String BANK = "ICBC-3501";
    static final String BANK_ACCOUNT_NO = "6222020200112233";
    /** 10:00 on 1 March 2024 in Shanghai. */
    static final Instant T0 = Instant.parse("2024-03-01T02:00:00Z");
    static final LocalDate COURSE_START = LocalDate.of(2024, 3, 1);
    static final LocalDate COURSE_END = LocalDate.of(2024, 5, 31);

    private final List<Object> events = new ArrayList<>();
    private final Map<String, OrderState> orders = new LinkedHashMap<>();
    private final Map<String, OutflowHeld> pending = new LinkedHashMap<>();
    private Instant at = T0;
    private long balance;
    private int postings;
    private int helds;
    private int txns;

    private static final class OrderState {
        final String studentRef;
        final int lessons;
        final long priceFen;
        int consumed;
        long refundedFen;

        OrderState(String studentRef, int lessons, long priceFen) {
            this.studentRef = studentRef;
            this.lessons = lessons;
            this.priceFen = priceFen;
        }

        long unconsumedFen() {
            return lessons * priceFen - consumed * priceFen - refundedFen;
        }
    }

    private AccountHistory() {
    }

    static AccountHistory fullCustody() {
        return opened(SupervisionMode.FULL_CUSTODY, InstitutionStatus.ACTIVE,
                SupervisionPolicy.defaultsFor(SupervisionMode.FULL_CUSTODY));
    }

    /** Full custody; O-1: 40 lessons at ¥80 (¥3,200), 10 delivered: ¥800 releasable, ¥2,400 owed, floor ¥480. */
    static AccountHistory tenOfFortyConsumed() {
        return fullCustody().deposit("O-1", 40, 80_00).consume("O-1", 10);
    }

    static AccountHistory riskReserve() {
        return opened(SupervisionMode.RISK_RESERVE, InstitutionStatus.ACTIVE,
                SupervisionPolicy.defaultsFor(SupervisionMode.RISK_RESERVE));
    }

    static AccountHistory opened(SupervisionMode mode, InstitutionStatus status, SupervisionPolicy policy) {
        AccountHistory history = new AccountHistory();
        history.events.add(openedEvent(mode, status, policy));
        return history;
    }

    static EscrowAccountOpened openedEvent(SupervisionMode mode, InstitutionStatus status, SupervisionPolicy policy) {
        return new EscrowAccountOpened(ACC, INSTITUTION, REGION, BANK, BANK_ACCOUNT_NO, mode, status, policy, T0);
    }

    /** Later events happen at this instant. */
    AccountHistory at(Instant instant) {
        this.at = instant;
        return this;
    }

    AccountHistory deposit(String orderId, int lessons, long lessonPriceFen) {
        return deposit(orderId, lessons, lessonPriceFen, COURSE_START, COURSE_END);
    }

    AccountHistory deposit(String orderId, int lessons, long lessonPriceFen, LocalDate start, LocalDate end) {
        long amount = lessons * lessonPriceFen;
        String student = "STU-" + orderId;
        orders.put(orderId, new OrderState(student, lessons, lessonPriceFen));
        balance += amount;
        events.add(new TuitionDeposited(ACC, nextPostingId(), nextTxn(), orderId, student, lessons, lessonPriceFen,
                amount, start, end, balance, at));
        postings++;
        return this;
    }

    AccountHistory consume(String orderId, int lessons) {
        OrderState order = orders.get(orderId);
        order.consumed += lessons;
        events.add(new LessonsConsumed(ACC, orderId, "C-" + (++txns), lessons, order.consumed,
                (int) (order.unconsumedFen() / order.priceFen), lessons * order.priceFen, at));
        return this;
    }

    AccountHistory release(String orderId, long amountFen) {
        balance -= amountFen;
        events.add(new FundsReleased(ACC, nextPostingId(), nextTxn(), orderId, amountFen, balance, null, at));
        postings++;
        return this;
    }

    AccountHistory refund(String orderId, long amountFen) {
        orders.get(orderId).refundedFen += amountFen;
        balance -= amountFen;
        events.add(new TuitionRefunded(ACC, nextPostingId(), nextTxn(), orderId, amountFen, balance, at));
        postings++;
        return this;
    }

    AccountHistory interest(long amountFen) {
        balance += amountFen;
        events.add(new InterestCredited(ACC, nextPostingId(), nextTxn(), amountFen, "quarterly interest", balance, at));
        postings++;
        return this;
    }

    AccountHistory fee(long amountFen) {
        balance -= amountFen;
        events.add(new BankFeeCharged(ACC, nextPostingId(), nextTxn(), amountFen, "account fee", balance, at));
        postings++;
        return this;
    }

    /** A large release waiting for the regulator, numbered like the aggregate numbers them (ACC-1.H1, ...). */
    AccountHistory heldRelease(String bankTxnId, String orderId, long amountFen) {
        OutflowHeld held = new OutflowHeld(ACC, ACC + ".H" + (++helds), bankTxnId, OutflowType.RELEASE, orderId,
                amountFen, null, null, balance, at);
        pending.put(held.heldOutflowId(), held);
        events.add(held);
        return this;
    }

    AccountHistory heldTransfer(String bankTxnId, long amountFen) {
        OutflowHeld held = new OutflowHeld(ACC, ACC + ".H" + (++helds), bankTxnId, OutflowType.TRANSFER_OUT, null,
                amountFen, "Institution basic account", "interest sweep", balance, at);
        pending.put(held.heldOutflowId(), held);
        events.add(held);
        return this;
    }

    AccountHistory approved(String heldOutflowId) {
        OutflowHeld held = pending.remove(heldOutflowId);
        events.add(new HeldOutflowApproved(ACC, heldOutflowId, "regulator-1", "ok", at));
        balance -= held.amountFen();
        if (held.outflowType() == OutflowType.RELEASE) {
            events.add(new FundsReleased(ACC, nextPostingId(), held.bankTxnId(), held.orderId(), held.amountFen(),
                    balance, heldOutflowId, at));
        } else {
            events.add(new FundsTransferredOut(ACC, nextPostingId(), held.bankTxnId(), held.amountFen(),
                    held.counterparty(), held.purpose(), balance, heldOutflowId, at));
        }
        postings++;
        return this;
    }

    AccountHistory rejected(String heldOutflowId) {
        pending.remove(heldOutflowId);
        events.add(new HeldOutflowRejected(ACC, heldOutflowId, "regulator-1", "not justified", at));
        return this;
    }

    AccountHistory frozen() {
        events.add(new AccountFrozen(ACC, "investigation", "regulator-1", at));
        return this;
    }

    AccountHistory unfrozen() {
        events.add(new AccountUnfrozen(ACC, "cleared", "regulator-1", at));
        return this;
    }

    AccountHistory terms(InstitutionStatus status, SupervisionMode mode, SupervisionPolicy policy) {
        events.add(new SupervisionTermsChanged(ACC, status, mode, policy, at));
        return this;
    }

    AccountHistory suspended() {
        return terms(InstitutionStatus.SUSPENDED, SupervisionMode.FULL_CUSTODY,
                SupervisionPolicy.defaultsFor(SupervisionMode.FULL_CUSTODY));
    }

    AccountHistory closed() {
        List<RefundObligation> obligations = new ArrayList<>();
        long total = 0;
        for (Map.Entry<String, OrderState> entry : orders.entrySet()) {
            long unconsumed = entry.getValue().unconsumedFen();
            if (unconsumed > 0) {
                obligations.add(new RefundObligation(entry.getKey(), entry.getValue().studentRef, unconsumed));
                total += unconsumed;
            }
        }
        events.add(new RefundObligationsEstablished(ACC, "terminated", obligations, total, at));
        return this;
    }

    List<Object> events() {
        return List.copyOf(events);
    }

    /** The id the aggregate gives its next posting. */
    private String nextPostingId() {
        return ACC + ".P" + (postings + 1);
    }

    private String nextTxn() {
        return "G-" + (++txns);
    }
}
