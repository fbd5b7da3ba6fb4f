package cn.prepaid.ledger.api.webhooks;

import cn.prepaid.ledger.api.support.BankFlows;
import cn.prepaid.ledger.api.support.Http;
import cn.prepaid.ledger.api.support.Http.Answer;
import cn.prepaid.ledger.api.support.LedgerIntegrationTest;
import cn.prepaid.ledger.api.support.WebhookReceiver;
import cn.prepaid.ledger.api.support.WebhookReceiver.Received;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static cn.prepaid.ledger.api.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Webhooks end to end: the ledger on a real PostgreSQL, a bank's receiver on 127.0.0.1. */
@LedgerIntegrationTest
class WebhookDeliveryTest {

    @LocalServerPort
    int port;
    Http http;
    BankFlows flows;
    WebhookReceiver receiver;
    final List<String> webhooks = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        http = new Http(port);
        flows = new BankFlows(http);
        receiver = new WebhookReceiver();
    }

    @AfterEach
    void tearDown() {
        webhooks.forEach(id -> http.send(Http.BANK, "DELETE", "/api/v1/webhooks/" + id, null));
        receiver.close();
    }

    @Test
    void approvalAndRejectionOfHeldOutflowsArriveOnceSignedAndInOrder() {
        webhooks.add(flows.registerWebhook(receiver, "HELD_OUTFLOW_APPROVED", "HELD_OUTFLOW_REJECTED"));
        Http.Opened opened = http.openActiveAccount("WH-HELD");
        flows.depositAndConsume(opened.account(), "ORD-A");
        flows.depositAndConsume(opened.account(), "ORD-B");
        String first = flows.heldRelease(opened.account(), "ORD-A");
        String second = flows.heldRelease(opened.account(), "ORD-B");
        String postingId = flows.approve(first, "契约已核实").json().get("postingId").asString();
        flows.reject(second, "课程未交付");

        await().atMost(Duration.ofSeconds(20)).until(() -> ofAccount(opened.account()).size() >= 2);
        List<Received> received = ofAccount(opened.account());
        assertThat(received).extracting(Received::type).containsExactly("HELD_OUTFLOW_APPROVED", "HELD_OUTFLOW_REJECTED");
        assertThat(received).allSatisfy(delivery -> {
            assertThat(delivery.signatureValid()).as("signature over timestamp.body with the secret").isTrue();
            assertThat(delivery.eventId()).isEqualTo(delivery.json().get("eventId").asString());
            assertThat(delivery.timestamp()).isCloseTo(Instant.now().getEpochSecond(), offset(60L));
            assertThat(delivery.json().get("institutionId").asString()).isEqualTo(opened.institution());
        });
        JsonNode approved = received.get(0).json().get("data");
        assertThat(approved.get("heldOutflowId").asString()).isEqualTo(first);
        assertThat(approved.get("status").asString()).isEqualTo("APPROVED");
        assertThat(approved.get("postingId").asString()).isEqualTo(postingId);
        assertThat(approved.get("bankTxnId").asString()).isEqualTo("REL-ORD-A");
        assertThat(approved.get("amount").asString()).isEqualTo("60000.00");
        assertThat(approved.get("note").asString()).isEqualTo("契约已核实");
        JsonNode rejected = received.get(1).json().get("data");
        assertThat(rejected.get("heldOutflowId").asString()).isEqualTo(second);
        assertThat(rejected.get("status").asString()).isEqualTo("REJECTED");
        assertThat(rejected.get("reason").asString()).isEqualTo("课程未交付");
        assertThat(rejected.has("postingId")).isFalse();

        JsonNode log = http.get(Http.BANK, "/api/v1/webhooks/" + webhooks.get(0) + "/deliveries").json();
        assertThat(log.get("totalElements").asLong()).isEqualTo(2);
        for (JsonNode entry : log.get("content")) {
            assertThat(entry.get("status").asString()).isEqualTo("DELIVERED");
            assertThat(entry.get("attempts").asInt()).as("sent once").isEqualTo(1);
            assertThat(entry.get("lastStatus").asInt()).isEqualTo(200);
            assertThat(entry.has("nextAttemptAt")).isFalse();
        }
        assertThat(receiver.requests()).isEqualTo(2);
    }

    @Test
    void aReceiverThatFailsThreeTimesThenRecoversGetsEveryEventInOrder() {
        receiver.failNext(3);
        webhooks.add(flows.registerWebhook(receiver, "ACCOUNT_FROZEN", "ACCOUNT_UNFROZEN"));
        Http.Opened opened = http.openActiveAccount("WH-RETRY");
        flows.freeze(opened.account(), "first");
        flows.unfreeze(opened.account(), "second");
        flows.freeze(opened.account(), "third");

        await().atMost(Duration.ofSeconds(30)).until(() -> ofAccount(opened.account()).size() >= 3);
        List<Received> received = ofAccount(opened.account());
        assertThat(received).extracting(Received::type)
                .containsExactly("ACCOUNT_FROZEN", "ACCOUNT_UNFROZEN", "ACCOUNT_FROZEN");
        assertThat(received).extracting(delivery -> delivery.json().get("data").get("reason").asString())
                .containsExactly("first", "second", "third");
        assertThat(received).extracting(Received::eventId).doesNotHaveDuplicates();
        assertThat(receiver.requests()).as("three refused, then each event once").isEqualTo(6);

        JsonNode log = http.get(Http.BANK, "/api/v1/webhooks/" + webhooks.get(0) + "/deliveries").json();
        JsonNode oldest = log.get("content").get(2);
        assertThat(oldest.get("eventId").asString()).isEqualTo(received.get(0).eventId());
        assertThat(oldest.get("attempts").asInt()).isEqualTo(4);
        assertThat(oldest.get("status").asString()).isEqualTo("DELIVERED");
    }

    @Test
    void aDeliveryLogShowsRetriesAndARedeliverSendsTheEventAgain() {
        receiver.failAlways();
        String webhook = flows.registerWebhook(receiver, "ACCOUNT_FROZEN");
        webhooks.add(webhook);
        Http.Opened opened = http.openActiveAccount("WH-LOG");
        flows.freeze(opened.account(), "log");

        await().atMost(Duration.ofSeconds(20)).until(() -> {
            JsonNode entry = http.get(Http.BANK, "/api/v1/webhooks/" + webhook + "/deliveries").json().get("content").get(0);
            return entry != null && entry.get("attempts").asInt() >= 2;
        });
        JsonNode pending = http.get(Http.BANK, "/api/v1/webhooks/" + webhook + "/deliveries").json().get("content").get(0);
        assertThat(pending.get("status").asString()).isEqualTo("PENDING");
        assertThat(pending.get("lastStatus").asInt()).isEqualTo(500);
        assertThat(pending.get("nextAttemptAt").asString()).isNotBlank();
        assertThat(pending.get("type").asString()).isEqualTo("ACCOUNT_FROZEN");
        String eventId = pending.get("eventId").asString();
        assertThat(http.get(Http.AUDITOR, "/actuator/prometheus").body())
                .contains("ledger_webhook_deliveries{status=\"pending\"} 1.0");

        receiver.recover();
        await().atMost(Duration.ofSeconds(20)).until(() -> ofAccount(opened.account()).size() == 1);
        // the receiver has it a moment before the ledger records the answer
        await().atMost(Duration.ofSeconds(10)).until(() -> http.get(Http.AUDITOR, "/actuator/prometheus").body()
                .contains("ledger_webhook_deliveries{status=\"pending\"} 0.0"));
        Answer again = http.post(Http.BANK, "/api/v1/webhooks/" + webhook + "/deliveries/" + eventId + "/redeliver", null);
        assertThat(again.status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> ofAccount(opened.account()).size() == 2);
        assertThat(ofAccount(opened.account())).extracting(Received::eventId).containsExactly(eventId, eventId);

        assertThat(http.post(Http.OTHER_BANK, "/api/v1/webhooks/" + webhook + "/deliveries/" + eventId + "/redeliver",
                null).status()).as("another bank's webhook").isEqualTo(404);
        assertThat(http.get(Http.OTHER_BANK, "/api/v1/webhooks/" + webhook + "/deliveries").status()).isEqualTo(404);
        assertThat(http.post(Http.BANK, "/api/v1/webhooks/" + webhook + "/deliveries/no-such-event/redeliver",
                null).status()).isEqualTo(404);
    }

    @Test
    void aReceiverThatDoesNotAnswerHoldsUpNoPosting() {
        receiver.hang();
        webhooks.add(flows.registerWebhook(receiver, "ACCOUNT_FROZEN", "ACCOUNT_UNFROZEN"));
        Http.Opened opened = http.openActiveAccount("WH-SLOW");
        flows.freeze(opened.account(), "hold");
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.hanging() >= 1);

        // Were a posting or a decision waiting on the receiver, these would never be answered.
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            flows.unfreeze(opened.account(), "go on");
            for (int order = 0; order < 5; order++) {
                flows.depositAndConsume(opened.account(), "ORD-SLOW-" + order);
            }
            flows.approve(flows.heldRelease(opened.account(), "ORD-SLOW-0"), "ok");
        });
        assertThat(ofAccount(opened.account())).as("nothing acknowledged yet").isEmpty();

        receiver.recover();
        await().atMost(Duration.ofSeconds(20)).until(() -> ofAccount(opened.account()).size() == 2);
        assertThat(ofAccount(opened.account())).extracting(Received::type)
                .containsExactly("ACCOUNT_FROZEN", "ACCOUNT_UNFROZEN");
    }

    @Test
    void aClosureIsDeliveredToTheBankWithTheRefundObligations() {
        webhooks.add(flows.registerWebhook(receiver, "INSTITUTION_CLOSED", "REFUND_OBLIGATIONS_CREATED"));
        Http.Opened opened = http.openActiveAccount("WH-CLOSE");
        flows.depositAndConsume(opened.account(), "ORD-C");
        assertThat(http.post(Http.ZHEJIANG, "/api/v1/institutions/" + opened.institution() + "/close",
                json("reason", "终止办学")).status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(20)).until(() -> ofInstitution(opened.institution()).size() >= 2);
        List<Received> received = ofInstitution(opened.institution());
        assertThat(received).extracting(Received::type)
                .containsExactlyInAnyOrder("INSTITUTION_CLOSED", "REFUND_OBLIGATIONS_CREATED");
        Received obligations = received.stream().filter(r -> r.type().equals("REFUND_OBLIGATIONS_CREATED"))
                .findFirst().orElseThrow();
        assertThat(obligations.json().get("accountId").asString()).isEqualTo(opened.account());
        JsonNode owed = obligations.json().get("data").get("obligations").get(0);
        assertThat(owed.get("orderId").asString()).isEqualTo("ORD-C");
        assertThat(owed.get("studentRef").asString()).isEqualTo("stu-ORD-C");
        assertThat(owed.get("amount").asString()).as("10 unconsumed lessons at 1,500.00").isEqualTo("15000.00");
        Received closed = received.stream().filter(r -> r.type().equals("INSTITUTION_CLOSED")).findFirst().orElseThrow();
        assertThat(closed.json().has("accountId")).isFalse();
        assertThat(closed.json().get("data").get("reason").asString()).isEqualTo("终止办学");
    }

    @Test
    void anInstitutionsSuspensionAndBlacklistingReachEveryBankHoldingItsAccountsAndNoOther() throws IOException {
        String[] institutionEvents = {"INSTITUTION_SUSPENDED", "INSTITUTION_BLACKLISTED"};
        webhooks.add(flows.registerWebhook(receiver, institutionEvents));
        try (WebhookReceiver abcReceiver = new WebhookReceiver()) {
            Answer abcHook = http.post(Http.OTHER_BANK, "/api/v1/webhooks", json("url", abcReceiver.url(),
                    "events", institutionEvents));
            abcReceiver.useSecret(abcHook.json().get("secret").asString());
            Http.Opened shared = http.openActiveAccount("WH-SHARED");
            assertThat(http.post(Http.OTHER_BANK, "/api/v1/accounts", json("accountId", shared.account() + "-ABC",
                    "institutionId", shared.institution(), "bankAccountNo", "9558801")).status()).isEqualTo(201);
            Http.Opened icbcOnly = http.openActiveAccount("WH-ICBC");

            suspend(shared.institution(), "停业整顿");
            assertThat(http.post(Http.ZHEJIANG, "/api/v1/institutions/" + shared.institution() + "/blacklist",
                    json("reason", "卷款")).status()).isEqualTo(200);
            suspend(icbcOnly.institution(), "检查");

            await().atMost(Duration.ofSeconds(20)).until(() -> ofInstitution(shared.institution()).size() == 2
                    && ofInstitution(icbcOnly.institution()).size() == 1
                    && abcReceiver.acknowledged().size() >= 2);
            assertThat(ofInstitution(shared.institution())).extracting(Received::type)
                    .containsExactly(institutionEvents);
            assertThat(abcReceiver.acknowledged()).extracting(r -> r.json().get("institutionId").asString())
                    .as("the other bank holds no account of the second institution")
                    .containsOnly(shared.institution());
            assertThat(abcReceiver.acknowledged()).extracting(Received::type).containsExactly(institutionEvents);
            assertThat(abcReceiver.acknowledged()).allSatisfy(r -> assertThat(r.signatureValid()).isTrue());
            assertThat(abcReceiver.acknowledged().get(1).json().get("data").get("reason").asString()).isEqualTo("卷款");
            assertThat(http.send(Http.OTHER_BANK, "DELETE", "/api/v1/webhooks/" + abcHook.json().get("webhookId")
                    .asString(), null).status()).isEqualTo(204);
        }
    }

    private void suspend(String institution, String reason) {
        assertThat(http.post(Http.ZHEJIANG, "/api/v1/institutions/" + institution + "/suspend",
                json("reason", reason)).status()).isEqualTo(200);
    }

    @Test
    void onlyHttpsUrlsToPublicAddressesAndKnownEventsAreAccepted() {
        assertRefused(json("url", "http://bank.example/hooks", "events", new String[]{"ACCOUNT_FROZEN"}),
                "WEBHOOK_URL_INVALID");
        assertRefused(json("url", "https://169.254.169.254/latest/meta-data", "events",
                new String[]{"ACCOUNT_FROZEN"}), "WEBHOOK_URL_INVALID");
        assertRefused(json("url", "https://10.1.2.3/hooks", "events", new String[]{"ACCOUNT_FROZEN"}),
                "WEBHOOK_URL_INVALID");
        assertRefused(json("url", "https://192.168.1.20/hooks", "events", new String[]{"ACCOUNT_FROZEN"}),
                "WEBHOOK_URL_INVALID");
        assertRefused(json("url", receiver.url(), "events", new String[]{"ACCOUNT_EXPLODED"}), "VALIDATION_FAILED");
        assertRefused(json("url", receiver.url(), "events", new String[]{}), "VALIDATION_FAILED");
        assertThat(http.get(Http.BANK, "/api/v1/webhooks?size=500").json().get("content"))
                .noneSatisfy(hook -> assertThat(hook.get("url").asString()).contains("169.254"));
        assertThat(http.post(Http.ZHEJIANG, "/api/v1/webhooks", json("url", receiver.url(), "events",
                new String[]{"ACCOUNT_FROZEN"})).status()).as("webhooks are the banks'").isEqualTo(403);
    }

    @Test
    void aBankListsReadsAndDeletesOnlyItsOwnWebhooks() {
        String webhook = flows.registerWebhook(receiver, "ACCOUNT_FROZEN");
        JsonNode listed = http.get(Http.BANK, "/api/v1/webhooks?size=500").json();
        assertThat(listed.get("content")).anySatisfy(hook -> {
            assertThat(hook.get("webhookId").asString()).isEqualTo(webhook);
            assertThat(hook.get("url").asString()).isEqualTo(receiver.url());
            assertThat(hook.has("secret")).as("the secret is shown once").isFalse();
        });
        assertThat(http.get(Http.OTHER_BANK, "/api/v1/webhooks?size=500").json().get("content"))
                .noneSatisfy(hook -> assertThat(hook.get("webhookId").asString()).isEqualTo(webhook));
        assertThat(http.send(Http.OTHER_BANK, "DELETE", "/api/v1/webhooks/" + webhook, null).status()).isEqualTo(404);
        assertThat(http.send(Http.BANK, "DELETE", "/api/v1/webhooks/" + webhook, null).status()).isEqualTo(204);
        assertThat(http.send(Http.BANK, "DELETE", "/api/v1/webhooks/" + webhook, null).status()).isEqualTo(404);
    }

    private void assertRefused(String body, String code) {
        Answer answer = http.post(Http.BANK, "/api/v1/webhooks", body);
        assertThat(answer.status()).as(body).isEqualTo(400);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.json().get("code").asString()).isEqualTo(code);
    }

    private List<Received> ofAccount(String account) {
        return receiver.acknowledged().stream()
                .filter(r -> r.json().has("accountId") && r.json().get("accountId").asString().equals(account)).toList();
    }

    private List<Received> ofInstitution(String institution) {
        return receiver.acknowledged().stream()
                .filter(r -> r.json().get("institutionId").asString().equals(institution)).toList();
    }
}
