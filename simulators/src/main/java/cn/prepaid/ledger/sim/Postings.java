package cn.prepaid.ledger.sim;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/** Bodies of bank postings as API.md writes them. */
final class Postings {

    private Postings() {
    }

    /** A minute ago, in China Standard Time, as a bank would write it. */
    static String aMinuteAgo() {
        return Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS)
                .atOffset(ZoneOffset.ofHours(8)).toString();
    }

    /**
     * A tuition deposit for {@code lessons} lessons at 80.00 yuan, for a course of March to May 2026; more
     * than 60 lessons breaks the charge cap (recorded, and alerted).
     */
    static Map<String, Object> deposit(String bankTxnId, int lessons, String occurredAt) {
        Map<String, Object> deposit = new LinkedHashMap<>();
        deposit.put("bankTxnId", bankTxnId);
        deposit.put("type", "DEPOSIT");
        deposit.put("amount", (lessons * 80) + ".00");
        deposit.put("currency", "CNY");
        deposit.put("occurredAt", occurredAt);
        deposit.put("orderId", "O-" + bankTxnId);
        deposit.put("studentRef", "s-" + bankTxnId);
        deposit.put("lessons", lessons);
        deposit.put("lessonPrice", "80.00");
        deposit.put("courseStart", "2026-03-02");
        deposit.put("courseEnd", "2026-05-30");
        return deposit;
    }

    /** The same deposit as an item of a batch, which names its account. */
    static Map<String, Object> batchItem(String accountId, String bankTxnId, int lessons, String occurredAt) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("accountId", accountId);
        item.putAll(deposit(bankTxnId, lessons, occurredAt));
        return item;
    }
}
