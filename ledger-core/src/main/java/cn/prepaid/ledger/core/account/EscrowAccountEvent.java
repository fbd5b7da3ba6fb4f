package cn.prepaid.ledger.core.account;

import cn.prepaid.ledger.core.institution.InstitutionStatus;
import cn.prepaid.ledger.core.policy.SupervisionMode;
import cn.prepaid.ledger.core.policy.SupervisionPolicy;
import cn.prepaid.ledger.core.rules.OutflowRejectionReason;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * Everything that can happen to an escrow account, in one place. Events hold plain values (ids as
 * text, money as fen) because they are stored for years and replayed by auditors; each carries
 * {@code occurredAt}, when it happened at the bank or platform, besides the time Axon recorded it.
 * Postings carry the balance after them so a reader never needs to re-add the stream.
 *
 * <p>Whether an event moves money is part of its type: every event is either a {@link MoneyMovement}
 * or a {@link NoMoneyMovement} (the {@code permits} clause refuses a third choice, so a new event
 * cannot be left unclassified), and the money the institution's side takes out is a
 * {@link BookedOutflow}, a release or transfer that may have been held first a {@link HoldableOutflow}.
 * Readers ask these types instead of listing event classes.
 */
public sealed interface EscrowAccountEvent
        permits EscrowAccountEvent.MoneyMovement, EscrowAccountEvent.NoMoneyMovement {

    String accountId();

    Instant occurredAt();

    /**
     * A posting that moved the account's balance, the only kind of event that does: the balance went
     * by {@link #signedFen()} to {@code balanceAfterFen}.
     */
    sealed interface MoneyMovement extends EscrowAccountEvent {

        String postingId();

        String bankTxnId();

        /** The posting's amount as the bank booked it: positive, except an adjustment's, which is signed. */
        long amountFen();

        long balanceAfterFen();

        /** What the posting added to the balance: negative when money left. */
        long signedFen();
    }

    /**
     * Money the institution's side took out of escrow: a release, a refund or a transfer out. A bank fee
     * or a negative adjustment takes money out too, but is the bank's fact, not an outflow it asked for.
     */
    sealed interface BookedOutflow extends MoneyMovement {

        @Override
        default long signedFen() {
            return -amountFen();
        }
    }

    /**
     * A booked release or transfer out: the outflows a large amount holds for a regulator first.
     * {@code heldOutflowId} names the held outflow it paid, null when it was paid at once.
     */
    sealed interface HoldableOutflow extends BookedOutflow {

        String heldOutflowId();
    }

    /** An event that left the balance as it was (a held or rejected outflow moves no money either). */
    sealed interface NoMoneyMovement extends EscrowAccountEvent {
    }

    record EscrowAccountOpened(String accountId, String institutionId, String regionCode, String bankCode,
                               String bankAccountNo, SupervisionMode supervisionMode,
                               InstitutionStatus institutionStatus, SupervisionPolicy policy,
                               Instant occurredAt) implements NoMoneyMovement {
    }

    record TuitionDeposited(String accountId, String postingId, String bankTxnId, String orderId, String studentRef,
                            int lessons, long lessonPriceFen, long amountFen, LocalDate courseStart,
                            LocalDate courseEnd, long balanceAfterFen, Instant occurredAt) implements MoneyMovement {

        @Override
        public long signedFen() {
            return amountFen;
        }
    }

    /** The deposit above was recorded (the money arrived) but the charge breaks the cap. */
    record ChargeCapExceeded(String accountId, String orderId, String bankTxnId, int lessons, int maxLessons,
                             LocalDate courseStart, LocalDate courseEnd, int maxMonths,
                             Instant occurredAt) implements NoMoneyMovement {
    }

    record LessonsConsumed(String accountId, String orderId, String consumptionId, int lessons,
                           int lessonsConsumedTotal, int lessonsRemaining, long consumedValueFen,
                           Instant occurredAt) implements NoMoneyMovement {
    }

    record FundsReleased(String accountId, String postingId, String bankTxnId, String orderId, long amountFen,
                         long balanceAfterFen, String heldOutflowId, Instant occurredAt) implements HoldableOutflow {
    }

    record TuitionRefunded(String accountId, String postingId, String bankTxnId, String orderId, long amountFen,
                           long balanceAfterFen, Instant occurredAt) implements BookedOutflow {
    }

    /**
     * Money left for anything but a release or refund. Under full custody {@code earnedFromOrders} says
     * which orders' earned, unreleased value it took (oldest order first): those are released by it and
     * cannot leave again. Empty when it took only money backing no order, and in events recorded before
     * transfers could take earned money.
     */
    record FundsTransferredOut(String accountId, String postingId, String bankTxnId, long amountFen,
                               String counterparty, String purpose, long balanceAfterFen, String heldOutflowId,
                               Instant occurredAt, List<EarnedTake> earnedFromOrders) implements HoldableOutflow {

        public FundsTransferredOut {
            earnedFromOrders = earnedFromOrders == null ? List.of() : List.copyOf(earnedFromOrders);
        }

        /** A transfer of money that backs no order. */
        public FundsTransferredOut(String accountId, String postingId, String bankTxnId, long amountFen,
                                   String counterparty, String purpose, long balanceAfterFen, String heldOutflowId,
                                   Instant occurredAt) {
            this(accountId, postingId, bankTxnId, amountFen, counterparty, purpose, balanceAfterFen, heldOutflowId,
                    occurredAt, List.of());
        }

        public long earnedFen() {
            return earnedFromOrders.stream().mapToLong(EarnedTake::amountFen).sum();
        }
    }

    /**
     * A large outflow waits for a regulator; its amount is reserved until the decision, and so are the
     * earned values a transfer would take from its orders ({@code earnedFromOrders}).
     */
    record OutflowHeld(String accountId, String heldOutflowId, String bankTxnId, OutflowType outflowType,
                       String orderId, long amountFen, String counterparty, String purpose, long balanceFen,
                       Instant occurredAt, List<EarnedTake> earnedFromOrders) implements NoMoneyMovement {

        public OutflowHeld {
            earnedFromOrders = earnedFromOrders == null ? List.of() : List.copyOf(earnedFromOrders);
        }

        /** A held release, or a held transfer of money that backs no order. */
        public OutflowHeld(String accountId, String heldOutflowId, String bankTxnId, OutflowType outflowType,
                           String orderId, long amountFen, String counterparty, String purpose, long balanceFen,
                           Instant occurredAt) {
            this(accountId, heldOutflowId, bankTxnId, outflowType, orderId, amountFen, counterparty, purpose,
                    balanceFen, occurredAt, List.of());
        }

        public long earnedFen() {
            return earnedFromOrders.stream().mapToLong(EarnedTake::amountFen).sum();
        }
    }

    /** Earned, unreleased value of one order that a transfer out took. */
    record EarnedTake(String orderId, long amountFen) {
    }

    record OutflowRejected(String accountId, String bankTxnId, OutflowType outflowType, String orderId,
                           long amountFen, OutflowRejectionReason reason, String detail, long balanceFen,
                           Instant occurredAt) implements NoMoneyMovement {
    }

    record HeldOutflowApproved(String accountId, String heldOutflowId, String decidedBy, String note,
                               Instant occurredAt) implements NoMoneyMovement {
    }

    record HeldOutflowRejected(String accountId, String heldOutflowId, String decidedBy, String reason,
                               Instant occurredAt) implements NoMoneyMovement {
    }

    record InterestCredited(String accountId, String postingId, String bankTxnId, long amountFen, String memo,
                            long balanceAfterFen, Instant occurredAt) implements MoneyMovement {

        @Override
        public long signedFen() {
            return amountFen;
        }
    }

    record BankFeeCharged(String accountId, String postingId, String bankTxnId, long amountFen, String memo,
                          long balanceAfterFen, Instant occurredAt) implements MoneyMovement {

        @Override
        public long signedFen() {
            return -amountFen;
        }
    }

    /** A signed correction the bank booked; negative takes money out. */
    record AdjustmentPosted(String accountId, String postingId, String bankTxnId, long amountFen, String memo,
                            long balanceAfterFen, Instant occurredAt) implements MoneyMovement {

        @Override
        public long signedFen() {
            return amountFen;
        }
    }

    /** A refund on the order is disputed: its releases, and transfers of its earned value, wait. */
    record RefundDisputeOpened(String accountId, String disputeId, String orderId, String openedBy, String reason,
                               Instant occurredAt) implements NoMoneyMovement {
    }

    /** A regulator closed the dispute. */
    record RefundDisputeClosed(String accountId, String disputeId, String orderId, String closedBy,
                               String resolution, Instant occurredAt) implements NoMoneyMovement {
    }

    record AccountFrozen(String accountId, String reason, String by, Instant occurredAt) implements NoMoneyMovement {
    }

    record AccountUnfrozen(String accountId, String reason, String by, Instant occurredAt) implements NoMoneyMovement {
    }

    record StatementReconciled(String accountId, String statementId, LocalDate statementDate, long closingBalanceFen,
                               long ledgerBalanceFen, int transactionCount, int ledgerTransactionCount,
                               Instant occurredAt) implements NoMoneyMovement {
    }

    record StatementMismatched(String accountId, String statementId, LocalDate statementDate, long closingBalanceFen,
                               long ledgerBalanceFen, long differenceFen, int transactionCount,
                               int ledgerTransactionCount, Instant occurredAt) implements NoMoneyMovement {
    }

    /** The institution's status, mode or policy changed; the account decides by these from now on. */
    record SupervisionTermsChanged(String accountId, InstitutionStatus institutionStatus,
                                   SupervisionMode supervisionMode, SupervisionPolicy policy,
                                   Instant occurredAt) implements NoMoneyMovement {
    }

    /** The institution closed: each order's unconsumed value is now owed back to the family. */
    record RefundObligationsEstablished(String accountId, String reason, List<RefundObligation> obligations,
                                        long totalFen, Instant occurredAt) implements NoMoneyMovement {
    }

    record RefundObligation(String orderId, String studentRef, long amountFen) {
    }
}
