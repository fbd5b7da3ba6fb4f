package cn.prepaid.ledger.api.http;

import cn.prepaid.ledger.api.support.Http.Answer;
import cn.prepaid.ledger.api.support.Http;
import cn.prepaid.ledger.api.support.LedgerIntegrationTest;
import cn.prepaid.ledger.store.support.TestLedger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static cn.prepaid.ledger.api.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What answers say about themselves: the figures of write answers and the totals of pages. */
@LedgerIntegrationTest
class AnswersHttpTest {

    private static final String INSERT_ALERT = "insert into alert (alert_id, code, grade, status, institution_id, "
            + "account_id, region_code, condition_key, raised_at, occurred_at, updated_at, summary, facts) "
            + "values (?, 'BALANCE_NEAR_FLOOR', 'YELLOW', 'OPEN', ?, ?, '330106', ?, ?, ?, ?, 'test', '{}')";

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void writeAnswersOnAnInstitutionCarryItsRiskLevelAndOpenAlerts() {
        Http http = new Http(port);
        Http.Opened opened = http.openActiveAccount("RISK");
        String institution = opened.institution();
        // ¥1,000 of unearned tuition under a ¥100,000 minimum: the balance is below the floor (RED).
        assertThat(http.put(Http.ZHEJIANG, "/api/v1/institutions/" + institution + "/policy", json(
                "minimumBalance", "100000.00", "liabilityRatio", "0.20", "largeTransferThreshold", "50000.00",
                "largeTransferRatio", "0.30", "largeTransferRatioFrom", "10000.00")).status()).isEqualTo(200);
        assertThat(http.post(Http.BANK, "/api/v1/accounts/" + opened.account() + "/transactions", json("bankTxnId",
                opened.account() + "-D", "type", "DEPOSIT", "amount", "1000.00", "currency", "CNY", "occurredAt",
                "2026-03-02T09:00:00+08:00", "orderId", "O-1", "studentRef", "s-1", "lessons", 10, "lessonPrice",
                "100.00", "courseStart", "2026-03-02", "courseEnd", "2026-05-31")).status()).isEqualTo(201);
        await().untilAsserted(() -> assertThat(http.get(Http.ZHEJIANG, "/api/v1/institutions/" + institution)
                .json().get("openAlerts").asInt()).isPositive());
        JsonNode read = http.get(Http.ZHEJIANG, "/api/v1/institutions/" + institution).json();

        Answer suspended = http.post(Http.ZHEJIANG, "/api/v1/institutions/" + institution + "/suspend",
                json("reason", "below its floor"));

        assertThat(suspended.status()).isEqualTo(200);
        assertThat(suspended.json().get("riskLevel").asString()).isEqualTo(read.get("riskLevel").asString())
                .isNotEqualTo("NONE");
        assertThat(suspended.json().get("openAlerts").asInt()).isEqualTo(read.get("openAlerts").asInt());
    }

    @Test
    void aPagesTotalAgreesWithItsContentWhileAlertsAreBeingRaised() throws Exception {
        Http http = new Http(port);
        String institution = TestLedger.newInstitutionId().value();
        AtomicBoolean raising = new AtomicBoolean(true);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Future<Integer> raiser = pool.submit(() -> {
            int raised = 0;
            // Alerts come and go (about 20 at a time), so every page is small and its total keeps moving.
            while (raising.get() && raised < 20_000) {
                Timestamp now = Timestamp.from(Instant.now());
                jdbc.update(INSERT_ALERT, institution + "-" + raised, institution, "ACC-" + institution,
                        "condition-" + raised, now, now, now);
                jdbc.update("delete from alert where alert_id = ?", institution + "-" + (raised - 20));
                raised++;
            }
            return raised;
        });
        try {
            for (int read = 0; read < 100; read++) {
                JsonNode page = http.get(Http.REGULATOR, "/api/v1/alerts?institutionId=" + institution
                        + "&size=500").json();
                assertThat(page.get("totalElements").asLong()).as("read %d", read)
                        .isEqualTo(page.get("content").size());
            }
        } finally {
            raising.set(false);
            pool.shutdown();
        }
        assertThat(raiser.get()).as("alerts were raised while the pages were read").isGreaterThan(20);
    }
}
