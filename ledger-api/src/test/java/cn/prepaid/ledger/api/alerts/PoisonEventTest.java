package cn.prepaid.ledger.api.alerts;

import cn.prepaid.ledger.api.support.Http.Answer;
import cn.prepaid.ledger.api.support.Http;
import cn.prepaid.ledger.api.support.LedgerIntegrationTest;
import cn.prepaid.ledger.api.support.PoisonRule;
import cn.prepaid.ledger.store.support.TestLedger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static cn.prepaid.ledger.api.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One event a rule fails on is parked, counted and logged (with the events of its institution after it);
 * alerting goes on for every other institution; a retry delivers it.
 */
@LedgerIntegrationTest
class PoisonEventTest {

    @LocalServerPort
    int port;

    @Test
    void aPoisonEventIsParkedWhileOtherInstitutionsKeepTheirAlertsAndARetryDeliversIt() {
        Http http = new Http(port);
        String healthy = TestLedger.unique("HEALTHY");
        String poison = TestLedger.unique("POISON");
        // two institutions: the alert processor handles an institution's accounts in order, one after another
        for (String account : List.of(healthy, poison)) {
            String institution = TestLedger.newInstitutionId().value();
            http.post(Http.ZHEJIANG, "/api/v1/institutions", json("institutionId", institution, "name", "毒丸",
                    "regionCode", "330106", "category", "SUBJECT", "supervisionMode", "FULL_CUSTODY"));
            http.post(Http.ZHEJIANG, "/api/v1/institutions/" + institution + "/approve", null);
            assertThat(http.post(Http.BANK, "/api/v1/accounts", json("accountId", account, "institutionId", institution,
                    "bankAccountNo", "1")).status()).isEqualTo(201);
        }
        String at = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS)
                .atOffset(ZoneOffset.ofHours(8)).toString();
        for (String account : List.of(poison, healthy)) {
            Answer refused = http.post(Http.BANK, "/api/v1/accounts/" + account + "/transactions", json("bankTxnId", account + "-" +
                    "X1", "type", "RELEASE", "amount", "10.00", "currency", "CNY", "occurredAt", at, "orderId", "NONE"));
            assertThat(refused.status()).isEqualTo(422);
        }

        await().atMost(Duration.ofSeconds(15)).until(() -> !alerts(http, healthy).isEmpty());
        await().atMost(Duration.ofSeconds(15)).until(() ->
                http.get(Http.REGULATOR, "/api/v1/dead-letters").json().get("parked").get("alerts").asLong() == 1);
        assertThat(alerts(http, poison)).isEmpty();
        assertThat(http.get(Http.ZHEJIANG, "/api/v1/dead-letters").status()).isEqualTo(403);
        assertThat(http.get(Http.AUDITOR, "/actuator/prometheus").body())
                .contains("ledger_dead_letters{processingGroup=\"alerts\"} 1.0");

        PoisonRule.poisoned = false;
        Answer retried = http.post(Http.REGULATOR, "/api/v1/dead-letters/retry", null);
        assertThat(retried.json().get("retried").get("alerts").asInt()).isEqualTo(1);
        assertThat(retried.json().get("stillParked").get("alerts").asLong()).isZero();
        await().atMost(Duration.ofSeconds(15)).until(() -> !alerts(http, poison).isEmpty());
        assertThat(alerts(http, poison).get(0).get("code").asString()).isEqualTo("REJECTED_OUTFLOW");
    }

    private static tools.jackson.databind.JsonNode alerts(Http http, String account) {
        var content = http.get(Http.AUDITOR, "/api/v1/alerts?code=REJECTED_OUTFLOW").json().get("content");
        List<tools.jackson.databind.JsonNode> mine = new java.util.ArrayList<>();
        content.forEach(alert -> {
            if (alert.get("accountId").asString().equals(account)) {
                mine.add(alert);
            }
        });
        return new tools.jackson.databind.node.ArrayNode(tools.jackson.databind.node.JsonNodeFactory.instance, mine);
    }
}
