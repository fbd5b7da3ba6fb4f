package cn.prepaid.ledger.sim;

import cn.prepaid.ledger.sim.client.ApiException;
import cn.prepaid.ledger.sim.client.model.BankFeePosting;
import cn.prepaid.ledger.sim.client.model.BatchItemResult;
import cn.prepaid.ledger.sim.client.model.DepositPosting;
import cn.prepaid.ledger.sim.client.model.InterestPosting;
import cn.prepaid.ledger.sim.client.model.OpenAccountRequest;
import cn.prepaid.ledger.sim.client.model.PostingBatchRequest;
import cn.prepaid.ledger.sim.client.model.PostingRequest;
import cn.prepaid.ledger.sim.client.model.RefundPosting;
import cn.prepaid.ledger.sim.client.model.RegisterInstitutionRequest;
import cn.prepaid.ledger.sim.client.model.ReleasePosting;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Setting up data through the public API only, with the client generated from docs/openapi.json:
 * institutions registered and approved by the national regulator, accounts opened by the bank, and
 * realistic postings sent in batches.
 */
final class Seeding {

    /** Postings are spread over this much of the past (occurredAt), inside the 400 days of docs/api.md. */
    static final Duration HISTORY_SPAN = Duration.ofDays(360);
    private static final LocalDate COURSE_START = LocalDate.of(2026, 3, 2);
    private static final LocalDate COURSE_END = LocalDate.of(2026, 5, 30);
    /** Late postings happened up to this long before their place in the stream. */
    private static final long LATE_BY_MAX_DAYS = 30;

    private Seeding() {
    }

    static void institution(LedgerClient ledger, String institutionId, String name) throws ApiException {
        LedgerClient.Apis regulator = ledger.as("REGULATOR");
        regulator.institutions().registerInstitution(new RegisterInstitutionRequest().institutionId(institutionId)
                .name(name).regionCode("330106").category(RegisterInstitutionRequest.CategoryEnum.NON_SUBJECT)
                .supervisionMode(RegisterInstitutionRequest.SupervisionModeEnum.FULL_CUSTODY));
        regulator.institutions().approveInstitution(institutionId);
    }

    static void account(LedgerClient ledger, String accountId, String institutionId) throws ApiException {
        ledger.as("BANK").accounts().openAccount(new OpenAccountRequest().accountId(accountId)
                .institutionId(institutionId).bankAccountNo("62" + Math.abs(accountId.hashCode())));
    }

    /**
     * {@code count} accounts of the demo bank, ten to an institution, for a benchmark run. Ids carry
     * {@code run}, so runs against the same ledger never collide.
     */
    static List<String> accounts(LedgerClient ledger, String run, int count) throws ApiException {
        List<String> accountIds = new ArrayList<>();
        String institution = null;
        for (int a = 0; a < count; a++) {
            if (a % 10 == 0) {
                institution = Ids.institutionId("330106", Math.abs((run + a).hashCode()));
                institution(ledger, institution, "bench " + run + " " + a);
            }
            String account = "B" + run + "-" + a;
            account(ledger, account, institution);
            accountIds.add(account);
        }
        return accountIds;
    }

    /** A short id unique to this run. */
    static String runId() {
        return Long.toString(System.currentTimeMillis() % 100_000_000L, 36);
    }

