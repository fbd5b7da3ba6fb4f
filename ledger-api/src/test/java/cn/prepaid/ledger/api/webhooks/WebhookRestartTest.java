package cn.prepaid.ledger.api.webhooks;

import cn.prepaid.ledger.api.LedgerApplication;
import cn.prepaid.ledger.api.support.BankFlows;
import cn.prepaid.ledger.api.support.Http;
import cn.prepaid.ledger.api.support.WebhookReceiver;
import cn.prepaid.ledger.api.support.WebhookReceiver.Received;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The ledger stops while deliveries wait out their backoff and starts again on the same database:
 * everything pending is still there and is delivered, once each, in order.
 */
class WebhookRestartTest {

    static EmbeddedPostgres postgres;

    @BeforeAll
    static void startDatabase() throws Exception {
        postgres = EmbeddedPostgres.builder().setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "off").start();
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        postgres.close();
    }

    static ConfigurableApplicationContext startNode() {
        return new SpringApplicationBuilder(LedgerApplication.class).profiles("test").properties(
                "spring.datasource.url=" + postgres.getJdbcUrl("postgres", "postgres"),
                "spring.datasource.username=postgres", "server.port=0")
                // arguments, since they outrank the test profile: long enough that the restart falls in the wait
                .run("--ledger.webhooks.initial-backoff=3s", "--ledger.webhooks.max-backoff=3s");
    }

    @Test
    void aRestartWhileDeliveriesWaitOutTheirBackoffLosesNothing() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.failAlways();
            ConfigurableApplicationContext first = startNode();
            Http http = new Http(port(first));
            BankFlows flows = new BankFlows(http);
            String webhook = flows.registerWebhook(receiver, "ACCOUNT_FROZEN", "ACCOUNT_UNFROZEN");
            String account = http.openActiveAccount("WH-RESTART").account();
            flows.freeze(account, "one");
            flows.unfreeze(account, "two");
            flows.freeze(account, "three");
            JdbcTemplate jdbc = first.getBean(JdbcTemplate.class);
            await().atMost(Duration.ofSeconds(20)).until(() -> failedAttempts(jdbc, webhook) >= 1);
            first.close();

            Map<String, Object> waiting = new JdbcTemplate(postgres.getPostgresDatabase()).queryForMap(
                    "select count(*) as deliveries, count(*) filter (where delivered_at is null) as undelivered, "
                            + "max(attempts) as attempts, max(extract(epoch from next_attempt_at - last_attempt_at)) "
                            + "as backoff_seconds from webhook_delivery where webhook_id = ?", webhook);
            assertThat(((Number) waiting.get("deliveries")).intValue()).isEqualTo(3);
            assertThat(((Number) waiting.get("undelivered")).intValue()).isEqualTo(3);
            assertThat(((Number) waiting.get("attempts")).intValue()).as("the first was tried and failed").isPositive();
            assertThat(((Number) waiting.get("backoff_seconds")).doubleValue()).as("the next try waits out the backoff")
                    .isGreaterThanOrEqualTo(3.0);
            int refusedBeforeRestart = receiver.requests();

            receiver.recover();
            ConfigurableApplicationContext second = startNode();
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> receiver.acknowledged().size() >= 3);
                await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(4))
                        .until(() -> receiver.acknowledged().size() == 3);
                List<Received> received = receiver.acknowledged();
                assertThat(received).extracting(delivery -> delivery.json().get("data").get("reason").asString())
                        .containsExactly("one", "two", "three");
                assertThat(received).extracting(Received::eventId).doesNotHaveDuplicates();
                assertThat(received).allSatisfy(delivery -> assertThat(delivery.signatureValid()).isTrue());
                assertThat(refusedBeforeRestart).isPositive();
            } finally {
                second.close();
            }
        }
    }

    private static int failedAttempts(JdbcTemplate jdbc, String webhook) {
        return jdbc.queryForObject("select coalesce(sum(attempts), 0) from webhook_delivery where webhook_id = ?",
                Integer.class, webhook);
    }

    private static int port(ConfigurableApplicationContext node) {
        return Integer.parseInt(node.getEnvironment().getProperty("local.server.port"));
    }
}
