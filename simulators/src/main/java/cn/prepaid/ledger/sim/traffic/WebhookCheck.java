package cn.prepaid.ledger.sim.traffic;

import cn.prepaid.ledger.sim.LedgerClient;
import cn.prepaid.ledger.sim.client.ApiException;
import cn.prepaid.ledger.sim.client.model.Reason;
import cn.prepaid.ledger.sim.client.model.RegisterWebhookRequest;
import cn.prepaid.ledger.sim.client.model.RegisterWebhookRequest.EventsEnum;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Banks hearing back, checked from outside: each bank registers a webhook whose receiver runs inside
 * the simulator (on 127.0.0.1, so the ledger must allow http to localhost), the regulator freezes and
 * unfreezes a sample of accounts twice over, and every notification must reach the account's bank once,
 * correctly signed, in the order the regulator acted. The receivers verify signatures themselves.
 */
final class WebhookCheck implements AutoCloseable {

    private static final List<EventsEnum> EVENTS = List.of(EventsEnum.ACCOUNT_FROZEN, EventsEnum.ACCOUNT_UNFROZEN);
    private static final int ROUNDS = 2;

    private final LedgerClient ledger;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private final Map<String, String> secretsByBank = new HashMap<>();
    private final Map<String, String> bankOfAccount = new HashMap<>();
    /** eventId → how many times it was acknowledged. */
    private final Map<String, AtomicInteger> timesReceived = new ConcurrentHashMap<>();
    /** account → the reasons of the events received for it, in arrival order. */
    private final Map<String, List<String>> arrivals = new ConcurrentHashMap<>();
    private final AtomicInteger badSignatures = new AtomicInteger();
    private final AtomicInteger wrongBank = new AtomicInteger();
    private int deliveriesExpected;

    WebhookCheck(LedgerClient ledger) throws IOException {
        this.ledger = ledger;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hooks/", this::receive);
        server.setExecutor(threads);
        server.start();
    }

    /** Registers one webhook per bank; answers false (and says why) when the ledger refuses it. */
    boolean register(List<String> banks) {
        for (String bank : banks) {
            RegisterWebhookRequest receiver = new RegisterWebhookRequest()
                    .url("http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/" + bank).events(EVENTS);
            try {
                secretsByBank.put(bank, ledger.as(Population.bankPrincipal(bank)).webhooks().registerWebhook(receiver)
                        .getSecret());
            } catch (ApiException refused) {
                System.out.println("webhooks: not checked, the ledger refused the receiver of " + bank + " ("
                        + refused.getCode() + " " + refused.getResponseBody()
                        + "); start it with LEDGER_WEBHOOKS_ALLOW_HTTP_LOCALHOST=true");
                return false;
            }
        }
        return true;
    }

    /** Freezes and unfreezes every account of the first {@code institutions} institutions, {@link #ROUNDS} times. */
    void act(Population population, int institutions) {
        List<Population.Institution> sample = population.institutions().subList(0,
                Math.min(institutions, population.institutions().size()));
        for (Population.Institution institution : sample) {
            for (String account : institution.accountIds()) {
                bankOfAccount.put(account, institution.bankCode());
                for (int round = 0; round < ROUNDS; round++) {
                    regulatorSetsFrozen(account, true, "freeze-" + round);
                    regulatorSetsFrozen(account, false, "unfreeze-" + round);
                    deliveriesExpected += 2;
                }
            }
        }
    }

    private void regulatorSetsFrozen(String account, boolean freeze, String reason) {
        LedgerClient.Apis regulator = ledger.as("REGULATOR");
        try {
            if (freeze) {
                regulator.accounts().freezeAccount(account, new Reason().reason(reason));
            } else {
                regulator.accounts().unfreezeAccount(account, new Reason().reason(reason));
            }
        } catch (ApiException refused) {
            throw new IllegalStateException((freeze ? "freeze " : "unfreeze ") + account + " answered "
                    + refused.getCode() + " " + refused.getResponseBody(), refused);
        }
    }

    /** Waits until every expected notification arrived or none has for {@code quietSeconds}, then reports. */
    void report(int quietSeconds) throws InterruptedException {
        long started = System.nanoTime();
        int last = -1;
        long quietSince = System.nanoTime();
        while (received() < deliveriesExpected && System.nanoTime() - quietSince < quietSeconds * 1_000_000_000L) {
            int now = received();
            if (now != last) {
                last = now;
                quietSince = System.nanoTime();
            }
            Thread.sleep(100);
        }
        double waited = (System.nanoTime() - started) / 1e9;
        long twice = timesReceived.values().stream().filter(times -> times.get() > 1).count();
        long outOfOrder = arrivals.values().stream().filter(reasons -> !reasons.equals(inOrder())).count();
        System.out.printf("%nwebhooks: %d banks, %d accounts frozen and unfrozen %d times%n", secretsByBank.size(),
                bankOfAccount.size(), ROUNDS);
        System.out.printf("  deliveries expected %d, received %d distinct (%d acknowledged in all), received twice %d, "
                        + "out of order (accounts) %d, bad signatures %d, at the wrong bank %d; last arrived %.1f s "
                        + "after the regulator's last action%n", deliveriesExpected, received(),
                timesReceived.values().stream().mapToInt(AtomicInteger::get).sum(), twice, outOfOrder,
                badSignatures.get(), wrongBank.get(), waited);
        System.out.println("  " + (received() == deliveriesExpected && twice == 0 && outOfOrder == 0 && badSignatures.get() == 0
                && wrongBank.get() == 0 ? "OK: all delivered, none twice, in order" : "NOT OK"));
    }

    private List<String> inOrder() {
        List<String> reasons = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            reasons.add("freeze-" + round);
            reasons.add("unfreeze-" + round);
        }
        return reasons;
    }

    private int received() {
        return timesReceived.size();
    }

    private void receive(HttpExchange exchange) throws IOException {
        String bank = exchange.getRequestURI().getPath().substring("/hooks/".length());
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String timestamp = exchange.getRequestHeaders().getFirst("Ledger-Timestamp");
        String signature = exchange.getRequestHeaders().getFirst("Ledger-Signature");
        String secret = secretsByBank.get(bank);
        if (secret == null || timestamp == null || !signed(secret, timestamp, body, signature)) {
            badSignatures.incrementAndGet();
            exchange.sendResponseHeaders(401, -1);
            exchange.close();
            return;
        }
        JsonNode event = LedgerClient.JSON.readTree(body);
        String account = event.path("accountId").asString();
        if (!bank.equals(bankOfAccount.get(account))) {
            wrongBank.incrementAndGet();
        }
        AtomicInteger times = timesReceived.computeIfAbsent(event.path("eventId").asString(), id -> new AtomicInteger());
        if (times.incrementAndGet() == 1) {
            arrivals.computeIfAbsent(account, a -> Collections.synchronizedList(new ArrayList<>())).add(event.path("data").path("reason").asString());
        }
        exchange.sendResponseHeaders(204, -1);
        exchange.close();
    }

    private static boolean signed(String secret, String timestamp, String body, String signature) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] expected = ("sha256=" + HexFormat.of().formatHex(
                    mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)))).getBytes(StandardCharsets.UTF_8);
            return signature != null && MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException unavailable) {
            throw new IllegalStateException(unavailable);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
