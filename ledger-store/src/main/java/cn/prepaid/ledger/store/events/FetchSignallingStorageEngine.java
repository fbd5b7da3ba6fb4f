package cn.prepaid.ledger.store.events;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A storage engine that says when the embedded event store's reader has taken in new events: the
 * reader (the only caller that reads the stream with {@code mayBlock}) links each event it reads into
 * the store's shared cache, so once a read that found events runs out, every processor tailing the
 * cache can find them.
 *
 * <p>It also spares the reader a read that cannot find anything. Axon's reader reads until a read finds
 * nothing, and each read itself goes on until the database answers an empty batch (a query, and when
 * empty a second one looking past the batch's window, in a transaction of its own). So every wake-up
 * ended with two such empty reads in a row, where the second could only find what was committed
 * since the first began; and every commit wakes the reader ({@link #newEventsMayExist()}). A read is
 * skipped, answering no events, when it starts where the previous one ran out, no wake-up came since
 * that one began, and it began less than half the fallback poll ago: the reader's own timed look
 * (a lost notification) is never skipped. Everything else is the wrapped engine's.
 */
final class FetchSignallingStorageEngine implements EventStorageEngine {

    private final EventStorageEngine delegate;
    private final long repeatWithinNanos;
    private volatile Runnable onFetched = () -> { };
    /** Set by every wake-up: a commit may have been made since the last read began. */
    private final AtomicBoolean newEventsMayExist = new AtomicBoolean(true);
    /** Where the last read that ran out of events ended, and when it began; null while none did. */
    private volatile RanOut ranOut;

    private record RanOut(TrackingToken at, long beganNanos) {
    }

    FetchSignallingStorageEngine(EventStorageEngine delegate, Duration fallbackPoll) {
        this.delegate = delegate;
        this.repeatWithinNanos = fallbackPoll.toNanos() / 2;
    }

    /** A commit was made (here or on another node): the next read must look. */
    void newEventsMayExist() {
        newEventsMayExist.set(true);
    }

    /** What to run, on the reader's thread, after a read that found events. */
    void onFetched(Runnable signal) {
        this.onFetched = signal;
    }

    @Override
    public Stream<? extends TrackedEventMessage<?>> readEvents(TrackingToken trackingToken, boolean mayBlock) {
        if (!mayBlock) {
            return delegate.readEvents(trackingToken, false);
        }
        long began = System.nanoTime();
        boolean woken = newEventsMayExist.getAndSet(false);
        RanOut last = ranOut;
        if (!woken && last != null && Objects.equals(last.at(), trackingToken) && began - last.beganNanos() < repeatWithinNanos) {
            return Stream.empty();
        }
        ranOut = null;
        Stream<? extends TrackedEventMessage<?>> events = delegate.readEvents(trackingToken, true);
        Iterator<? extends TrackedEventMessage<?>> iterator = events.iterator();
        Spliterator<TrackedEventMessage<?>> signalling = new Spliterators.AbstractSpliterator<>(Long.MAX_VALUE,
                Spliterator.ORDERED | Spliterator.NONNULL) {
            private boolean found;
            private TrackingToken at = trackingToken;

            @Override
            public boolean tryAdvance(Consumer<? super TrackedEventMessage<?>> action) {
                if (iterator.hasNext()) {
                    found = true;
                    TrackedEventMessage<?> event = iterator.next();
                    at = event.trackingToken();
                    action.accept(event);
                    return true;
                }
                ranOut = new RanOut(at, began);
                if (found) {
                    found = false;
                    onFetched.run();
                }
                return false;
            }
        };
        return StreamSupport.stream(signalling, false).onClose(events::close);
    }

    @Override
    public void appendEvents(List<? extends EventMessage<?>> events) {
        delegate.appendEvents(events);
    }

    @Override
    public void storeSnapshot(DomainEventMessage<?> snapshot) {
        delegate.storeSnapshot(snapshot);
    }

    @Override
    public DomainEventStream readEvents(String aggregateIdentifier, long firstSequenceNumber) {
        return delegate.readEvents(aggregateIdentifier, firstSequenceNumber);
    }

    @Override
    public Optional<DomainEventMessage<?>> readSnapshot(String aggregateIdentifier) {
        return delegate.readSnapshot(aggregateIdentifier);
    }

    @Override
    public Optional<Long> lastSequenceNumberFor(String aggregateIdentifier) {
        return delegate.lastSequenceNumberFor(aggregateIdentifier);
    }

    @Override
    public TrackingToken createTailToken() {
        return delegate.createTailToken();
    }

    @Override
    public TrackingToken createHeadToken() {
        return delegate.createHeadToken();
    }

    @Override
    public TrackingToken createTokenAt(Instant dateTime) {
        return delegate.createTokenAt(dateTime);
    }
}
