package cn.prepaid.ledger.api.http;

import cn.prepaid.ledger.api.LedgerApplication;
import cn.prepaid.ledger.api.support.Http;
import cn.prepaid.ledger.api.support.Http.Answer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A ledger with room for three requests at once, held by three clients trickling their bodies in a byte
 * at a time: a fourth request is shed at once with 429 and Retry-After, health still answers, and the
 * slow clients are cut off with 408 once the body deadline passes, which frees their threads.
 */
class OverloadTest {

    private static final int SLOW_CLIENTS = 3;

    /** Its own ledger (and throw-away database) with these limits: the shared test context keeps the defaults. */
    static ConfigurableApplicationContext ledger;
    static int port;

    @BeforeAll
    static void startALedgerWithRoomForThreeRequests() {
        // as arguments: the builder's properties rank below application.yml's
        ledger = new SpringApplicationBuilder(LedgerApplication.class).profiles("test").run(
                "--ledger.http.max-in-flight=" + SLOW_CLIENTS, "--ledger.http.body-read-timeout=15s", "--server.port=0");
        port = Integer.parseInt(ledger.getEnvironment().getRequiredProperty("local.server.port"));
    }

    @AfterAll
    static void stop() {
        ledger.close();
    }

    record SlowAnswer(String statusLine, String body, Duration took) {
    }

    @Test
    void pastTheLimitRequestsAreShedAndSlowBodiesAreCutOff() throws Exception {
        Http http = new Http(port);
        // the contract check reads the ledger's document with the first answer, and the document is shed too
        assertThat(http.get(Http.AUDITOR, "/api/v1/alerts").status()).isEqualTo(200);
        ExecutorService clients = Executors.newFixedThreadPool(SLOW_CLIENTS);
        try {
            List<Future<SlowAnswer>> slow = new ArrayList<>();
            for (int i = 0; i < SLOW_CLIENTS; i++) {
                slow.add(clients.submit(this::trickleAPosting));
            }
            await().atMost(Duration.ofSeconds(12)).pollInterval(Duration.ofMillis(50))
                    .until(() -> http.get(Http.AUDITOR, "/api/v1/alerts").status() == 429);
            Answer shed = http.get(Http.AUDITOR, "/api/v1/alerts");
            assertThat(shed.status()).isEqualTo(429);
            assertThat(shed.header("Retry-After")).isEqualTo("1");
            assertThat(shed.contentType()).startsWith("application/problem+json");
            assertThat(shed.json().get("code").asString()).isEqualTo("OVERLOADED");
            assertThat(http.get(null, "/actuator/health").status()).isEqualTo(200);

            for (Future<SlowAnswer> client : slow) {
                SlowAnswer answer = client.get();
                assertThat(answer.statusLine()).contains(" 408");
                assertThat(answer.body()).contains("\"code\":\"REQUEST_TIMEOUT\"");
                assertThat(answer.took()).isLessThan(Duration.ofSeconds(30));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> http.get(Http.AUDITOR, "/api/v1/alerts").status() == 200);
            assertThat(http.get(Http.AUDITOR, "/actuator/prometheus").body())
                    .containsPattern("ledger_http_requests_shed_total [1-9]");
        } finally {
            clients.shutdownNow();
        }
    }

    /**
     * A posting whose body arrives a byte every 200 ms (paced by a scheduler, not by sleeping), read
     * until the ledger answers or 60 s have passed.
     */
    private SlowAnswer trickleAPosting() throws IOException {
        long start = System.nanoTime();
        byte[] body = ("{\"bankTxnId\":\"SLOW\",\"type\":\"INTEREST\",\"amount\":\"1.00\",\"currency\":\"CNY\","
                + "\"occurredAt\":\"2026-03-01T09:30:00+08:00\"}").getBytes(StandardCharsets.UTF_8);
        ScheduledExecutorService pace = Executors.newSingleThreadScheduledExecutor();
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/accounts/SLOW-ACC/transactions HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Bearer " + Http.BANK + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            AtomicInteger sent = new AtomicInteger();
            pace.scheduleAtFixedRate(() -> {
                int next = sent.getAndIncrement();
                try {
                    if (next < body.length) {
                        out.write(body[next]);
                        out.flush();
                    }
                } catch (IOException closedByServer) {
                    pace.shutdown();
                }
            }, 200, 200, TimeUnit.MILLISECONDS);
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            try {
                socket.getInputStream().transferTo(answer);
            } catch (IOException resetAfterAnswer) {
                // the server closes a connection whose body it did not read
            }
            String text = answer.toString(StandardCharsets.UTF_8);
            return new SlowAnswer(text.lines().findFirst().orElse(""), text, Duration.ofNanos(System.nanoTime() - start));
        } finally {
            pace.shutdownNow();
        }
    }
}
