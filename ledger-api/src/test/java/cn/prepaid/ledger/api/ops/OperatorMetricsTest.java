package cn.prepaid.ledger.api.ops;

import cn.prepaid.ledger.api.support.Http.Answer;
import cn.prepaid.ledger.api.support.Http;
import cn.prepaid.ledger.api.support.LedgerIntegrationTest;
import cn.prepaid.ledger.store.audit.BalanceCheckpoints;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

import static cn.prepaid.ledger.api.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The figures an operator watches move with what the ledger does, and health tells a stopped processor. */
@LedgerIntegrationTest
class OperatorMetricsTest {

    @LocalServerPort
    int port;
    @Autowired
    MeterRegistry meters;
    @Autowired
    EventProcessingConfiguration processing;

    final String at = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS)
            .atOffset(ZoneOffset.ofHours(8)).toString();

    @Test
    void postingsAreCountedByTypeAndOutcomeAndReplaysApart() {
        Http http = new Http(port);
        Http.Opened opened = http.openActiveAccount("METRICS");
        String postings = "/api/v1/accounts/" + opened.account() + "/transactions";
        double interest = postings("INTEREST", "RECORDED");
        double rejected = postings("RELEASE", "REJECTED");
        double replays = counter("ledger.idempotent.replays", "command", "Posting");

        String body = json("bankTxnId", opened.account() + "-M1", "type", "INTEREST", "amount", "1.00", "currency", "CNY",
                "occurredAt", at);
        assertThat(http.post(Http.BANK, postings, body).status()).isEqualTo(201);
        assertThat(http.post(Http.BANK, postings, body).header("Idempotent-Replay")).isEqualTo("true");
        assertThat(http.post(Http.BANK, postings, json("bankTxnId", opened.account() + "-M2", "type", "RELEASE", "amount", "10.00",
                "currency", "CNY", "occurredAt", at, "orderId", "NONE")).status()).isEqualTo(422);
        assertThat(http.post(Http.BANK, "/api/v1/transactions/batch", "{\"transactions\":[{\"accountId\":\""
                + opened.account() + "\"," + json("bankTxnId", opened.account() + "-M3", "type", "INTEREST", "amount", "2.00",
                "currency", "CNY", "occurredAt", at).substring(1) + "]}").status()).isEqualTo(200);

        assertThat(postings("INTEREST", "RECORDED")).isEqualTo(interest + 2);
        assertThat(postings("RELEASE", "REJECTED")).isEqualTo(rejected + 1);
        assertThat(counter("ledger.idempotent.replays", "command", "Posting")).isEqualTo(replays + 1);
        String scraped = http.get(Http.AUDITOR, "/actuator/prometheus").body();
        assertThat(scraped).contains("ledger_postings_total{outcome=\"RECORDED\",type=\"INTEREST\"}",
                "ledger_idempotent_replays_total{command=\"Posting\"}", "hikaricp_connections_pending",
                "hikaricp_connections_max", "ledger_http_requests_shed_total", "ledger_dead_letters");
    }

    @Test
    void aRaisedAlertIsCountedByCodeAndGrade() {
        Http http = new Http(port);
        Http.Opened opened = http.openActiveAccount("METRICS-ALERT");
        double before = alertsRaised("REJECTED_OUTFLOW");
        Answer refused = http.post(Http.BANK, "/api/v1/accounts/" + opened.account() + "/transactions",
                json("bankTxnId", opened.account() + "-MA1", "type", "RELEASE", "amount", "10.00", "currency", "CNY", "occurredAt", at,
                        "orderId", "NONE"));
        assertThat(refused.status()).isEqualTo(422);
        await().atMost(Duration.ofSeconds(15)).until(() -> alertsRaised("REJECTED_OUTFLOW") == before + 1);
        assertThat(http.get(Http.AUDITOR, "/actuator/prometheus").body())
                .containsPattern("ledger_alerts_raised\\{code=\"REJECTED_OUTFLOW\",grade=\"(YELLOW|RED)\"}");
    }

    @Test
    void aStoppedProcessorLagsAndTakesHealthDownUntilItRunsAgain() {
        Http http = new Http(port);
        StreamingEventProcessor checkpoints = processing.eventProcessor(BalanceCheckpoints.PROCESSING_GROUP,
                StreamingEventProcessor.class).orElseThrow();
        await().atMost(Duration.ofSeconds(30)).until(() -> lagEvents(BalanceCheckpoints.PROCESSING_GROUP) == 0);
        checkpoints.shutDown();
        try {
            Http.Opened opened = http.openActiveAccount("METRICS-LAG");
            assertThat(http.post(Http.BANK, "/api/v1/accounts/" + opened.account() + "/transactions", json(
                    "bankTxnId", opened.account() + "-L1", "type", "INTEREST", "amount", "1.00", "currency", "CNY", "occurredAt", at))
                    .status()).isEqualTo(201);
            await().atMost(Duration.ofSeconds(10)).until(() -> lagEvents(BalanceCheckpoints.PROCESSING_GROUP) >= 4);
            assertThat(gauge("ledger.processor.lag.seconds", BalanceCheckpoints.PROCESSING_GROUP)).isGreaterThanOrEqualTo(0);
            Answer health = http.get(null, "/actuator/health");
            assertThat(health.status()).isEqualTo(503);
            assertThat(health.json().get("status").asString()).isEqualTo("DOWN");
        } finally {
            checkpoints.start();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> lagEvents(BalanceCheckpoints.PROCESSING_GROUP) == 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> http.get(null, "/actuator/health").status() == 200);
        assertThat(http.get(null, "/actuator/health").json().get("status").asString()).isEqualTo("UP");
    }

    private double postings(String type, String outcome) {
        Counter counter = meters.find("ledger.postings").tags("type", type, "outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    private double counter(String name, String tag, String value) {
        Counter counter = meters.find(name).tags(tag, value).counter();
        return counter == null ? 0 : counter.count();
    }

    private double alertsRaised(String code) {
        return meters.find("ledger.alerts.raised").tags("code", code).gauges().stream().mapToDouble(Gauge::value).sum();
    }

    private double lagEvents(String processor) {
        return gauge("ledger.processor.lag.events", processor);
    }

    private double gauge(String name, String processor) {
        return meters.get(name).tags("processor", processor).gauge().value();
    }
}
