package cn.prepaid.ledger.api.webhooks;

import cn.prepaid.ledger.api.webhooks.DeliveryQueue.Claimed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Sends due deliveries on threads of its own, never on a request thread nor inside the webhooks
 * processor's transaction: a slow or dead receiver holds up only its own account's notifications, never
 * a posting. Every node runs one; {@link DeliveryQueue} makes sure each delivery is claimed by one node
 * at a time. A claimed delivery is sent with a fresh {@code Ledger-Timestamp} and signature; any 2xx
 * acknowledges it, anything else (or no answer within the timeout) schedules the next attempt.
 */
@Component
public class WebhookDispatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

    private final DeliveryQueue queue;
    private final WebhookUrlPolicy urls;
    private final WebhookSettings settings;
    private final Clock clock;
    private final HttpClient http;
    private ScheduledExecutorService poller;
    private ExecutorService senders;
    private volatile boolean running;

    public WebhookDispatcher(DeliveryQueue queue, WebhookUrlPolicy urls, WebhookSettings settings, Clock clock) {
        this.queue = queue;
        this.urls = urls;
        this.settings = settings;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public void start() {
        senders = Executors.newFixedThreadPool(settings.senders(), daemons("webhook-sender-"));
        poller = Executors.newSingleThreadScheduledExecutor(daemons("webhook-poller-"));
        running = true;
        poller.scheduleWithFixedDelay(this::sendDue, settings.pollInterval().toMillis(),
                settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        running = false;
        poller.shutdownNow();
        senders.shutdownNow();
        try {
            poller.awaitTermination(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Claims and sends until nothing more is due, then waits for the next poll. */
    void sendDue() {
        try {
            List<Claimed> claimed;
            do {
                claimed = queue.claimDue(clock.instant(), settings.senders() * 4);
                List<CompletableFuture<Void>> sends = new ArrayList<>();
                for (Claimed delivery : claimed) {
                    sends.add(CompletableFuture.runAsync(() -> send(delivery), senders));
                }
                CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();
            } while (running && !claimed.isEmpty());
        } catch (RuntimeException failure) {
            // the database may be unreachable for a while; claims are leases, so nothing is lost
            log.warn("webhook deliveries could not be claimed or recorded; the next poll retries: {}", failure.toString());
        }
    }

    private void send(Claimed delivery) {
        URI target = URI.create(delivery.url());
        Optional<String> refused = urls.addressProblem(target.getHost());
        if (refused.isPresent()) {
            queue.failed(delivery, null, refused.get(), clock.instant());
            return;
        }
        long timestamp = clock.instant().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(target).timeout(settings.timeout())
                .header("Content-Type", "application/json")
                .header("Ledger-Event-Id", delivery.eventId())
                .header("Ledger-Timestamp", Long.toString(timestamp))
                .header("Ledger-Signature", WebhookSignature.header(delivery.secret(), timestamp, delivery.body()))
                .POST(HttpRequest.BodyPublishers.ofString(delivery.body())).build();
        try {
            HttpResponse<Void> answer = http.send(request, HttpResponse.BodyHandlers.discarding());
            Instant at = clock.instant();
            if (answer.statusCode() / 100 == 2) {
                queue.delivered(delivery, answer.statusCode(), at);
            } else {
                queue.failed(delivery, answer.statusCode(), "answered " + answer.statusCode(), at);
            }
        } catch (IOException noAnswer) {
            queue.failed(delivery, null, noAnswer.getClass().getSimpleName() + ": " + noAnswer.getMessage(),
                    clock.instant());
        } catch (InterruptedException shuttingDown) {
            // this node stops: hand the delivery back at once instead of leaving it leased
            queue.release(delivery);
            Thread.currentThread().interrupt();
        }
    }

    private static CustomizableThreadFactory daemons(String prefix) {
        CustomizableThreadFactory threads = new CustomizableThreadFactory(prefix);
        threads.setDaemon(true);
        return threads;
    }
}
