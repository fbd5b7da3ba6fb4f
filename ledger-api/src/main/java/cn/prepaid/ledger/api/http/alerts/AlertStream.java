package cn.prepaid.ledger.api.http.alerts;

import cn.prepaid.ledger.projections.query.AlertQueries.Change;
import cn.prepaid.ledger.projections.query.AlertQueries;
import cn.prepaid.ledger.store.events.CommitNotifications;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Server-sent alert changes. One poller per process reads new rows of {@code alert_change} (written
 * by whichever node raised or handled the alert, so every node's subscribers see every change) and
 * fans them out to the subscribers whose region they fall in. A subscriber reconnecting with
 * Last-Event-ID first receives, from the database, every change after that id; changes arriving
 * meanwhile wait in its queue, so nothing is lost or sent twice.
 */
@Component
public class AlertStream implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AlertStream.class);
    private static final int PAGE = 500;

    private final AlertQueries alerts;
    private final ScheduledExecutorService poller;
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final long emitterTimeoutMillis;
    private volatile long lastSeen;
    private long lastHeartbeatNanos = System.nanoTime();

    public AlertStream(AlertQueries alerts, CommitNotifications notifications,
                       @Value("${ledger.alerts.stream-poll-millis:100}") long pollMillis,
                       @Value("${ledger.alerts.stream-timeout-millis:1800000}") long emitterTimeoutMillis) {
        this.alerts = alerts;
        this.emitterTimeoutMillis = emitterTimeoutMillis;
        this.lastSeen = alerts.latestChangeId();
        this.poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "alert-stream");
            thread.setDaemon(true);
            return thread;
        });
        poller.scheduleWithFixedDelay(this::poll, pollMillis, pollMillis, TimeUnit.MILLISECONDS);
        // A committed alert change is read at once; the fixed-delay poll is only the fallback.
        notifications.onCommit(CommitNotifications.ALERTS, () -> {
            if (!poller.isShutdown()) {
                poller.execute(this::poll);
            }
        });
    }

    public SseEmitter subscribe(String regionPrefix, Long afterChangeId) {
        SseEmitter emitter = new SseEmitter(emitterTimeoutMillis);
        Subscriber subscriber = new Subscriber(emitter, regionPrefix);
        emitter.onCompletion(() -> subscribers.remove(subscriber));
        // A stream that reaches its lifetime ends normally (the client reconnects with Last-Event-ID);
        // left incomplete, Spring would raise AsyncRequestTimeoutException into the error handler.
        emitter.onTimeout(() -> {
            subscribers.remove(subscriber);
            emitter.complete();
        });
        emitter.onError(failure -> subscribers.remove(subscriber));
        subscribers.add(subscriber);
        try {
            // Opens the response at once, so a client knows it is connected before any alert.
            emitter.send(SseEmitter.event().comment("connected"));
        } catch (IOException gone) {
            subscribers.remove(subscriber);
            return emitter;
        }
        long from = afterChangeId != null ? afterChangeId : lastSeen;
        subscriber.catchUp(from);
        return emitter;
    }

    private synchronized void poll() {
        try {
            List<Change> changes = alerts.changesAfter(lastSeen, "", PAGE);
            for (Change change : changes) {
                for (Subscriber subscriber : subscribers) {
                    subscriber.offer(change);
                }
                lastSeen = change.changeId();
            }
            if (System.nanoTime() - lastHeartbeatNanos > TimeUnit.SECONDS.toNanos(15)) {
                lastHeartbeatNanos = System.nanoTime();
                subscribers.forEach(Subscriber::heartbeat);
            }
        } catch (RuntimeException failure) {
            log.warn("alert stream poll failed; retrying", failure);
        }
    }

    private volatile boolean running;

    @Override
    public void start() {
        running = true;
    }

    /**
     * Ends every open stream before the web server's graceful shutdown starts waiting for active
     * requests: an event stream never finishes by itself, so shutdown would otherwise wait it out.
     */
    @Override
    public void stop() {
        running = false;
        poller.shutdownNow();
        subscribers.forEach(subscriber -> subscriber.emitter.complete());
        subscribers.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }

    private final class Subscriber {
        private final SseEmitter emitter;
        private final String regionPrefix;
        private final List<Change> waiting = new ArrayList<>();
        private boolean catchingUp = true;
        private long lastSent;

        Subscriber(SseEmitter emitter, String regionPrefix) {
            this.emitter = emitter;
            this.regionPrefix = regionPrefix;
        }

        /** Sends, from the database, every change after {@code from}; then whatever arrived meanwhile. */
        void catchUp(long from) {
            long position = from;
            synchronized (this) {
                lastSent = from;
            }
            while (true) {
                List<Change> page = alerts.changesAfter(position, regionPrefix, PAGE);
                for (Change change : page) {
                    synchronized (this) {
                        send(change);
                    }
                    position = change.changeId();
                }
                if (page.size() < PAGE) {
                    break;
                }
            }
            synchronized (this) {
                catchingUp = false;
                waiting.forEach(this::send);
                waiting.clear();
            }
        }

        synchronized void offer(Change change) {
            if (!change.alert().regionCode().startsWith(regionPrefix)) {
                return;
            }
            if (catchingUp) {
                waiting.add(change);
            } else {
                send(change);
            }
        }

        synchronized void heartbeat() {
            try {
                emitter.send(SseEmitter.event().comment("keep-alive"));
            } catch (IOException | IllegalStateException gone) {
                subscribers.remove(this);
            }
        }

        /** Sends a change once, in order: ids not above the last sent one were sent already. */
        private void send(Change change) {
            if (change.changeId() <= lastSent) {
                return;
            }
            try {
                emitter.send(SseEmitter.event().name("alert").id(Long.toString(change.changeId()))
                        .data(AlertJson.of(change.alert(), false), MediaType.APPLICATION_JSON));
                lastSent = change.changeId();
            } catch (IOException | IllegalStateException gone) {
                subscribers.remove(this);
            }
        }
    }
}
