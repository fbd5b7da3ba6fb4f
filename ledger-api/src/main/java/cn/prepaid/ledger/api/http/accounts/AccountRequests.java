package cn.prepaid.ledger.api.http.accounts;

import cn.prepaid.ledger.api.http.openapi.MoneyPatterns;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import tools.jackson.databind.JsonNode;

import java.util.List;

/** The bodies banks, the platform and regulators send about accounts. Money as decimal strings. */
public final class AccountRequests {

    private AccountRequests() {
    }

    @Schema(name = "OpenAccountRequest",
            description = "Opens an escrow account at the calling bank (the bank code comes from the API key).")
    public record Open(@Schema(example = "ICBC-HZ-0001") String accountId,
                       @Schema(example = "91330106MA27XK8G6H") String institutionId,
                       @Schema(example = "1202021109900012345") String bankAccountNo) {
    }

    @Schema(name = "PostingRequest",
            description = "One bank posting. Common fields: bankTxnId, type, amount, currency, occurredAt; "
            + "DEPOSIT adds orderId, studentRef, lessons, lessonPrice, courseStart, courseEnd; RELEASE and REFUND "
            + "add orderId; TRANSFER_OUT adds counterparty and purpose; INTEREST, BANK_FEE and ADJUSTMENT add memo. "
            + "accountId is only for batch items.")
    public record Posting(
            @Schema(example = "ICBC-HZ-0001", description = "batch items only") String accountId,
            @Schema(example = "ICBC20260301000123") String bankTxnId,
            @Schema(example = "DEPOSIT", allowableValues = {"DEPOSIT", "RELEASE", "REFUND", "TRANSFER_OUT",
                    "INTEREST", "BANK_FEE", "ADJUSTMENT"}) String type,
            @Schema(example = "4800.00") String amount,
            @Schema(example = "CNY") String currency,
            @Schema(example = "2026-03-01T09:30:00+08:00") String occurredAt,
            @Schema(example = "ORD-2026-0001") String orderId,
            @Schema(example = "stu-7f3a9c") String studentRef,
            @Schema(example = "60") Integer lessons,
            @Schema(example = "80.00") String lessonPrice,
            @Schema(example = "2026-03-02") String courseStart,
            @Schema(example = "2026-05-31") String courseEnd,
            @Schema(example = "Hangzhou Qiming Arts Co., Ltd. operating account") String counterparty,
            @Schema(example = "interest sweep") String purpose,
            @Schema(example = "quarterly interest") String memo) {
    }

    /**
     * Up to 1,000 postings, each with its accountId. Items are read one by one (see PostingController)
     * so one malformed item is answered on its own instead of failing the batch.
     */
    @Schema(name = "PostingBatchRequest", description = "Up to 1,000 postings, each with its accountId.")
    public record Batch(@ArraySchema(schema = @Schema(implementation = Posting.class)) List<JsonNode> transactions) {
    }

    @Schema(name = "DailyStatementRequest", description = "The bank's daily statement for one account.")
    public record Statement(@Schema(example = "STMT-ICBC-HZ-0001-20260301") String statementId,
                            @Schema(example = "2026-03-01") String statementDate,
                            @Schema(example = "14400.00", pattern = MoneyPatterns.REQUEST)
                            String closingBalance,
                            @Schema(example = "3") Integer transactionCount) {
    }

    @Schema(name = "ConsumptionRequest", description = "Lessons delivered for one order (消课).")
    public record Consumption(@Schema(example = "CONS-2026-03-08-0001") String consumptionId,
                              @Schema(example = "2") Integer lessons,
                              @Schema(example = "2026-03-08T18:00:00+08:00") String occurredAt) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Reason(@Schema(example = "suspected collect-and-run") String reason) {
    }

    @Schema(name = "HeldOutflowNote")
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Note(@Schema(example = "tuition for completed spring term") String note) {
    }
}
