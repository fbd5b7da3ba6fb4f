package cn.prepaid.ledger.api.audit;

import cn.prepaid.ledger.api.support.Http;
import cn.prepaid.ledger.api.support.LedgerIntegrationTest;
import cn.prepaid.ledger.projections.alerts.RefundDisputeSweep;
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

/**
 * An auditor rebuilds an institution's read models and alerts from its events (regulators' actions kept); a
 * corrupted live row is reported exactly.
 */
@LedgerIntegrationTest
class ReplayVerificationTest {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    RefundDisputeSweep disputes;

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

        // an alert, handled by a regulator: a release beyond what was consumed is refused
        assertThat(http.post(Http.BANK, path, json("bankTxnId", opened.account() + "-R", "type", "RELEASE", "amount", "500.00",
                "currency", "CNY", "occurredAt", at, "orderId", "O")).status()).isEqualTo(422);
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject("select count(*) from alert "
                + "where account_id = ? and code = 'REJECTED_OUTFLOW'", Long.class, opened.account()) == 1);
        String alertId = jdbc.queryForObject("select alert_id from alert where account_id = ?", String.class,
                opened.account());
        assertThat(http.post(Http.ZHEJIANG, "/api/v1/alerts/" + alertId + "/acknowledge", json("note", "calling"))
                .status()).isEqualTo(200);

        JsonNode clean = replay(http, opened.institution());
        assertThat(clean.get("matches").asBoolean()).as(clean.toString()).isTrue();

        jdbc.update("update alert set grade = 'RED' where alert_id = ?", alertId);
        JsonNode alertCorrupted;
        try {
            alertCorrupted = replay(http, opened.institution());
        } finally {
            jdbc.update("update alert set grade = 'YELLOW' where alert_id = ?", alertId);
        }
        assertThat(alertCorrupted.get("matches").asBoolean()).isFalse();
        assertThat(alertCorrupted.get("differences")).singleElement().satisfies(difference -> {
            assertThat(difference.get("table").asString()).isEqualTo("alert");
            assertThat(difference.get("key").asString()).isEqualTo(alertId);
            assertThat(difference.get("column").asString()).isEqualTo("grade");
            assertThat(difference.get("replayed").asString()).isEqualTo("YELLOW");
        });
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
    void anOverdueDisputeAlertOnlyTheSweepRaisedIsRaisedAgainByTheReplay() {
        Http http = new Http(port);
        Http.Opened opened = http.openActiveAccount("REPLAY-DSP");
        String openedAt = Instant.now().minus(Duration.ofDays(15)).truncatedTo(ChronoUnit.SECONDS).toString();
        assertThat(http.post(Http.BANK, "/api/v1/accounts/" + opened.account() + "/transactions", json("bankTxnId",
                opened.account() + "-D", "type", "DEPOSIT", "amount", "800.00", "currency", "CNY", "occurredAt",
                openedAt, "orderId", "O", "studentRef", "s", "lessons", 10, "lessonPrice", "80.00",
                "courseStart", "2026-03-02", "courseEnd", "2026-05-31")).status()).isEqualTo(201);
        assertThat(http.post(Http.BANK, "/api/v1/accounts/" + opened.account() + "/orders/O/disputes", json(
                "disputeId", "DSP-1", "reason", "refund contested", "occurredAt", openedAt)).status()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            disputes.sweep(Instant.now());
            return jdbc.queryForObject("select count(*) from alert where account_id = ? "
                    + "and code = 'REFUND_DISPUTE_OVERDUE'", Long.class, opened.account()) == 1;
        });

        JsonNode replayed = replay(http, opened.institution());

        assertThat(replayed.get("matches").asBoolean()).as(replayed.toString()).isTrue();
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