    /** A minute ago, in China Standard Time, as a bank would write it. */
    static String aMinuteAgo() {
        return Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS)
                .atOffset(ZoneOffset.ofHours(8)).toString();
    }

    /**
     * A deposit for {@code lessons} lessons at 80.00 yuan, order {@code "O-" + bankTxnId}; more than 60
     * lessons breaks the charge cap (recorded, and alerted). Built by hand, for the comparison of clients
     * in {@link ClientCost}.
     */
    static Map<String, Object> deposit(String bankTxnId, int lessons, String occurredAt) {
        return posting(bankTxnId, "DEPOSIT", (lessons * 80) + ".00", occurredAt, Map.of("orderId", "O-" + bankTxnId,
                "studentRef", "s-" + bankTxnId, "lessons", lessons, "lessonPrice", "80.00",
                "courseStart", "2026-03-02", "courseEnd", "2026-05-30"));
    }

    /** The same deposit as the generated client's model; as an item of a batch it also names its account. */
    static DepositPosting depositPosting(String bankTxnId, int lessons, OffsetDateTime occurredAt) {
        return depositPosting(bankTxnId, occurredAt, "O-" + bankTxnId, lessons);
    }

    private static DepositPosting depositPosting(String bankTxnId, OffsetDateTime occurredAt, String orderId,
                                                 int lessons) {
        return new DepositPosting().bankTxnId(bankTxnId).type(DepositPosting.TypeEnum.DEPOSIT)
                .amount((lessons * 80) + ".00").currency(DepositPosting.CurrencyEnum.CNY).occurredAt(occurredAt)
                .orderId(orderId).studentRef("s-" + bankTxnId).lessons(lessons).lessonPrice("80.00")
                .courseStart(COURSE_START).courseEnd(COURSE_END);
    }

    /**
     * The i-th posting of an account whose {@code total} postings are spread evenly over
     * {@link #HISTORY_SPAN} up to {@code end}. Regular postings cycle through a deposit (a new order of
     * 10 lessons at 80.00), interest, a partial refund and a release of the latest deposit's order (the
     * release is refused and recorded: nothing was consumed), and a fee. One in twenty is posted late: it
     * happened 1 to 30 days before its place, and is a deposit of its own order or a fee.
     */
    static PostingRequest posting(String accountId, String txnPrefix, int i, int total, Instant end) {
        long spanSeconds = HISTORY_SPAN.toSeconds();
        Instant natural = end.minusSeconds(spanSeconds).plusSeconds(spanSeconds * i / Math.max(1, total));
        boolean late = Math.floorMod((long) i * 2654435761L, 20) == 7;
        Instant occurred = natural;
        if (late) {
            long days = 1 + Math.floorMod((long) i * 40503L, LATE_BY_MAX_DAYS);
            Instant earliest = end.minusSeconds(spanSeconds).minus(Duration.ofDays(5));
            occurred = natural.minus(Duration.ofDays(days));
            occurred = occurred.isBefore(earliest) ? earliest : occurred;
        }
        OffsetDateTime occurredAt = occurred.atOffset(ZoneOffset.ofHours(8));
        String txn = txnPrefix + i;
        int kind = late ? (i % 2 == 0 ? 0 : 4) : i % 5;
        return switch (kind) {
            case 0 -> new PostingRequest(depositPosting(txn, occurredAt, "O" + i, 10).accountId(accountId));
            case 1 -> new PostingRequest(new InterestPosting().accountId(accountId).bankTxnId(txn)
                    .type(InterestPosting.TypeEnum.INTEREST).amount("1.25").currency(InterestPosting.CurrencyEnum.CNY)
                    .occurredAt(occurredAt).memo("interest"));
            case 2 -> new PostingRequest(new RefundPosting().accountId(accountId).bankTxnId(txn)
                    .type(RefundPosting.TypeEnum.REFUND).amount("80.00").currency(RefundPosting.CurrencyEnum.CNY)
                    .occurredAt(occurredAt).orderId("O" + (i - i % 5)));
            case 3 -> new PostingRequest(new ReleasePosting().accountId(accountId).bankTxnId(txn)
                    .type(ReleasePosting.TypeEnum.RELEASE).amount("80.00").currency(ReleasePosting.CurrencyEnum.CNY)
                    .occurredAt(occurredAt).orderId("O" + (i - i % 5)));
            default -> new PostingRequest(new BankFeePosting().accountId(accountId).bankTxnId(txn)
                    .type(BankFeePosting.TypeEnum.BANK_FEE).amount("3.00").currency(BankFeePosting.CurrencyEnum.CNY)
                    .occurredAt(occurredAt).memo("fee"));
        };
    }

    /** Interest the bank credits to the account (single-posting body). */
    static Map<String, Object> interest(String bankTxnId, String amount, String occurredAt) {
        return posting(bankTxnId, "INTEREST", amount, occurredAt, Map.of());
    }

    private static Map<String, Object> posting(String bankTxnId, String type, String amount, String occurredAt,
                                               Map<String, Object> extra) {
        Map<String, Object> posting = new LinkedHashMap<>();
        posting.put("bankTxnId", bankTxnId);
        posting.put("type", type);
        posting.put("amount", amount);
        posting.put("currency", "CNY");
        posting.put("occurredAt", occurredAt);
        posting.putAll(extra);
        return posting;
    }

    /**
     * Posts one batch; every item must be recorded (201), a recorded refusal (422), or, when seeding is
     * resumed over a batch that was partly sent before, already there (409: same id, other occurredAt).
     * Answers how many were already there.
     */
    static int postBatch(LedgerClient ledger, List<PostingRequest> items) throws ApiException {
        List<BatchItemResult> results = ledger.as("BANK").postings()
                .postTransactionBatch(new PostingBatchRequest().transactions(items)).getResults();
        int alreadyThere = 0;
        for (BatchItemResult result : results) {
            int status = result.getStatus();
            if (status == 409) {
                alreadyThere++;
            } else if (status != 201 && status != 422) {
                throw new IllegalStateException("a seeded posting was answered " + status + ": "
                        + result.getBody().getActualInstance());
            }
        }
        return alreadyThere;
    }

    static void require(LedgerClient.Answer answer, int status) {
        if (answer.status() != status) {
            throw new IllegalStateException("expected " + status + " but the ledger answered " + answer.status() + ": "
                    + answer.body());
        }
    }
}
