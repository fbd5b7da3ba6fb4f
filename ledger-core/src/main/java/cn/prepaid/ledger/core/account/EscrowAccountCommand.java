package cn.prepaid.ledger.core.account;

import cn.prepaid.ledger.core.ids.AccountId;
import cn.prepaid.ledger.core.ids.BankCode;
import cn.prepaid.ledger.core.ids.BankTxnId;
import cn.prepaid.ledger.core.ids.ConsumptionId;
import cn.prepaid.ledger.core.ids.DisputeId;
import cn.prepaid.ledger.core.ids.HeldOutflowId;
import cn.prepaid.ledger.core.ids.InstitutionId;
import cn.prepaid.ledger.core.ids.OrderId;
import cn.prepaid.ledger.core.idempotency.IdempotentCommand;
import cn.prepaid.ledger.core.institution.SupervisionTerms;
import cn.prepaid.ledger.core.money.Money;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.time.LocalDate;

/** What banks, platforms, regulators and the institution's own lifecycle ask of an escrow account. */
public sealed interface EscrowAccountCommand {

    AccountId accountId();

    /** Opens the account under the terms the institution had when it linked the account. */
    record OpenEscrowAccount(@TargetAggregateIdentifier AccountId accountId, InstitutionId institutionId,
                             BankCode bankCode, String bankAccountNo, SupervisionTerms terms,
                             Instant occurredAt) implements EscrowAccountCommand {
    }

    /** Bank postings: each carries the bank's transaction id, applied at most once per account. */
    sealed interface Posting extends EscrowAccountCommand, IdempotentCommand {
        BankTxnId bankTxnId();

        Money amount();

        Instant occurredAt();

        @Override
        default String idempotencyKey() {
            return "bank-txn:" + accountId() + ":" + bankTxnId();
        }

        /**
         * Has {@code account} decide on this posting, as its command handler would, for the batch path that
         * runs several postings in one transaction; {@code funds} are the institution's other accounts, which
         * only outflows judged against the floor read. Every posting must say which handler decides it.
         */
        PostingOutcome decideOn(EscrowAccount account, InstitutionFunds funds);
    }

    /**
     * The postings that ask money out against the institution's floor, a release or a transfer out: their
     * decision counts the institution's other accounts ({@link InstitutionFunds}) and is serialised per
     * institution. A refund goes back to a family and is never judged against the floor.
     */
    sealed interface FloorJudgedOutflow extends Posting {
    }

    record DepositTuition(@TargetAggregateIdentifier AccountId accountId, BankTxnId bankTxnId, Money amount,
                          OrderId orderId, String studentRef, int lessons, Money lessonPrice,
                          LocalDate courseStart, LocalDate courseEnd, Instant occurredAt) implements Posting {
        @Override
        public PostingOutcome decideOn(EscrowAccount account, InstitutionFunds funds) {
            return account.handle(this);
        }

        /**
         * Whether {@code amount} is exactly {@code lessons × lessonPrice}: the one statement of the deposit's
         * amount rule, for the aggregate and for the answer to a bad request. A price above
         * {@code amount / lessons} cannot match, and multiplying it could overflow.
         */
        public static boolean amountMatches(Money amount, int lessons, Money lessonPrice) {
            return lessons > 0 && lessonPrice.fen() <= amount.fen() / lessons
                    && lessonPrice.times(lessons).equals(amount);
        }
    }

    record RequestRelease(@TargetAggregateIdentifier AccountId accountId, BankTxnId bankTxnId, Money amount,
                          OrderId orderId, Instant occurredAt) implements FloorJudgedOutflow {
        @Override
        public PostingOutcome decideOn(EscrowAccount account, InstitutionFunds funds) {
            return account.handle(this, funds);
        }
    }

    record RequestRefund(@TargetAggregateIdentifier AccountId accountId, BankTxnId bankTxnId, Money amount,
                         OrderId orderId, Instant occurredAt) implements Posting {
        @Override
        public PostingOutcome decideOn(EscrowAccount account, InstitutionFunds funds) {
            return account.handle(this);
        }
    }

