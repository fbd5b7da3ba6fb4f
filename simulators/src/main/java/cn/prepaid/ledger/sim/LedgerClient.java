package cn.prepaid.ledger.sim;

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

/** A ledger over HTTP, as an outside client sees it: the API.md contract and API keys, nothing else. */
public final class LedgerClient {

    public static final JsonMapper JSON = JsonMapper.builder().build();

    public record Answer(int status, JsonNode body, long sentNanos, long answeredNanos) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();
    private final String base;
    private final Map<String, String> keys;

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
                        : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                .build();
        long sent = System.nanoTime();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).thenApply(response ->
                new Answer(response.statusCode(), response.body().length == 0 ? null : JSON.readTree(response.body()),
                        sent, System.nanoTime()));
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
