package cn.prepaid.ledger.api.support;

import cn.prepaid.ledger.api.support.Http.Answer;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

import static cn.prepaid.ledger.api.support.Http.json;

/** What a bank, the platform and a regulator do over HTTP to reach a held outflow or a closure, in one place. */
public final class BankFlows {

    private final Http http;
    private final String occurredAt = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS)
            .atOffset(ZoneOffset.ofHours(8)).toString();

    public BankFlows(Http http) {
        this.http = http;
    }

    /** 50 lessons at 1,500.00 deposited for {@code orderId}, 40 of them consumed: 60,000.00 releasable. */
    public void depositAndConsume(String account, String orderId) {
        require(http.post(Http.BANK, "/api/v1/accounts/" + account + "/transactions", json("bankTxnId", "DEP-" + orderId,
                "type", "DEPOSIT", "amount", "75000.00", "currency", "CNY", "occurredAt", occurredAt,
                "orderId", orderId, "studentRef", "stu-" + orderId, "lessons", 50, "lessonPrice", "1500.00",
                "courseStart", "2026-03-02", "courseEnd", "2026-05-31")), 201);
        require(http.post(Http.PLATFORM, "/api/v1/accounts/" + account + "/orders/" + orderId + "/consumptions",
                json("consumptionId", "C-" + orderId, "lessons", 40, "occurredAt", occurredAt)), 201);
    }

    /** A release of 60,000.00 for the order, large, so held: answers the held outflow's id. */
    public String heldRelease(String account, String orderId) {
        Answer held = http.post(Http.BANK, "/api/v1/accounts/" + account + "/transactions", json("bankTxnId",
                "REL-" + orderId, "type", "RELEASE", "amount", "60000.00", "currency", "CNY", "occurredAt", occurredAt,
                "orderId", orderId));
        require(held, 202);
        return held.json().get("heldOutflowId").asString();
    }

    public Answer approve(String heldOutflowId, String note) {
        return require(http.post(Http.ZHEJIANG, "/api/v1/held-outflows/" + heldOutflowId + "/approve",
                json("note", note)), 200);
    }

    public Answer reject(String heldOutflowId, String reason) {
        return require(http.post(Http.ZHEJIANG, "/api/v1/held-outflows/" + heldOutflowId + "/reject",
                json("reason", reason)), 200);
    }

    public void freeze(String account, String reason) {
        require(http.post(Http.ZHEJIANG, "/api/v1/accounts/" + account + "/freeze", json("reason", reason)), 200);
    }

    public void unfreeze(String account, String reason) {
        require(http.post(Http.ZHEJIANG, "/api/v1/accounts/" + account + "/unfreeze", json("reason", reason)), 200);
    }

    /** Registers a webhook of the test bank for {@code events} at the receiver, which learns its secret. */
    public String registerWebhook(WebhookReceiver receiver, String... events) {
        Answer registered = require(http.post(Http.BANK, "/api/v1/webhooks", json("url", receiver.url(),
                "events", events)), 201);
        receiver.useSecret(registered.json().get("secret").asString());
        return registered.json().get("webhookId").asString();
    }

    private static Answer require(Answer answer, int status) {
        if (answer.status() != status) {
            throw new AssertionError("expected " + status + " but got " + answer.status() + ": " + answer.body());
        }
        return answer;
    }
}