    record RequestTransferOut(@TargetAggregateIdentifier AccountId accountId, BankTxnId bankTxnId, Money amount,
                              String counterparty, String purpose, Instant occurredAt)
            implements FloorJudgedOutflow {
        @Override
        public PostingOutcome decideOn(EscrowAccount account, InstitutionFunds funds) {
            return account.handle(this, funds);
        }
    }

    record RecordInterest(@TargetAggregateIdentifier AccountId accountId, BankTxnId bankTxnId, Money amount,
                          String memo, Instant occurredAt) implements Posting {
        @Override
        public PostingOutcome decideOn(EscrowAccount account, InstitutionFunds funds) {
            return account.handle(this);
        }
    }

    record RecordBankFee(@TargetAggregateIdentifier AccountId accountId, BankTxnId bankTxnId, Money amount,
                         String memo, Instant occurredAt) implements Posting {
        @Override
        public PostingOutcome decideOn(EscrowAccount account, InstitutionFunds funds) {
            return account.handle(this);
        }
    }

    /** A signed correction; the only posting whose amount may be negative. */
    record PostAdjustment(@TargetAggregateIdentifier AccountId accountId, BankTxnId bankTxnId, Money amount,
                          String memo, Instant occurredAt) implements Posting {
        @Override
        public PostingOutcome decideOn(EscrowAccount account, InstitutionFunds funds) {
            return account.handle(this);
        }
    }

    /** The platform confirms lessons delivered (消课) for one order. */
    record ConsumeLessons(@TargetAggregateIdentifier AccountId accountId, OrderId orderId,
                          ConsumptionId consumptionId, int lessons, Instant occurredAt)
            implements EscrowAccountCommand, IdempotentCommand {
        @Override
        public String idempotencyKey() {
            return "consumption:" + accountId + ":" + consumptionId;
        }
    }

    /**
     * A bank or the platform disputes a refund on one order (退费争议): releases of the order wait until a
     * regulator closes it. The dispute id is the client's, applied at most once per account.
     */
    record OpenRefundDispute(@TargetAggregateIdentifier AccountId accountId, OrderId orderId, DisputeId disputeId,
                             String openedBy, String reason, Instant occurredAt)
            implements EscrowAccountCommand, IdempotentCommand {
        @Override
        public String idempotencyKey() {
            return "dispute:" + accountId + ":" + disputeId;
        }
    }

    /** A regulator closes a refund dispute; the order's earned value may leave again. */
    record CloseRefundDispute(@TargetAggregateIdentifier AccountId accountId, DisputeId disputeId, String closedBy,
                              String resolution, Instant at) implements EscrowAccountCommand {
    }

    /** The bank's daily statement: its closing balance and how many postings it booked that day. */
    record ReconcileStatement(@TargetAggregateIdentifier AccountId accountId, String statementId,
                              LocalDate statementDate, Money closingBalance, int transactionCount)
            implements EscrowAccountCommand, IdempotentCommand {
        @Override
        public String idempotencyKey() {
            return "statement:" + accountId + ":" + statementId;
        }
    }

    record ApproveHeldOutflow(@TargetAggregateIdentifier AccountId accountId, HeldOutflowId heldOutflowId,
                              String decidedBy, String note, Instant decidedAt) implements EscrowAccountCommand {
    }

    record RejectHeldOutflow(@TargetAggregateIdentifier AccountId accountId, HeldOutflowId heldOutflowId,
                             String decidedBy, String reason, Instant decidedAt) implements EscrowAccountCommand {
    }

    record FreezeAccount(@TargetAggregateIdentifier AccountId accountId, String reason, String by, Instant at)
            implements EscrowAccountCommand {
    }

    record UnfreezeAccount(@TargetAggregateIdentifier AccountId accountId, String reason, String by, Instant at)
            implements EscrowAccountCommand {
    }

    /** Sent for every linked account when the institution's status, mode or policy changes. */
    record ApplySupervisionTerms(@TargetAggregateIdentifier AccountId accountId, SupervisionTerms terms, Instant at)
            implements EscrowAccountCommand {
    }

    /** Sent for every linked account when the institution closes (终止办学). */
    record ApplyInstitutionClosure(@TargetAggregateIdentifier AccountId accountId, String reason, Instant at)
            implements EscrowAccountCommand {
    }
}
