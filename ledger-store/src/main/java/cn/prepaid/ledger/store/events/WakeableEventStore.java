package cn.prepaid.ledger.store.events;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingEventStream;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.messaging.StreamableMessageSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Axon's embedded event store, made to tell event processors when events arrive.
 *
 * <p>Axon's pooled processors ask their event stream for an "available" callback; the embedded
 * store's streams offer none, so an idle processor looks again only at its own poll interval — the
 * latency floor measured when the project started. Streams opened here accept the callback, and it runs as soon as the store's
 * reader has taken new events into its cache ({@link FetchSignallingStorageEngine}), so a processor
 * looks exactly when there is something to find. A notification can be lost (the listening connection
 * broke, the database failed over), so one setting, {@code ledger.events.fallback-poll} (500 ms), is
 * the fallback for both: the store's reader looks for new events at least that often, and the
 * processors' callbacks run at least that often.
 *
 * <p>The reader itself is woken after every commit, in this process ({@link #afterCommit}) or in
 * another one ({@link #wake()}, from PostgreSQL NOTIFY), at most once per {@code ledger.events.read-delay}
 * (2 ms): at hundreds of commits a second one read (and one round of processor batches) takes in several
 * commits instead of one each.
 */
public class WakeableEventStore extends EmbeddedEventStore {

    private final Set<Runnable> availableCallbacks = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean readPending = new AtomicBoolean();
    private final FetchSignallingStorageEngine signalling;
    /** How long a commit's wake-up of the reader waits for others to join it. */
    private final long readDelayMicros;
    private final ScheduledExecutorService wakeUps = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "event-store-wake-ups");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * The embedded store over {@code engine}, with the other settings of {@code builder}; without a wake-up,
     * new events are looked for every {@code fallbackPoll}; a commit's wake-up waits {@code readDelay} for others.
     */
    public static WakeableEventStore over(EventStorageEngine engine, EmbeddedEventStore.Builder builder,
                                          Duration fallbackPoll, Duration readDelay) {
        FetchSignallingStorageEngine signalling = new FetchSignallingStorageEngine(engine, fallbackPoll);
        return new WakeableEventStore(builder.storageEngine(signalling).fetchDelay(fallbackPoll.toMillis()), signalling,
                fallbackPoll, readDelay);
    }

    private WakeableEventStore(Builder builder, FetchSignallingStorageEngine signalling, Duration fallbackPoll,
                               Duration readDelay) {
        super(builder);
        this.signalling = signalling;
        this.readDelayMicros = readDelay.toNanos() / 1_000;
        signalling.onFetched(this::runCallbacks);
        wakeUps.scheduleWithFixedDelay(this::runCallbacks, fallbackPoll.toMillis(), fallbackPoll.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** New events were committed elsewhere: read them now rather than at the next poll. */
    public void wake() {
        wakeReader();
    }

    @Override
    protected void afterCommit(List<? extends EventMessage<?>> events) {
        wakeReader();
    }

    /** Wakes the store's reader in a moment, unless a wake-up is already waiting. */
    private void wakeReader() {
        signalling.newEventsMayExist();
        if (wakeUps.isShutdown() || !readPending.compareAndSet(false, true)) {
            return;
        }
        try {
            wakeUps.schedule(() -> {
                readPending.set(false);
                super.afterCommit(List.of());
            }, readDelayMicros, TimeUnit.MICROSECONDS);
        } catch (RejectedExecutionException shutDown) {
            readPending.set(false);
        }
    }

    @Override
    public TrackingEventStream openStream(TrackingToken trackingToken) {
        return new CallbackStream(super.openStream(trackingToken));
    }

    /**
     * The same events for a processor that need not hear of them at once (the balance checkpoints act
     * once per thousand events of an account): its streams take no "available" callback, so it is not
     * woken at every commit and looks for new events at the fallback poll interval instead.
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
        wakeUps.shutdownNow();
        super.shutDown();
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
