package cn.prepaid.ledger.api.webhooks;

import cn.prepaid.ledger.api.support.BankFlows;
import cn.prepaid.ledger.api.support.Http;
import cn.prepaid.ledger.api.support.NodesOnOneDatabase;
import cn.prepaid.ledger.api.support.WebhookReceiver.Received;
import cn.prepaid.ledger.api.support.WebhookReceiver;
import cn.prepaid.ledger.api.webhooks.DeliveryQueue.Claimed;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two ledger processes on one PostgreSQL, both running the webhooks processor and a dispatcher: every
 * event reaches the bank once, in order per account, whichever node recorded it and whichever sends it;
 * a delivery a lost node had claimed is sent by the others once the claim runs out.
 */
class WebhookTwoNodesTest {

    static NodesOnOneDatabase database;
    static ConfigurableApplicationContext nodeA;
    static ConfigurableApplicationContext nodeB;

    @BeforeAll
    static void startTwoNodes() throws Exception {
        database = new NodesOnOneDatabase();
        nodeA = startNode();
        nodeB = startNode();
    }

    static ConfigurableApplicationContext startNode() {
        // an argument, since it outranks the test profile: the two nodes poll often, so they contend
        return database.start("--ledger.webhooks.poll-interval=50ms");
    }

    @AfterAll
    static void stop() throws Exception {
        nodeA.close();
        nodeB.close();
        database.close();
    }

    @Test
    void twoNodesDeliverEachEventOnceAndInOrderPerAccount() throws Exception {
        Http onA = new Http(port(nodeA));
        Http onB = new Http(port(nodeB));
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.failNext(2);
            String webhook = new BankFlows(onA).registerWebhook(receiver, "ACCOUNT_FROZEN", "ACCOUNT_UNFROZEN");
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
            onB.send(Http.BANK, "DELETE", "/api/v1/webhooks/" + webhook, null);
        }
    }

    @Test
    void aDeliveryClaimedByANodeThatDiedIsSentByAnotherOnceItsLeaseRunsOut() throws Exception {
        Http onA = new Http(port(nodeA));
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.failAlways();
            BankFlows flows = new BankFlows(onA);
            String webhook = flows.registerWebhook(receiver, "ACCOUNT_FROZEN");
            String account = onA.openActiveAccount("WH-LOST").account();
            flows.freeze(account, "lost node");
            JdbcTemplate jdbc = nodeA.getBean(JdbcTemplate.class);
            await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject(
                    "select coalesce(sum(attempts), 0) from webhook_delivery where webhook_id = ?", Integer.class,
                    webhook) >= 1);

            // A third node claims the delivery (as of 2 s from now, past its backoff) and dies before sending.
            DeliveryQueue queue = nodeA.getBean(DeliveryQueue.class);
            List<Claimed> lost = new ArrayList<>();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                lost.addAll(queue.claimDue(Instant.now().plusSeconds(2), 10));
                return !lost.isEmpty();
            });
            assertThat(lost).extracting(Claimed::webhookId).containsExactly(webhook);
            receiver.recover();

            await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(6))
                    .until(() -> receiver.acknowledged().isEmpty());
            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.acknowledged().size() == 1);
            assertThat(receiver.acknowledged().get(0).eventId()).isEqualTo(lost.get(0).eventId());
            assertThat(receiver.acknowledged().get(0).signatureValid()).isTrue();
            onA.send(Http.BANK, "DELETE", "/api/v1/webhooks/" + webhook, null);
        }
    }

    static int port(ConfigurableApplicationContext node) {
        return Integer.parseInt(node.getEnvironment().getProperty("local.server.port"));
    }
}
