package cn.prepaid.ledger.api.storage;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingEventStream;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.messaging.StreamableMessageSource;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Axon's embedded event store, made to tell event processors when events arrive.
 *
 * <p>Axon's pooled processors ask their event stream for an "available" callback; the embedded
 * store's streams offer none, so an idle processor looks again only every 500 ms — the latency floor
 * STACK.md measured. Streams opened here accept the callback and it is run a few times shortly after
 * every commit — in this process ({@link #afterCommit}) or in another one ({@link #wake()}, from
 * PostgreSQL NOTIFY) — by when the store's reader has fetched the new events; and every 500 ms as a
 * fallback, so a processor never waits longer than it did before.
 */
public class WakeableEventStore extends EmbeddedEventStore {

    /** After a commit: nudge processors at these delays, by when the reader has usually fetched it. */
    private static final long[] NUDGE_DELAYS_MILLIS = {1, 5, 20, 60};
    private static final long FALLBACK_MILLIS = 500;

    private final Set<Runnable> availableCallbacks = ConcurrentHashMap.newKeySet();
    private final AtomicIntegerArray pending = new AtomicIntegerArray(NUDGE_DELAYS_MILLIS.length);
    private final ScheduledExecutorService nudger = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "event-store-nudger");
        thread.setDaemon(true);
        return thread;
    });

    public WakeableEventStore(Builder builder) {
        super(builder);
        nudger.scheduleWithFixedDelay(this::runCallbacks, FALLBACK_MILLIS, FALLBACK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** New events were committed elsewhere: read them now rather than at the next poll. */
    public void wake() {
        super.afterCommit(List.of());
        nudge();
    }

    @Override
    protected void afterCommit(List<? extends EventMessage<?>> events) {
        super.afterCommit(events);
        nudge();
    }

    @Override
    public TrackingEventStream openStream(TrackingToken trackingToken) {
        return new CallbackStream(super.openStream(trackingToken));
    }

    /**
     * The same events for a processor that need not hear of them at once (the balance checkpoints act
     * once per thousand events of an account): its streams take no "available" callback, so it is not
     * woken at every commit and looks for new events every 500 ms instead.
     */
    public StreamableMessageSource<TrackedEventMessage<?>> withoutWakeUps() {
        return new StreamableMessageSource<>() {
            @Override
            public TrackingEventStream openStream(TrackingToken trackingToken) {
                return plainStream(trackingToken);
            }

            @Override
            public TrackingToken createTailToken() {
                return WakeableEventStore.this.createTailToken();
            }

            @Override
            public TrackingToken createHeadToken() {
                return WakeableEventStore.this.createHeadToken();
            }

            @Override
            public TrackingToken createTokenAt(Instant dateTime) {
                return WakeableEventStore.this.createTokenAt(dateTime);
            }
        };
    }

    private TrackingEventStream plainStream(TrackingToken trackingToken) {
        return super.openStream(trackingToken);
    }

    @Override
    public void shutDown() {
        nudger.shutdownNow();
        super.shutDown();
    }

    /**
     * Schedules the nudges of a commit, merged with those already waiting: at most one nudge per delay
     * is pending at any time, so a stream of commits (and this process's own NOTIFY echoes of them)
     * wakes the processors a few times per interval rather than several times per commit.
     */
    private void nudge() {
        if (nudger.isShutdown()) {
            return;
        }
        for (int slot = 0; slot < NUDGE_DELAYS_MILLIS.length; slot++) {
            if (pending.compareAndSet(slot, 0, 1)) {
                int taken = slot;
                nudger.schedule(() -> {
                    pending.set(taken, 0);
                    runCallbacks();
                }, NUDGE_DELAYS_MILLIS[slot], TimeUnit.MILLISECONDS);
            }
        }
    }

    private void runCallbacks() {
        availableCallbacks.forEach(Runnable::run);
    }

    private final class CallbackStream implements TrackingEventStream {
        private final TrackingEventStream delegate;
        private Runnable callback;

        CallbackStream(TrackingEventStream delegate) {
            this.delegate = delegate;
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            return delegate.peek();
        }

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
            return delegate.hasNextAvailable(timeout, unit);
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
            return delegate.nextAvailable();
        }

        @Override
        public void skipMessagesWithPayloadTypeOf(TrackedEventMessage<?> ignoredMessage) {
            delegate.skipMessagesWithPayloadTypeOf(ignoredMessage);
        }

        @Override
        public boolean setOnAvailableCallback(Runnable callback) {
            if (this.callback != null) {
                availableCallbacks.remove(this.callback);
            }
            this.callback = callback;
            availableCallbacks.add(callback);
            return true;
        }

        @Override
        public void close() {
            if (callback != null) {
                availableCallbacks.remove(callback);
            }
            delegate.close();
        }
    }
}
