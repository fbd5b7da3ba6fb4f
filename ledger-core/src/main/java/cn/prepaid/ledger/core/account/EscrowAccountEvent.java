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
 */
public sealed interface EscrowAccountEvent {

    String accountId();

    Instant occurredAt();

    record EscrowAccountOpened(String accountId, String institutionId, String regionCode, String bankCode,
                               String bankAccountNo, SupervisionMode supervisionMode,
                               InstitutionStatus institutionStatus, SupervisionPolicy policy,
                               Instant occurredAt) implements EscrowAccountEvent {
    }

    record TuitionDeposited(String accountId, String postingId, String bankTxnId, String orderId, String studentRef,
                            int lessons, long lessonPriceFen, long amountFen, LocalDate courseStart,
                            LocalDate courseEnd, long balanceAfterFen, Instant occurredAt) implements EscrowAccountEvent {
    }

    /** The deposit above was recorded (the money arrived) but the charge breaks the cap. */
    record ChargeCapExceeded(String accountId, String orderId, String bankTxnId, int lessons, int maxLessons,
                             LocalDate courseStart, LocalDate courseEnd, int maxMonths,
                             Instant occurredAt) implements EscrowAccountEvent {
    }

    record LessonsConsumed(String accountId, String orderId, String consumptionId, int lessons,
                           int lessonsConsumedTotal, int lessonsRemaining, long consumedValueFen,
                           Instant occurredAt) implements EscrowAccountEvent {
    }

    record FundsReleased(String accountId, String postingId, String bankTxnId, String orderId, long amountFen,
                         long balanceAfterFen, String heldOutflowId, Instant occurredAt) implements EscrowAccountEvent {
    }

    record TuitionRefunded(String accountId, String postingId, String bankTxnId, String orderId, long amountFen,
                           long balanceAfterFen, Instant occurredAt) implements EscrowAccountEvent {
    }

    /**
     * Money left for anything but a release or refund. Under full custody {@code earnedFromOrders} says
     * which orders' earned, unreleased value it took (oldest order first): those are released by it and
     * cannot leave again. Empty when it took only money backing no order, and in events recorded before
     * transfers could take earned money.
     */
    record FundsTransferredOut(String accountId, String postingId, String bankTxnId, long amountFen,
                               String counterparty, String purpose, long balanceAfterFen, String heldOutflowId,
                               Instant occurredAt, List<EarnedTake> earnedFromOrders) implements EscrowAccountEvent {

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
                       Instant occurredAt, List<EarnedTake> earnedFromOrders) implements EscrowAccountEvent {

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
                           Instant occurredAt) implements EscrowAccountEvent {
    }

    record HeldOutflowApproved(String accountId, String heldOutflowId, String decidedBy, String note,
                               Instant occurredAt) implements EscrowAccountEvent {
    }

    record HeldOutflowRejected(String accountId, String heldOutflowId, String decidedBy, String reason,
                               Instant occurredAt) implements EscrowAccountEvent {
    }

    record InterestCredited(String accountId, String postingId, String bankTxnId, long amountFen, String memo,
                            long balanceAfterFen, Instant occurredAt) implements EscrowAccountEvent {
    }

    record BankFeeCharged(String accountId, String postingId, String bankTxnId, long amountFen, String memo,
                          long balanceAfterFen, Instant occurredAt) implements EscrowAccountEvent {
    }

    /** A signed correction the bank booked; negative takes money out. */
    record AdjustmentPosted(String accountId, String postingId, String bankTxnId, long amountFen, String memo,
                            long balanceAfterFen, Instant occurredAt) implements EscrowAccountEvent {
    }

    /** A refund on the order is disputed: its releases, and transfers of its earned value, wait. */
    record RefundDisputeOpened(String accountId, String disputeId, String orderId, String openedBy, String reason,
                               Instant occurredAt) implements EscrowAccountEvent {
    }

    /** A regulator closed the dispute. */
    record RefundDisputeClosed(String accountId, String disputeId, String orderId, String closedBy,
                               String resolution, Instant occurredAt) implements EscrowAccountEvent {
    }

    record AccountFrozen(String accountId, String reason, String by, Instant occurredAt) implements EscrowAccountEvent {
    }

    record AccountUnfrozen(String accountId, String reason, String by, Instant occurredAt) implements EscrowAccountEvent {
    }

    record StatementReconciled(String accountId, String statementId, LocalDate statementDate, long closingBalanceFen,
                               long ledgerBalanceFen, int transactionCount, int ledgerTransactionCount,
                               Instant occurredAt) implements EscrowAccountEvent {
    }

    record StatementMismatched(String accountId, String statementId, LocalDate statementDate, long closingBalanceFen,
                               long ledgerBalanceFen, long differenceFen, int transactionCount,
                               int ledgerTransactionCount, Instant occurredAt) implements EscrowAccountEvent {
    }

    /** The institution's status, mode or policy changed; the account decides by these from now on. */
    record SupervisionTermsChanged(String accountId, InstitutionStatus institutionStatus,
                                   SupervisionMode supervisionMode, SupervisionPolicy policy,
                                   Instant occurredAt) implements EscrowAccountEvent {
    }

    /** The institution closed: each order's unconsumed value is now owed back to the family. */
    record RefundObligationsEstablished(String accountId, String reason, List<RefundObligation> obligations,
                                        long totalFen, Instant occurredAt) implements EscrowAccountEvent {
    }

    record RefundObligation(String orderId, String studentRef, long amountFen) {
    }
}
