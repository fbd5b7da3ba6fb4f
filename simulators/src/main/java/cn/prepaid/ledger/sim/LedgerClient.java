package cn.prepaid.ledger.sim;

import cn.prepaid.ledger.sim.client.ApiClient;
import cn.prepaid.ledger.sim.client.api.BankPostingsApi;
import cn.prepaid.ledger.sim.client.api.EscrowAccountsApi;
import cn.prepaid.ledger.sim.client.api.InstitutionsApi;
import cn.prepaid.ledger.sim.client.api.LessonConsumptionApi;
import cn.prepaid.ledger.sim.client.api.WebhooksApi;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A ledger over HTTP, as an outside client sees it: the published contract and API keys, nothing else.
 * Requests go through the client generated at build time from docs/openapi.json ({@link #as}); the
 * hand-built requests below remain for what the generated client does not serve well (streams, the
 * actuator, the benchmarks' open-loop posting, see docs/benchmarks.md).
 */
public final class LedgerClient {

    public static final JsonMapper JSON = JsonMapper.builder().build();
    private static final ObjectMapper GENERATED_JSON = ApiClient.createDefaultObjectMapper();

    public record Answer(int status, JsonNode body, long sentNanos, long answeredNanos) {
    }

    /** The generated client's operations, speaking as one principal. */
    public record Apis(InstitutionsApi institutions, EscrowAccountsApi accounts, BankPostingsApi postings,
                       LessonConsumptionApi consumptions, WebhooksApi webhooks) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();
    private final String base;
    private final Map<String, String> keys;
    private final Map<String, Apis> apisByPrincipal = new ConcurrentHashMap<>();

    public LedgerClient(String base, Map<String, String> keysByRole) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.keys = keysByRole;
    }

    /** Reads the keys of the ledger's principals file (the demo one by default), one per role. */
    public static Map<String, String> keysFrom(Path principalsFile) throws IOException {
        Map<String, String> keys = new HashMap<>();
        for (JsonNode principal : JSON.readTree(principalsFile.toFile())) {
            String role = principal.get("role").asString();
            boolean national = !"REGULATOR".equals(role) || principal.path("regionPrefix").asString().isEmpty();
            if (national) {
                keys.putIfAbsent(role, principal.get("apiKey").asString());
            }
        }
        return keys;
    }

    public String base() {
        return base;
    }

    public String key(String role) {
        return keys.get(role);
    }

    /** The generated client as {@code principal} (a role, or any other name of a key this client holds). */
    public Apis as(String principal) {
        return apisByPrincipal.computeIfAbsent(principal, this::generatedClient);
    }

    private Apis generatedClient(String principal) {
        String authorization = "Bearer " + keys.get(principal);
        ApiClient client = new ApiClient();
        client.updateBaseUri(base);
        client.setHttpClientBuilder(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .version(HttpClient.Version.HTTP_1_1));
        client.setReadTimeout(Duration.ofSeconds(30));
        client.setRequestInterceptor(request -> request.header("Authorization", authorization));
        return new Apis(new InstitutionsApi(client), new EscrowAccountsApi(client), new BankPostingsApi(client),
                new LessonConsumptionApi(client), new WebhooksApi(client));
    }

    public Answer post(String role, String path, Object body) {
        return postAsync(role, path, body).join();
    }

    public CompletableFuture<Answer> postAsync(String role, String path, Object body) {
        return sendAsync("POST", role, path, body);
    }

    /** A request with a JSON body (or none), as {@code role}: a role, or any other name of a key this client holds. */
    public CompletableFuture<Answer> sendAsync(String method, String role, String path, Object body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + keys.get(role))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(serialised(body)))
                .build();
        long sent = System.nanoTime();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).thenApply(response ->
                new Answer(response.statusCode(), response.body().length == 0 ? null : JSON.readTree(response.body()),
                        sent, System.nanoTime()));
    }

    /** A body as the generated client writes it: its models (and plain maps) through its own object mapper. */
    private static byte[] serialised(Object body) {
        try {
            return GENERATED_JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + body.getClass().getSimpleName(), e);
        }
    }

    public Answer get(String role, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + keys.get(role)).GET().build();
        long sent = System.nanoTime();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(response.statusCode(), JSON.readTree(response.body()), sent, System.nanoTime());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpClient http() {
        return http;
    }
}
