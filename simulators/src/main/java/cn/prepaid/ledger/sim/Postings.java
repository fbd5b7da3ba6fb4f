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
        return Seeding.deposit(bankTxnId, occurredAt, "O-" + bankTxnId, "s-" + bankTxnId, lessons, "80.00",
                (lessons * 80) + ".00");
    }

    /** The same deposit as an item of a batch, which names its account. */
    static Map<String, Object> batchItem(String accountId, String bankTxnId, int lessons, String occurredAt) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("accountId", accountId);
        item.putAll(deposit(bankTxnId, lessons, occurredAt));
        return item;
    }
}
