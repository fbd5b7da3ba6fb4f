package cn.prepaid.ledger.sim;

import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Setting up data through the public API only: institutions registered and approved by the national
 * regulator, accounts opened by the bank, and realistic postings sent in batches.
 */
final class Seeding {

    /** Postings are spread over this much of the past (occurredAt), inside API.md's 400 days. */
    static final Duration HISTORY_SPAN = Duration.ofDays(360);
    /** Late postings happened up to this long before their place in the stream. */
    private static final long LATE_BY_MAX_DAYS = 30;

    private Seeding() {
    }

    static void institution(LedgerClient ledger, String institutionId, String name) {
        require(ledger.post("REGULATOR", "/api/v1/institutions", Map.of("institutionId", institutionId, "name", name,
                "regionCode", "330106", "category", "NON_SUBJECT", "supervisionMode", "FULL_CUSTODY")), 201);
        require(ledger.post("REGULATOR", "/api/v1/institutions/" + institutionId + "/approve", null), 200);
    }

    static void account(LedgerClient ledger, String accountId, String institutionId) {
        require(ledger.post("BANK", "/api/v1/accounts", Map.of("accountId", accountId, "institutionId", institutionId,
                "bankAccountNo", "62" + Math.abs(accountId.hashCode()))), 201);
    }

    /**
     * {@code count} accounts of the demo bank, ten to an institution, for a benchmark run. Ids carry
     * {@code run}, so runs against the same ledger never collide.
     */
    static List<String> accounts(LedgerClient ledger, String run, int count) {
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
     * lessons breaks the charge cap (recorded, and alerted).
     */
    static Map<String, Object> deposit(String bankTxnId, int lessons, String occurredAt) {
        return deposit(bankTxnId, occurredAt, "O-" + bankTxnId, "s-" + bankTxnId, lessons, "80.00",
                (lessons * 80) + ".00");
    }

    /** The same deposit as an item of a batch, which names its account. */
    static Map<String, Object> batchItem(String accountId, String bankTxnId, int lessons, String occurredAt) {
        Map<String, Object> item = deposit(bankTxnId, lessons, occurredAt);
        item.put("accountId", accountId);
        return item;
    }

    /**
     * The i-th posting of an account whose {@code total} postings are spread evenly over
     * {@link #HISTORY_SPAN} up to {@code end}. Regular postings cycle through a deposit (a new order of
     * 10 lessons at 80.00), interest, a partial refund and a release of the latest deposit's order (the
     * release is refused and recorded: nothing was consumed), and a fee. One in twenty is posted late: it
     * happened 1 to 30 days before its place, and is a deposit of its own order or a fee.
     */
    static Map<String, Object> posting(String accountId, String txnPrefix, int i, int total, Instant end) {
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
        String occurredAt = occurred.atOffset(ZoneOffset.ofHours(8)).toString();
        String type = late ? (i % 2 == 0 ? "DEPOSIT" : "BANK_FEE") : switch (i % 5) {
            case 0 -> "DEPOSIT";
            case 1 -> "INTEREST";
            case 2 -> "REFUND";
            case 3 -> "RELEASE";
            default -> "BANK_FEE";
        };
        Map<String, Object> item = switch (type) {
            case "DEPOSIT" -> deposit(txnPrefix + i, occurredAt, "O" + i, "s" + i, 10, "80.00", "800.00");
            case "INTEREST" -> posting(txnPrefix + i, type, "1.25", occurredAt, Map.of("memo", "interest"));
            case "REFUND", "RELEASE" -> posting(txnPrefix + i, type, "80.00", occurredAt,
                    Map.of("orderId", "O" + (i - i % 5)));
            default -> posting(txnPrefix + i, type, "3.00", occurredAt, Map.of("memo", "fee"));
        };
        item.put("accountId", accountId);
        return item;
    }

    /** A tuition deposit (single-posting body; add accountId for a batch item). */
    static Map<String, Object> deposit(String bankTxnId, String occurredAt, String orderId, String studentRef,
                                       int lessons, String lessonPrice, String amount) {
        return posting(bankTxnId, "DEPOSIT", amount, occurredAt, Map.of("orderId", orderId, "studentRef", studentRef,
                "lessons", lessons, "lessonPrice", lessonPrice, "courseStart", "2026-03-02", "courseEnd", "2026-05-30"));
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
    static int postBatch(LedgerClient ledger, List<Map<String, Object>> items) {
        LedgerClient.Answer answer = ledger.post("BANK", "/api/v1/transactions/batch", Map.of("transactions", items));
        require(answer, 200);
        int alreadyThere = 0;
        for (JsonNode result : answer.body().get("results")) {
            int status = result.get("status").asInt();
            if (status == 409) {
                alreadyThere++;
            } else if (status != 201 && status != 422) {
                throw new IllegalStateException("a seeded posting was answered " + status + ": " + result);
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
