package cn.prepaid.ledger.api.audit;

import cn.prepaid.ledger.api.support.Http;
import cn.prepaid.ledger.api.support.LedgerIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static cn.prepaid.ledger.api.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Bitemporal balances start from checkpoints (every 50 events in tests) and answer exactly what a full
 * replay answers, for every (asOf, knownAt) asked, late postings included.
 */
@LedgerIntegrationTest
class BalanceCheckpointTest {

    private static final int POSTINGS = 250;
    private static final int BATCH = 50;

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void answersFromCheckpointsEqualAFullReplayForEveryAsOfAndKnownAt() {
        Http http = new Http(port);
        String account = http.openActiveAccount("CKPT").account();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<Instant> knownAfterBatch = new ArrayList<>();
        knownAfterBatch.add(recordedUpTo(account));
        for (int from = 0; from < POSTINGS; from += BATCH) {
            List<Map<String, Object>> items = new ArrayList<>();
            for (int i = from; i < from + BATCH; i++) {
                items.add(posting(account, i, now));
            }
            Http.Answer answer = http.post(Http.BANK, "/api/v1/transactions/batch", json("transactions", items));
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            for (JsonNode result : answer.json().get("results")) {
                assertThat(result.get("status").asInt()).as(result.toString()).isIn(201, 422);
            }
            knownAfterBatch.add(recordedUpTo(account));
        }
        // opening + 250 postings (each one event, a refused release included) = sequences 0..250
        long lastSequence = jdbc.queryForObject("select max(sequence_number) from domain_event_entry "
                + "where aggregate_identifier = ?", Long.class, account);
        assertThat(lastSequence).isEqualTo(POSTINGS);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(jdbc.queryForList(
                "select sequence_number from balance_checkpoint where account_id = ? order by sequence_number",
                Long.class, account)).containsExactly(49L, 99L, 149L, 199L, 249L));

        List<String> knownAts = new ArrayList<>();
        knownAfterBatch.forEach(known -> knownAts.add(known.toString()));
        knownAts.add(null);
        int fromCheckpoint = 0;
        int compared = 0;
        for (int hoursBack = 400; hoursBack >= -1; hoursBack -= 20) {
            String asOf = now.minus(hoursBack, ChronoUnit.HOURS).toString();
            for (String knownAt : knownAts) {
                JsonNode quick = balance(http, account, asOf, knownAt, false);
                JsonNode full = balance(http, account, asOf, knownAt, true);
                for (String field : List.of("balance", "outstandingLiability", "releasable", "floor", "eventsApplied")) {
                    assertThat(quick.get(field).asString()).as(field + " asOf " + asOf + " knownAt " + knownAt)
                            .isEqualTo(full.get(field).asString());
                }
                assertThat(full.get("checkpointSequence").isNull()).isTrue();
                assertThat(full.get("eventsReplayed").asLong()).isEqualTo(full.get("eventsApplied").asLong());
                if (!quick.get("checkpointSequence").isNull()) {
                    fromCheckpoint++;
                    assertThat(quick.get("eventsReplayed").asLong()).isLessThan(quick.get("eventsApplied").asLong());
                }
                compared++;
            }
        }
        assertThat(compared).isEqualTo(21 * 7);
        assertThat(fromCheckpoint).as("answers that started from a checkpoint").isGreaterThan(compared / 4);

        // Now: the latest checkpoint (249) and one event after it, for all 251 events.
        JsonNode latest = balance(http, account, null, null, false);
        assertThat(latest.get("checkpointSequence").asLong()).isEqualTo(249);
        assertThat(latest.get("eventsReplayed").asLong()).isEqualTo(1);
        assertThat(latest.get("eventsApplied").asLong()).isEqualTo(POSTINGS + 1);
        JsonNode live = http.get(Http.AUDITOR, "/api/v1/accounts/" + account).json();
        assertThat(latest.get("balance").asString()).isEqualTo(live.get("balance").asString());
        assertThat(latest.get("outstandingLiability").asString()).isEqualTo(live.get("outstandingLiability").asString());

        // Late postings: 301 h ago only postings made late had happened (regular postings span 300..51 h ago):
        // i = 6, 13, ..., 97 (394..303 h ago). As known after the first batch only those up to i = 48 count.
        String beforeRegular = now.minus(301, ChronoUnit.HOURS).toString();
        JsonNode knownEarly = balance(http, account, beforeRegular, knownAfterBatch.get(1).toString(), false);
        JsonNode knownNow = balance(http, account, beforeRegular, null, false);
        assertThat(knownEarly.get("balance").asString()).isEqualTo("1591.00"); // 4 deposits of 400.00, 3 fees of 3.00
        assertThat(knownNow.get("balance").asString()).isEqualTo("2779.00"); // 7 deposits, 7 fees
        assertThat(knownNow.get("checkpointSequence").isNull()).isTrue();
        assertThat(knownNow.get("eventsApplied").asLong()).isEqualTo(1 + 14);
    }

    /**
     * Posting i happened (300 - i) hours before now, in recording order, except every seventh, which the
     * bank posts late: it happened (400 - i) hours ago, long before its neighbours. Regular postings cycle
     * through a deposit, interest, a partial refund and a release (refused: nothing consumed) of the
     * latest regular deposit, and a fee.
     */
    private static Map<String, Object> posting(String account, int i, Instant now) {
        boolean late = i % 7 == 6;
        Instant occurred = now.minus(late ? 400 - i : 300 - i, ChronoUnit.HOURS);
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("accountId", account);
        item.put("bankTxnId", "T" + i);
        item.put("currency", "CNY");
        item.put("occurredAt", occurred.atOffset(ZoneOffset.ofHours(8)).toString());
        String type = late ? (i % 2 == 0 ? "DEPOSIT" : "BANK_FEE")
                : switch (i % 5) {
                    case 0 -> "DEPOSIT";
                    case 1 -> "INTEREST";
                    case 2 -> "REFUND";
                    case 3 -> "RELEASE";
                    default -> "BANK_FEE";
                };
        item.put("type", type);
        item.putAll(switch (type) {
            case "DEPOSIT" -> Map.of("amount", "400.00", "orderId", "O" + i, "studentRef", "s" + i, "lessons", 5,
                    "lessonPrice", "80.00", "courseStart", "2026-03-02", "courseEnd", "2026-05-31");
            case "INTEREST" -> Map.of("amount", "1.25", "memo", "interest");
            case "REFUND", "RELEASE" -> Map.of("amount", "80.00", "orderId", "O" + (i - i % 5));
            default -> Map.of("amount", "3.00", "memo", "fee");
        });
        return item;
    }

    private Instant recordedUpTo(String account) {
        return Instant.parse(jdbc.queryForObject("select max(time_stamp) from domain_event_entry "
                + "where aggregate_identifier = ?", String.class, account));
    }

    private static JsonNode balance(Http http, String account, String asOf, String knownAt, boolean fullReplay) {
        StringBuilder query = new StringBuilder("?fullReplay=" + fullReplay);
        if (asOf != null) {
            query.append("&asOf=").append(asOf);
        }
        if (knownAt != null) {
            query.append("&knownAt=").append(knownAt);
        }
        Http.Answer answer = http.get(Http.AUDITOR, "/api/v1/accounts/" + account + "/balance" + query);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json();
    }
}
