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

import static cn.prepaid.ledger.api.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** An auditor rebuilds an institution's read models from its events; a corrupted live row is reported exactly. */
@LedgerIntegrationTest
class ReplayVerificationTest {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aReplayMatchesUntouchedViewsAndReportsExactlyTheCorruptedRow() {
        Http http = new Http(port);
        Http.Opened opened = http.openActiveAccount("REPLAY");
        String at = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS)
                .atOffset(ZoneOffset.ofHours(8)).toString();
        String path = "/api/v1/accounts/" + opened.account() + "/transactions";
        http.post(Http.BANK, path, json("bankTxnId", opened.account() + "-" + "D", "type", "DEPOSIT", "amount", "800.00", "currency", "CNY",
                "occurredAt", at, "orderId", "O", "studentRef", "s", "lessons", 10, "lessonPrice", "80.00",
                "courseStart", "2026-03-02", "courseEnd", "2026-05-31"));
        http.post(Http.PLATFORM, "/api/v1/accounts/" + opened.account() + "/orders/O/consumptions",
                json("consumptionId", "C", "lessons", 3, "occurredAt", at));
        // the views have caught up with the account (read-your-writes waits for it)
        assertThat(http.get(Http.AUDITOR, "/api/v1/accounts/" + opened.account()).json().get("releasable").asString())
                .isEqualTo("240.00");

        JsonNode clean = replay(http, opened.institution());
        assertThat(clean.get("matches").asBoolean()).as(clean.toString()).isTrue();
        assertThat(clean.get("eventsProcessed").asLong()).isEqualTo(clean.get("eventsTotal").asLong()).isPositive();

        jdbc.update("update account_view set balance_fen = balance_fen + 1 where account_id = ?", opened.account());
        JsonNode corrupted;
        try {
            corrupted = replay(http, opened.institution());
        } finally {
            // the test context is shared: other tests rebuild all views and compare them with the live ones
            jdbc.update("update account_view set balance_fen = balance_fen - 1 where account_id = ?", opened.account());
        }
        assertThat(corrupted.get("matches").asBoolean()).isFalse();
        assertThat(corrupted.get("differences")).hasSize(1);
        JsonNode difference = corrupted.get("differences").get(0);
        assertThat(difference.get("table").asString()).isEqualTo("account_view");
        assertThat(difference.get("key").asString()).isEqualTo(opened.account());
        assertThat(difference.get("column").asString()).isEqualTo("balance_fen");
        assertThat(difference.get("live").asString()).isEqualTo("80001");
        assertThat(difference.get("replayed").asString()).isEqualTo("80000");
        assertThat(http.post(Http.BANK, "/api/v1/audit/replays", json("institutionId", opened.institution())).status())
                .isEqualTo(403);
    }

    @Test
    void aReplayOfAllInstitutionsReadsEveryStoredEvent() {
        Http http = new Http(port);
        http.openActiveAccount("REPLAYALL");
        long stored = jdbc.queryForObject("select count(*) from domain_event_entry", Long.class);

        JsonNode all = replay(http, null);
        assertThat(all.get("institutionId").isNull()).isTrue();
        assertThat(all.get("eventsTotal").asLong()).isGreaterThanOrEqualTo(stored);
        assertThat(all.get("eventsProcessed").asLong()).isEqualTo(all.get("eventsTotal").asLong());
    }

    private static JsonNode replay(Http http, String institution) {
        Http.Answer started = http.post(Http.AUDITOR, "/api/v1/audit/replays",
                institution == null ? "{}" : json("institutionId", institution));
        assertThat(started.status()).isEqualTo(202);
        String id = started.json().get("replayId").asString();
        await().atMost(Duration.ofSeconds(20)).until(() ->
                !http.get(Http.AUDITOR, "/api/v1/audit/replays/" + id).json().get("status").asString().equals("RUNNING"));
        JsonNode status = http.get(Http.AUDITOR, "/api/v1/audit/replays/" + id).json();
        assertThat(status.get("status").asString()).as(status.toString()).isEqualTo("DONE");
        return status;
    }
}
