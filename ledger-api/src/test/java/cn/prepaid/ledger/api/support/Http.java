package cn.prepaid.ledger.api.support;

import cn.prepaid.ledger.store.support.TestLedger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

/** A real HTTP client against the running test application, with the test principals' keys. */
public final class Http {

    public static final String BANK = "test-bank-icbc-0123456789";
    public static final String OTHER_BANK = "test-bank-abc-0123456789";
    public static final String PLATFORM = "test-platform-0123456789";
    public static final String REGULATOR = "test-regulator-national-0123456789";
    public static final String ZHEJIANG = "test-regulator-zhejiang-0123456789";
    public static final String BEIJING = "test-regulator-beijing-0123456789";
    public static final String AUDITOR = "test-auditor-0123456789";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpClient client;
    private final String base;

    public Http(int port) {
        this("http://localhost:" + port, HttpClient.newHttpClient());
    }

    /** Another scheme or client: HTTPS with a client certificate, for example. */
    public Http(String base, HttpClient client) {
        this.base = base;
        this.client = client;
    }

    public record Answer(int status, String body, Map<String, List<String>> headers) {

        public JsonNode json() {
            return JSON.readTree(body);
        }

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
                    .map(e -> e.getValue().get(0)).orElse(null);
        }

        public String contentType() {
            return header("Content-Type");
        }
    }

    public Answer get(String key, String path) {
        return send(key, "GET", path, null);
    }

    public Answer post(String key, String path, String body) {
        return send(key, "POST", path, body);
    }

    public Answer put(String key, String path, String body) {
        return send(key, "PUT", path, body);
    }

    public Answer send(String key, String method, String path, String body) {
        return send(key, method, path, body, Map.of());
    }

    public Answer send(String key, String method, String path, String body, String contentType) {
        return send(key, method, path, body, Map.of("Content-Type", contentType));
    }

    /**
     * With headers of the caller's choice; they replace the JSON Content-Type a body is otherwise sent with.
     * Checks the answer against the ledger's OpenAPI document ({@link Contract}).
     */
    public Answer send(String key, String method, String path, String body, Map<String, String> headers) {
        URI uri = URI.create(base + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null && !headers.containsKey("Content-Type")) {
            request.header("Content-Type", "application/json");
        }
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        headers.forEach(request::header);
        Answer answer = exchange(request.build());
        Contract.check(base, this::document, method, uri, answer);
        return answer;
    }

    private String document(String ledger) {
        Answer document = exchange(HttpRequest.newBuilder(URI.create(ledger + "/v3/api-docs")).build());
        if (document.status() != 200) {
            throw new IllegalStateException("the ledger answered " + document.status() + " for its OpenAPI document: "
                    + document.body());
        }
        return document.body();
    }

    private Answer exchange(HttpRequest request) {
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body(), response.headers().map());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An institution in region 330106, registered and approved by the Zhejiang regulator, with one ICBC account. */
    public record Opened(String institution, String account) {
    }

    public Opened openActiveAccount(String accountPrefix) {
        String institution = TestLedger.newInstitutionId().value();
        String account = TestLedger.unique(accountPrefix);
        require(post(ZHEJIANG, "/api/v1/institutions", json("institutionId", institution, "name", "测试学校 " + account,
                "regionCode", "330106", "category", "SUBJECT", "supervisionMode", "FULL_CUSTODY")), 201);
        require(post(ZHEJIANG, "/api/v1/institutions/" + institution + "/approve", null), 200);
        require(post(BANK, "/api/v1/accounts", json("accountId", account, "institutionId", institution,
                "bankAccountNo", "6222" + Math.abs(account.hashCode()))), 201);
        return new Opened(institution, account);
    }

    private static void require(Answer answer, int status) {
        if (answer.status() != status) {
            throw new AssertionError("expected " + status + " but got " + answer.status() + ": " + answer.body());
        }
    }

    /** JSON text from alternating keys and values, for readable request bodies in tests. */
    public static String json(Object... keysAndValues) {
        var node = JSON.createObjectNode();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            node.set((String) keysAndValues[i], JSON.valueToTree(keysAndValues[i + 1]));
        }
        return node.toString();
    }
}
