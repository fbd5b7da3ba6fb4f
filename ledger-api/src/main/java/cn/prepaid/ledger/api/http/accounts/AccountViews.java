package cn.prepaid.ledger.api.http.accounts;

import cn.prepaid.ledger.api.http.openapi.MoneyPatterns;
import cn.prepaid.ledger.core.account.ConsumptionOutcome;
import cn.prepaid.ledger.core.account.EscrowAccount;
import cn.prepaid.ledger.core.account.HeldOutflowDecision;
import cn.prepaid.ledger.core.account.PostingOutcome;
import cn.prepaid.ledger.core.account.StatementOutcome;
import cn.prepaid.ledger.core.money.Money;
import cn.prepaid.ledger.projections.query.AccountSummary;
import cn.prepaid.ledger.projections.query.HeldOutflowSummary;
import cn.prepaid.ledger.projections.query.OrderSummary;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.time.LocalDate;

/** Answers about accounts, as API.md gives them. Money as decimal strings. */
public final class AccountViews {

    private AccountViews() {
    }

    @Schema(name = "Account")
    public record Account(String accountId, String institutionId, String bankCode, String bankAccountNo,
                          @Schema(pattern = MoneyPatterns.ANSWER) String balance,
                          @Schema(pattern = MoneyPatterns.ANSWER) String floor,
                          @Schema(pattern = MoneyPatterns.ANSWER) String releasable,
                          @Schema(pattern = MoneyPatterns.ANSWER) String outstandingLiability,
                          boolean frozen, int orderCount) {

        public static Account of(AccountSummary account) {
            return new Account(account.accountId(), account.institutionId(), account.bankCode(),
                    account.bankAccountNo(), account.balance().toWire(), account.floor().toWire(),
                    account.releasable().toWire(), account.outstandingLiability().toWire(), account.frozen(),
                    account.orderCount());
        }

        /** The account as its aggregate holds it; {@link #withFloor} sets its share of the institution's floor. */
        public static Account of(EscrowAccount.State account) {
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

    @Schema(name = "TuitionOrder")
    public record Order(String orderId, String studentRef, int lessons, String lessonPrice, String paid,
                        LocalDate courseStart, LocalDate courseEnd, int lessonsConsumed, String released,
                        String refunded, Instant depositedAt) {

        public static Order of(OrderSummary order) {
            return new Order(order.orderId(), order.studentRef(), order.lessons(), order.lessonPrice().toWire(),
                    order.paid().toWire(), order.courseStart(), order.courseEnd(), order.lessonsConsumed(),
                    order.released().toWire(), order.refunded().toWire(), order.depositedAt());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "PostingResult")
    public record Posting(@Schema(description = "absent when held") String postingId, String bankTxnId,
                          @Schema(allowableValues = {"RECORDED", "RELEASED", "REFUNDED", "HELD"}) String status,
                          @Schema(description = "only when held") String heldOutflowId,
                          @Schema(pattern = MoneyPatterns.ANSWER,
                                  description = "after the posting; unchanged when held") String balance) {

        public static Posting of(PostingOutcome outcome) {
            // A transfer out is booked like any other posting: API.md's statuses name no TRANSFERRED.
            String status = outcome.status() == PostingOutcome.Status.TRANSFERRED ? "RECORDED" : outcome.status().name();
            return new Posting(outcome.postingId(), outcome.bankTxnId(), status, outcome.heldOutflowId(),
                    Money.ofFen(outcome.balanceFen()).toWire());
        }
    }

    @Schema(name = "ConsumptionResult")
    public record Consumption(String orderId, int lessonsConsumed, int lessonsRemaining,
                              @Schema(pattern = MoneyPatterns.ANSWER) String releasable) {

        public static Consumption of(ConsumptionOutcome outcome) {
            return new Consumption(outcome.orderId(), outcome.lessonsConsumed(), outcome.lessonsRemaining(),
                    Money.ofFen(outcome.releasableFen()).toWire());
        }
    }

    @Schema(name = "StatementResult")
    public record Statement(@Schema(allowableValues = {"RECONCILED", "MISMATCHED"}) String result,
                            @Schema(pattern = MoneyPatterns.ANSWER) String ledgerBalance,
                            @Schema(pattern = MoneyPatterns.ANSWER) String difference,
                            int ledgerTransactionCount) {

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
    @Schema(name = "HeldOutflow")
    public record Held(String heldOutflowId, String accountId, String institutionId, String type,
                       @Schema(pattern = MoneyPatterns.ANSWER) String amount,
                       String bankTxnId, String heldAt,
                       @Schema(allowableValues = {"PENDING", "APPROVED", "REJECTED"}) String status,
                       @Schema(description = "once decided") String decidedAt,
                       @Schema(description = "once decided: the regulator's name") String decidedBy,
                       @Schema(description = "approved only, when the regulator gave one") String note,
                       @Schema(description = "rejected only") String reason,
                       @Schema(description = "approved only: the posting that paid it") String postingId) {

        public static Held of(HeldOutflowSummary held) {
            boolean rejected = "REJECTED".equals(held.status());
            return new Held(held.heldOutflowId(), held.accountId(), held.institutionId(), held.type(),
                    held.amount().toWire(), held.bankTxnId(), held.heldAt().toString(), held.status(),
                    held.decidedAt() == null ? null : held.decidedAt().toString(), held.decidedBy(),
                    rejected ? null : held.decisionNote(), rejected ? held.decisionNote() : null, held.postingId());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "HeldOutflowDecision")
    public record HeldDecision(String heldOutflowId, @Schema(allowableValues = {"APPROVED", "REJECTED"}) String status,
                               @Schema(description = "absent when rejected") String postingId,
                               @Schema(pattern = MoneyPatterns.ANSWER) String balance) {

        public static HeldDecision of(HeldOutflowDecision decision) {
            return new HeldDecision(decision.heldOutflowId(), decision.status().name(), decision.postingId(),
                    Money.ofFen(decision.balanceFen()).toWire());
        }
    }
}
