package cn.prepaid.ledger.api.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bank's webhook receiver on 127.0.0.1, as a bank would write one: it verifies the signature itself
 * (HMAC-SHA256 over timestamp + "." + body, computed here, not by the ledger's code), answers 500 or
 * nothing at all while told to, and records every request it acknowledged.
 */
public final class WebhookReceiver implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A delivery this receiver answered with 200. */
    public record Received(String eventId, long timestamp, String signature, String body, boolean signatureValid) {

        public JsonNode json() {
            return JSON.readTree(body);
        }

        public String type() {
            return json().get("type").asString();
        }
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private final List<Received> acknowledged = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger failuresToGo = new AtomicInteger();
    private final AtomicInteger held = new AtomicInteger();
    private volatile CountDownLatch silence = new CountDownLatch(0);
    private volatile boolean failing;
    private volatile String secret;

    public WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hooks", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks";
    }

    /** The endpoint's secret, from the answer to its registration. */
    public void useSecret(String secret) {
        this.secret = secret;
    }

    /** Answers 500 to the next {@code count} requests. */
    public void failNext(int count) {
        failuresToGo.set(count);
    }

    /** Answers 500 to every request until {@link #recover()}. */
    public void failAlways() {
        failing = true;
    }

    /** Answers nothing at all until {@link #recover()}: a receiver that hangs. */
    public void hang() {
        silence = new CountDownLatch(1);
    }

    /** Requests this receiver is holding unanswered. */
    public int hanging() {
        return held.get();
    }

    public void recover() {
        silence.countDown();
        failing = false;
        failuresToGo.set(0);
    }

    public List<Received> acknowledged() {
        return List.copyOf(acknowledged);
    }

    public int requests() {
        return requests.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] raw = exchange.getRequestBody().readAllBytes();
        requests.incrementAndGet();
        held.incrementAndGet();
        try {
            silence.await();
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
        } finally {
            held.decrementAndGet();
        }
        boolean fail = failing || failuresToGo.getAndUpdate(left -> Math.max(0, left - 1)) > 0;
        if (fail) {
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
            return;
        }
        String body = new String(raw, StandardCharsets.UTF_8);
        String timestamp = exchange.getRequestHeaders().getFirst("Ledger-Timestamp");
        String signature = exchange.getRequestHeaders().getFirst("Ledger-Signature");
        acknowledged.add(new Received(exchange.getRequestHeaders().getFirst("Ledger-Event-Id"),
                Long.parseLong(timestamp), signature, body, verifies(timestamp, body, signature)));
        exchange.sendResponseHeaders(200, -1);
        exchange.close();
    }

    private boolean verifies(String timestamp, String body, String signature) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String expected = "sha256=" + HexFormat.of().formatHex(
                    mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
            return signature != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                    signature.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        silence.countDown();
        server.stop(0);
        threads.shutdownNow();
    }
}
