package cn.prepaid.ledger.api.http.accounts;

import cn.prepaid.ledger.core.account.ConsumptionOutcome;
import cn.prepaid.ledger.core.account.EscrowAccount;
import cn.prepaid.ledger.core.account.HeldOutflowDecision;
import cn.prepaid.ledger.core.account.PostingOutcome;
import cn.prepaid.ledger.core.account.StatementOutcome;
import cn.prepaid.ledger.core.money.Money;
import cn.prepaid.ledger.projections.query.AccountSummary;
import cn.prepaid.ledger.projections.query.HeldOutflowSummary;
import com.fasterxml.jackson.annotation.JsonInclude;

/** Answers about accounts, as API.md gives them. Money as decimal strings. */
public final class AccountViews {

    private AccountViews() {
    }

    public record Account(String accountId, String institutionId, String bankCode, String bankAccountNo,
                          String balance, String floor, String releasable, String outstandingLiability,
                          boolean frozen, int orderCount) {

        public static Account of(AccountSummary account) {
            return new Account(account.accountId(), account.institutionId(), account.bankCode(),
                    account.bankAccountNo(), account.balance().toWire(), account.floor().toWire(),
                    account.releasable().toWire(), account.outstandingLiability().toWire(), account.frozen(),
                    account.orderCount());
        }

        /** The account as its aggregate holds it; {@link #withFloor} sets its share of the institution's floor. */
        public static Account of(EscrowAccount account) {
            return new Account(account.accountId(), account.institutionId(), account.bankCode(),
                    account.bankAccountNo(), account.balance().toWire(), account.floor().toWire(),
                    account.releasable().toWire(), account.outstandingLiability().toWire(), account.frozen(),
                    account.orderCount());
        }

        public Account withFloor(Money floorShare) {
            return new Account(accountId, institutionId, bankCode, bankAccountNo, balance, floorShare.toWire(),
                    releasable, outstandingLiability, frozen, orderCount);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Posting(String postingId, String bankTxnId, String status, String heldOutflowId, String balance) {

        public static Posting of(PostingOutcome outcome) {
            // A transfer out is booked like any other posting: API.md's statuses name no TRANSFERRED.
            String status = outcome.status() == PostingOutcome.Status.TRANSFERRED ? "RECORDED" : outcome.status().name();
            return new Posting(outcome.postingId(), outcome.bankTxnId(), status, outcome.heldOutflowId(),
                    Money.ofFen(outcome.balanceFen()).toWire());
        }
    }

    public record Consumption(String orderId, int lessonsConsumed, int lessonsRemaining, String releasable) {

        public static Consumption of(ConsumptionOutcome outcome) {
            return new Consumption(outcome.orderId(), outcome.lessonsConsumed(), outcome.lessonsRemaining(),
                    Money.ofFen(outcome.releasableFen()).toWire());
        }
    }

    public record Statement(String result, String ledgerBalance, String difference, int ledgerTransactionCount) {

        public static Statement of(StatementOutcome outcome) {
            return new Statement(outcome.result().name(), Money.ofFen(outcome.ledgerBalanceFen()).toWire(),
                    Money.ofFen(outcome.differenceFen()).toWire(), outcome.ledgerTransactionCount());
        }
    }

    /**
     * A held outflow; once decided also when, by whom, the approval's note or the rejection's reason,
     * and the posting an approval produced (fields left out while they do not apply).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Held(String heldOutflowId, String accountId, String institutionId, String type, String amount,
                       String bankTxnId, String heldAt, String status, String decidedAt, String decidedBy,
                       String note, String reason, String postingId) {

        public static Held of(HeldOutflowSummary held) {
            boolean rejected = "REJECTED".equals(held.status());
            return new Held(held.heldOutflowId(), held.accountId(), held.institutionId(), held.type(),
                    held.amount().toWire(), held.bankTxnId(), held.heldAt().toString(), held.status(),
                    held.decidedAt() == null ? null : held.decidedAt().toString(), held.decidedBy(),
                    rejected ? null : held.decisionNote(), rejected ? held.decisionNote() : null, held.postingId());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record HeldDecision(String heldOutflowId, String status, String postingId, String balance) {

        public static HeldDecision of(HeldOutflowDecision decision) {
            return new HeldDecision(decision.heldOutflowId(), decision.status().name(), decision.postingId(),
                    Money.ofFen(decision.balanceFen()).toWire());
        }
    }
}
