package cn.prepaid.ledger.store.events;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;

import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A storage engine that says when the embedded event store's reader has taken in new events: the
 * reader (the only caller that reads the stream with {@code mayBlock}) links each event it reads into
 * the store's shared cache, so once a read that found events runs out, every processor tailing the
 * cache can find them. Everything else is the wrapped engine's.
 */
final class FetchSignallingStorageEngine implements EventStorageEngine {

    private final EventStorageEngine delegate;
    private volatile Runnable onFetched = () -> { };

    FetchSignallingStorageEngine(EventStorageEngine delegate) {
        this.delegate = delegate;
    }

    /** What to run, on the reader's thread, after a read that found events. */
    void onFetched(Runnable signal) {
        this.onFetched = signal;
    }

    @Override
    public Stream<? extends TrackedEventMessage<?>> readEvents(TrackingToken trackingToken, boolean mayBlock) {
        Stream<? extends TrackedEventMessage<?>> events = delegate.readEvents(trackingToken, mayBlock);
        if (!mayBlock) {
            return events;
        }
        Iterator<? extends TrackedEventMessage<?>> iterator = events.iterator();
        Spliterator<TrackedEventMessage<?>> signalling = new Spliterators.AbstractSpliterator<>(Long.MAX_VALUE,
                Spliterator.ORDERED | Spliterator.NONNULL) {
            private boolean found;

            @Override
            public boolean tryAdvance(Consumer<? super TrackedEventMessage<?>> action) {
                if (iterator.hasNext()) {
                    found = true;
                    action.accept(iterator.next());
                    return true;
                }
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
