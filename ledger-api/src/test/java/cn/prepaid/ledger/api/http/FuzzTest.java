package cn.prepaid.ledger.api.http;

import cn.prepaid.ledger.api.support.Http;
import cn.prepaid.ledger.api.support.LedgerIntegrationTest;
import cn.prepaid.ledger.api.support.RawHttp;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Supplier;

import static cn.prepaid.ledger.api.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Thousands of random and mutated requests to every write endpoint: broken and truncated JSON, wrong
 * types, huge and negative-zero numbers, NUL, lone surrogates, right-to-left marks, 10,000-character
 * strings, deep nesting, duplicate keys, very long ids, path tricks in ids, wrong content types, invalid
 * UTF-8, oversized headers. Never a 5xx, never internals in an answer, never an event stored for a refused
 * request, and the ledger healthy afterwards. The seed is printed with every failure (set
 * {@code -Dfuzz.seed=} to replay one run).
 */
@LedgerIntegrationTest
class FuzzTest {

    private static final int REQUESTS = 3_000;
    /** Text an answer must never hold: stack traces, SQL, class, package and container names. */
    private static final List<String> LEAKS = List.of("Exception", "\tat ", "org.springframework", "java.",
            "jakarta.", "tools.jackson", "com.fasterxml", "cn.prepaid", "axonframework", "SQL", "select ",
            "insert into", "domain_event_entry", "PSQL", "Tomcat", "<html");
    private static final List<String> ODD_VALUES = List.of(
            "1e400", "-0", "-0.0", "-0.00", "99999999999999999999999999999", "-1", "0.1", "1.7976931348623157E309",
            "NaN", "Infinity", "true", "null", "[]", "{}", "[1,2]", "{\"a\":{\"b\":[]}}", "\"\"", "\" \"",
            "\"a\\u0000b\"", "\"\\u0000\"", "\"\\ud800\"", "\"\\udc00x\"", "\"\\ud83d\"", "\"\\u202Eevil\\u202C\"",
            "\"\\u200B\"", "\"😀\"", "\"测试\"", "\"\\u0001\\u001f\"", "\"\\uFFFE\"", "\"e\\u0301\"",
            "\"" + "长".repeat(10_000) + "\"", "\"" + "x".repeat(10_000) + "\"", "\"../../etc/passwd\"",
            "\"%00\"", "\"<script>\"", "\"١٢٣\"", "\"１２３.００\"", "\"12.5\"", "\"1e3\"", "\"-0.00\"", "\"0x10\"",
            "\"999999999999999.99\"", "\"2026-02-30T25:61:00+08:00\"", "\"2026-03-01T09:30:00+99:00\"",
            "\"+999999999-12-31T23:59:59Z\"", "2147483648", "-2147483649", "9223372036854775808",
            "[" .repeat(2_000) + "]".repeat(2_000), "{\"a\":".repeat(2_000) + "1" + "}".repeat(2_000));
    private static final List<String> ODD_IDS = List.of("..", "%2e%2e", "a%2Fb", "%00", "a;b", "%E6%B5%8B%E8%AF%95",
            "%20", "%ff", "x".repeat(1_000), "%25", ".", "~", "a%5Cb", "%C0%AE%C0%AE", "-", "%E2%80%AE", "%0d%0aX:1");
    private static final List<String> CONTENT_TYPES = List.of("text/plain", "*/*", "application/*", "application/xml",
            "multipart/form-data", "application/x-www-form-urlencoded", "json", "application/json; charset=latin1",
            "application/problem+json", "");

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String at = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS)
            .atOffset(ZoneOffset.ofHours(8)).toString();

    /** One write endpoint: who may call it, its path with {@code {id}} where an id goes, and a valid body. */
    record Endpoint(String method, String path, String id, String key, Supplier<String> body) {
    }

    record Outcome(int status, String body, String contentType) {
    }

    @Test
    void randomAndMutatedWritesNeverFailTheLedgerLeakOrStoreWhatTheyRefuse() {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        Random random = new Random(seed);
        Http http = new Http(port);
        Http.Opened opened = http.openActiveAccount("FUZZ");
        String account = opened.account();
        assertThat(http.post(Http.BANK, "/api/v1/accounts/" + account + "/transactions", json("bankTxnId", account + "-FUZZ-DEP",
                "type", "DEPOSIT", "amount", "75000.00", "currency", "CNY", "occurredAt", at, "orderId", "O",
                "studentRef", "s", "lessons", 50, "lessonPrice", "1500.00", "courseStart", "2026-03-02",
                "courseEnd", "2026-05-31")).status()).isEqualTo(201);
        long deadLettersBefore = count("select count(*) from dead_letter_entry");
        List<Endpoint> endpoints = endpoints(random, account, opened.institution());

        Map<Integer, Integer> statuses = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < REQUESTS && failures.size() < 10; i++) {
            Endpoint endpoint = endpoints.get(random.nextInt(endpoints.size()));
            long headBefore = head();
            String sent = endpoint.method() + " " + endpoint.path();
            Outcome outcome;
            try {
                outcome = sendMutated(random, endpoint);
            } catch (RuntimeException failed) {
                failures.add(sent + ": no answer (" + failed.getMessage() + ")");
                continue;
            }
            statuses.merge(outcome.status(), 1, Integer::sum);
            String problem = problemWith(outcome, head() != headBefore);
            if (problem != null) {
                failures.add(sent + " → " + outcome.status() + ": " + problem + ": "
                        + outcome.body().substring(0, Math.min(300, outcome.body().length())));
            }
        }
        LoggerFactory.getLogger(FuzzTest.class).info("fuzz: {} requests (seed {}), answers by status {}",
                statuses.values().stream().mapToInt(Integer::intValue).sum(), seed, statuses);
        assertThat(failures).as("seed " + seed + ", statuses " + statuses).isEmpty();

        assertThat(http.get(null, "/actuator/health").json().get("status").asString()).isEqualTo("UP");
        Http.Answer after = http.post(Http.BANK, "/api/v1/accounts/" + account + "/transactions", json("bankTxnId",
                "FUZZ-AFTER", "type", "INTEREST", "amount", "1.00", "currency", "CNY", "occurredAt", at));
        assertThat(after.status()).as(after.body()).isEqualTo(201);
        // the account's view catches up with everything the fuzzing stored: no event of it is stuck
        String balance = after.json().get("balance").asString();
        await().atMost(Duration.ofSeconds(30)).until(() -> balance.equals(
                http.get(Http.AUDITOR, "/api/v1/accounts/" + account).json().get("balance").asString()));
        assertThat(count("select count(*) from dead_letter_entry")).as("seed " + seed).isEqualTo(deadLettersBefore);
    }

    private List<Endpoint> endpoints(Random random, String account, String institution) {
        String accounts = "/api/v1/accounts/";
        Supplier<String> posting = () -> json("bankTxnId", account + "-FZ-" + random.nextInt(1_000_000), "type", "INTEREST",
                "amount", "1.00", "currency", "CNY", "occurredAt", at, "memo", "m");
        Supplier<String> reason = () -> json("reason", "r");
        return List.of(
                new Endpoint("POST", accounts + "{id}/transactions", account, Http.BANK, posting),
                new Endpoint("POST", accounts + "{id}/transactions", account, Http.BANK, () -> json("bankTxnId",
                        account + "-FZ-R" + random.nextInt(1_000), "type", "RELEASE", "amount", "10.00", "currency", "CNY",
                        "occurredAt", at, "orderId", "O")),
                new Endpoint("POST", "/api/v1/transactions/batch", null, Http.BANK,
                        () -> "{\"transactions\":[{\"accountId\":\"" + account + "\"," + posting.get().substring(1) + "]}"),
                new Endpoint("POST", accounts + "{id}/statements", account, Http.BANK, () -> json("statementId",
                        "FZ-S" + random.nextInt(1_000_000), "statementDate", "2026-03-01", "closingBalance", "0.00",
                        "transactionCount", 0)),
                new Endpoint("POST", accounts + "{id}/orders/O/consumptions", account, Http.PLATFORM, () -> json(
                        "consumptionId", "FZ-C" + random.nextInt(1_000_000), "lessons", 1, "occurredAt", at)),
                new Endpoint("POST", accounts, null, Http.BANK, () -> json("accountId", "FZ-A" + random.nextInt(1_000_000),
                        "institutionId", institution, "bankAccountNo", "6222")),
                new Endpoint("POST", accounts + "{id}/freeze", account, Http.ZHEJIANG, reason),
                new Endpoint("POST", accounts + "{id}/unfreeze", account, Http.ZHEJIANG, reason),
                new Endpoint("POST", "/api/v1/institutions", null, Http.ZHEJIANG, () -> json("institutionId",
                        "91330106MA27XK8G6H", "name", "学校", "regionCode", "330106", "category", "SUBJECT",
                        "supervisionMode", "FULL_CUSTODY")),
                new Endpoint("PUT", "/api/v1/institutions/{id}/policy", institution, Http.ZHEJIANG, () -> json(
                        "minimumBalance", "100000.00", "liabilityRatio", "0.20", "largeTransferThreshold", "50000.00",
                        "largeTransferRatio", "0.30", "largeTransferRatioFrom", "10000.00")),
                new Endpoint("POST", "/api/v1/institutions/{id}/suspend", institution, Http.ZHEJIANG, reason),
                new Endpoint("POST", "/api/v1/held-outflows/{id}/reject", account + ".H1", Http.REGULATOR, reason),
                new Endpoint("POST", "/api/v1/held-outflows/{id}/approve", account + ".H1", Http.REGULATOR,
                        () -> json("note", "n")),
                new Endpoint("POST", "/api/v1/alerts/{id}/acknowledge", "ALERT-1", Http.REGULATOR, () -> json("note", "n")),
                new Endpoint("POST", "/api/v1/dead-letters/retry", null, Http.REGULATOR, () -> ""));
    }

    /** The endpoint's request, changed in one or two ways chosen at random. */
    private Outcome sendMutated(Random random, Endpoint endpoint) {
        String id = endpoint.id() == null ? null : random.nextInt(4) == 0 ? pick(random, ODD_IDS) : endpoint.id();
        String path = id == null ? endpoint.path() : endpoint.path().replace("{id}", id);
        String body = endpoint.body().get();
        String contentType = "application/json";
        byte[] bytes;
        switch (random.nextInt(10)) {
            case 0 -> body = body.substring(0, random.nextInt(body.length() + 1));
            case 1 -> body = pick(random, List.of("[]", "\"text\"", "42", "null", "{", "}", "{}", "{\"\":1}", ""));
            case 2 -> body = duplicateAKey(random, body);
            case 3 -> contentType = pick(random, CONTENT_TYPES);
            case 4 -> {
                return sendRaw(endpoint, path, body, random);
            }
            default -> body = withOddValue(random, body);
        }
        bytes = body.getBytes(StandardCharsets.UTF_8);
        if (random.nextInt(8) == 0) {
            bytes = withInvalidUtf8(random, bytes);
        }
        return send(endpoint, path, contentType, bytes);
    }

    private Outcome send(Endpoint endpoint, String path, String contentType, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .method(endpoint.method(), HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Authorization", "Bearer " + endpoint.key());
        if (!contentType.isEmpty()) {
            request.header("Content-Type", contentType);
        }
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Outcome(response.statusCode(), response.body(),
                    response.headers().firstValue("Content-Type").orElse(""));
        } catch (IOException e) {
            throw new IllegalStateException(e.toString(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Bytes no HTTP client library sends: an odd Accept, a raw path, a header past the limit (which the
     * server answers before the body is sent, closing the connection: an HTTP client library reports
     * that as a broken pipe instead of the answer).
     */
    private Outcome sendRaw(Endpoint endpoint, String path, String body, Random random) {
        String head = endpoint.method() + " " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + endpoint.key() + "\r\nContent-Type: application/json\r\nAccept: "
                + pick(random, List.of("text/html", "image/png", "*/*", "application/json;q=0", "garbage"))
                + (random.nextBoolean() ? "\r\nX-Fuzz: " + "h".repeat(random.nextInt(12_000)) : "");
        Http.Answer answer = RawHttp.exchange(port, head, body.getBytes(StandardCharsets.UTF_8));
        return new Outcome(answer.status(), answer.body(), answer.contentType() == null ? "" : answer.contentType());
    }

    /** Why an answer is wrong, or null when it is acceptable. */
    private static String problemWith(Outcome outcome, boolean stored) {
        if (outcome.status() >= 500) {
            return "a server error";
        }
        for (String leak : LEAKS) {
            if (outcome.body().contains(leak)) {
                return "names internals (" + leak + ")";
            }
        }
        boolean recordedRefusal = outcome.body().contains("\"code\":\"OUTFLOW_REJECTED\"");
        if (outcome.status() >= 400 && stored && !recordedRefusal) {
            return "stored an event for a refused request";
        }
        if (outcome.status() >= 400 && !outcome.contentType().startsWith("application/problem+json")) {
            return "a refusal that is not problem+json (" + outcome.contentType() + ")";
        }
        return null;
    }

    private static String withOddValue(Random random, String body) {
        List<Integer> valueStarts = new ArrayList<>();
        for (int i = body.indexOf("\":"); i >= 0; i = body.indexOf("\":", i + 1)) {
            valueStarts.add(i + 2);
        }
        if (valueStarts.isEmpty()) {
            return pick(random, ODD_VALUES);
        }
        int start = valueStarts.get(random.nextInt(valueStarts.size()));
        int end = valueEnd(body, start);
        return body.substring(0, start) + pick(random, ODD_VALUES) + body.substring(end);
    }

    /** Where the JSON value starting at {@code start} ends (a string, or a scalar up to ',' or '}'). */
    private static int valueEnd(String body, int start) {
        if (body.charAt(start) == '"') {
            int i = start + 1;
            while (body.charAt(i) != '"') {
                i += body.charAt(i) == '\\' ? 2 : 1;
            }
            return i + 1;
        }
        int i = start;
        while (i < body.length() && body.charAt(i) != ',' && body.charAt(i) != '}') {
            i++;
        }
        return i;
    }

    private static String duplicateAKey(Random random, String body) {
        if (!body.startsWith("{\"")) {
            return body;
        }
        int keyEnd = body.indexOf("\":");
        String key = body.substring(1, keyEnd + 1);
        return "{" + key + ":" + pick(random, ODD_VALUES) + "," + body.substring(1);
    }

    private static byte[] withInvalidUtf8(Random random, byte[] body) {
        byte[][] invalid = {{(byte) 0xC3, 0x28}, {(byte) 0xFF}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0,
                (byte) 0x80}, {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0x80}};
        int at = random.nextInt(body.length + 1);
        ByteArrayOutputStream mixed = new ByteArrayOutputStream();
        mixed.write(body, 0, at);
        mixed.writeBytes(invalid[random.nextInt(invalid.length)]);
        mixed.write(body, at, body.length - at);
        return mixed.toByteArray();
    }

    private static <T> T pick(Random random, List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }

    private long head() {
        Long head = jdbc.queryForObject("select coalesce(max(global_index), 0) from domain_event_entry", Long.class);
        return head == null ? 0 : head;
    }

    private long count(String sql) {
        Long count = jdbc.queryForObject(sql, Long.class);
        return count == null ? 0 : count;
    }
}
