package cn.prepaid.ledger.sim;

import tools.jackson.databind.JsonNode;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;

/**
 * Reads {@code GET /alerts/stream} on a daemon thread and hands every alert to a listener with the
 * {@link System#nanoTime()} of its arrival. Stop it with {@link Thread#interrupt()}.
 */
public final class AlertStream {

    private AlertStream() {
    }

    public static Thread listen(LedgerClient ledger, String principal, BiConsumer<JsonNode, Long> onAlert) {
        Thread reader = new Thread(() -> {
            HttpRequest request = HttpRequest.newBuilder(URI.create(ledger.base() + "/api/v1/alerts/stream"))
                    .header("Authorization", "Bearer " + ledger.key(principal))
                    .header("Accept", "text/event-stream").GET().build();
            try {
                HttpResponse<InputStream> response = ledger.http().send(request, HttpResponse.BodyHandlers.ofInputStream());
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = lines.readLine()) != null && !Thread.currentThread().isInterrupted()) {
                        if (line.startsWith("data:")) {
                            long now = System.nanoTime();
                            onAlert.accept(LedgerClient.JSON.readTree(line.substring(5).trim()), now);
                        }
                    }
                }
            } catch (Exception closed) {
                // the run is over, or the ledger went away
            }
        }, "alert-stream-reader");
        reader.setDaemon(true);
        reader.start();
        return reader;
    }
}
