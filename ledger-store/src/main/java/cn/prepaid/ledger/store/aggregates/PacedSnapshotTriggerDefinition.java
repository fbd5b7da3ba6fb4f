package cn.prepaid.ledger.store.aggregates;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.AbstractSnapshotTrigger;
import org.axonframework.eventsourcing.SnapshotTrigger;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;

/**
 * Snapshots an aggregate after a number of events that grows with its life: a quarter of the events it
 * has had so far, at least {@code minimum} and at most {@code maximum}.
 *
 * <p>An account's state (its orders, held outflows and days) only grows, and a snapshot writes all of
 * it: the snapshotter reads the last snapshot and the events after it back, then serialises the whole
 * state again, and PostgreSQL compresses it. At a fixed count, the snapshots' work per event grows
 * with the account (an account of 6,000 deposits wrote 1.9 MB of snapshot every 500 events, about
 * 3.8 KB per event, several times the event itself). With the count a quarter of the account's
 * events, that work per event stays a bounded multiple of what each event adds to the state, and a load
 * still reads a snapshot and at most a quarter as many events again (never more than {@code maximum}).
 */
public final class PacedSnapshotTriggerDefinition implements SnapshotTriggerDefinition {

    /** Events between two snapshots are at least the aggregate's events so far divided by this. */
    private static final int LIFE_FRACTION = 4;

    private final Snapshotter snapshotter;
    private final int minimum;
    private final int maximum;

    public PacedSnapshotTriggerDefinition(Snapshotter snapshotter, int minimum, int maximum) {
        if (minimum < 1 || maximum < minimum) {
            throw new IllegalArgumentException("snapshot pacing needs 1 <= minimum <= maximum, got " + minimum
                    + " and " + maximum);
        }
        this.snapshotter = snapshotter;
        this.minimum = minimum;
        this.maximum = maximum;
    }

    /** Events after which an aggregate whose latest event has this sequence number is snapshotted. */
    private static long eventsBetween(long sequence, int minimum, int maximum) {
        return Math.min(maximum, Math.max(minimum, (sequence + 1) / LIFE_FRACTION));
    }

    @Override
    public SnapshotTrigger prepareTrigger(Class<?> aggregateType) {
        return new PacedTrigger(snapshotter, aggregateType, minimum, maximum);
    }

    /** A cached aggregate keeps its trigger, whose snapshotter is not kept with it. */
    @Override
    public SnapshotTrigger reconfigure(Class<?> aggregateType, SnapshotTrigger trigger) {
        if (trigger instanceof PacedTrigger paced) {
            paced.setSnapshotter(snapshotter);
            return paced;
        }
        return prepareTrigger(aggregateType);
    }

    private static final class PacedTrigger extends AbstractSnapshotTrigger {

        private final int minimum;
        private final int maximum;
        /** Events handled since the last snapshot, or since the load (which read the snapshot and these). */
        private long counted;
        private long sequence;

        PacedTrigger(Snapshotter snapshotter, Class<?> aggregateType, int minimum, int maximum) {
            super(snapshotter, aggregateType);
            this.minimum = minimum;
            this.maximum = maximum;
        }

        @Override
        public void eventHandled(EventMessage<?> message) {
            if (message instanceof DomainEventMessage<?> domain) {
                sequence = domain.getSequenceNumber();
            }
            super.eventHandled(message);
        }

        @Override
        protected boolean exceedsThreshold() {
            return ++counted >= eventsBetween(sequence, minimum, maximum);
        }

        @Override
        protected void reset() {
            counted = 0;
        }
    }
}
