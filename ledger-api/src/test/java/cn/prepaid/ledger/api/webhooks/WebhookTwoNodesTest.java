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

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two ledger processes on one PostgreSQL, both running the webhooks processor and a dispatcher: every
 * event reaches the bank once, in order per account, whichever node recorded it and whichever sends it.
 */
class WebhookTwoNodesTest {

    static EmbeddedPostgres postgres;
    static ConfigurableApplicationContext nodeA;
    static ConfigurableApplicationContext nodeB;

    @BeforeAll
    static void startTwoNodes() throws Exception {
        postgres = EmbeddedPostgres.builder().setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "off").setServerConfig("max_connections", "200").start();
        nodeA = startNode();
        nodeB = startNode();
    }

    static ConfigurableApplicationContext startNode() {
        return new SpringApplicationBuilder(LedgerApplication.class).profiles("test").properties(
                "spring.datasource.url=" + postgres.getJdbcUrl("postgres", "postgres"),
                "spring.datasource.username=postgres", "server.port=0")
                // an argument, since it outranks the test profile: the two nodes poll often, so they contend
                .run("--ledger.webhooks.poll-interval=50ms");
    }

    @AfterAll
    static void stop() throws Exception {
        nodeA.close();
        nodeB.close();
        postgres.close();
    }

    @Test
    void twoNodesDeliverEachEventOnceAndInOrderPerAccount() throws Exception {
        Http onA = new Http(port(nodeA));
        Http onB = new Http(port(nodeB));
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.failNext(2);
            new BankFlows(onA).registerWebhook(receiver, "ACCOUNT_FROZEN", "ACCOUNT_UNFROZEN");
            List<String> accounts = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                accounts.add(onA.openActiveAccount("WH2N-" + i).account());
            }
            int rounds = 3;
            for (int round = 0; round < rounds; round++) {
                for (String account : accounts) {
                    BankFlows node = new BankFlows(round % 2 == 0 ? onA : onB);
                    node.freeze(account, "freeze-" + round);
                    new BankFlows(round % 2 == 0 ? onB : onA).unfreeze(account, "unfreeze-" + round);
                }
            }
            int expected = accounts.size() * rounds * 2;

            await().atMost(Duration.ofSeconds(40)).until(() -> receiver.acknowledged().size() >= expected);
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                    .until(() -> receiver.acknowledged().size() == expected);

            List<Received> received = receiver.acknowledged();
            assertThat(received).extracting(Received::eventId).as("none twice").doesNotHaveDuplicates();
            assertThat(received).allSatisfy(delivery -> assertThat(delivery.signatureValid()).isTrue());
            Map<String, List<String>> reasonsByAccount = received.stream().collect(Collectors.groupingBy(
                    delivery -> delivery.json().get("accountId").asString(),
                    Collectors.mapping(delivery -> delivery.json().get("data").get("reason").asString(),
                            Collectors.toList())));
            List<String> inOrder = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                inOrder.add("freeze-" + round);
                inOrder.add("unfreeze-" + round);
            }
            for (String account : accounts) {
                assertThat(reasonsByAccount.get(account)).as(account).containsExactlyElementsOf(inOrder);
            }
        }
    }

    static int port(ConfigurableApplicationContext node) {
        return Integer.parseInt(node.getEnvironment().getProperty("local.server.port"));
    }
}
