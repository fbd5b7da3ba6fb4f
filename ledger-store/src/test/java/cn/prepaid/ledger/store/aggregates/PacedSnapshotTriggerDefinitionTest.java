package cn.prepaid.ledger.store.aggregates;

import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.SnapshotTrigger;
import org.axonframework.eventsourcing.Snapshotter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** When an aggregate is snapshotted: more rarely as it grows, within the bounds configured. */
class PacedSnapshotTriggerDefinitionTest {

    /** The sequence numbers of the events after which a snapshot was asked for. */
    private final List<Long> snapshotsAfter = new ArrayList<>();
    private long fed = -1;
    private final Snapshotter recording = (type, id) -> snapshotsAfter.add(fed);

    @Test
    void aGrowingAccountIsSnapshottedAfterAQuarterOfItsLifeWithinTheBounds() {
        SnapshotTrigger trigger = live(new PacedSnapshotTriggerDefinition(recording, 500, 5_000));
        feed(trigger, 0, 100_000);

        // the first four at the minimum, while a quarter of the life is less; then each gap a third
        // longer than the one before (a quarter of the life at its end), up to the maximum
        assertThat(snapshotsAfter.subList(0, 13)).containsExactly(499L, 999L, 1_499L, 1_999L, 2_665L, 3_553L,
                4_737L, 6_316L, 8_421L, 11_228L, 14_970L, 19_960L, 24_960L);
        long previous = -1;
        for (long after : snapshotsAfter) {
            long gap = after - previous;
            assertThat(gap).as("events before the snapshot after %d", after)
                    .isBetween(500L, 5_000L)
                    .isEqualTo(Math.min(5_000, Math.max(500, (after + 1) / 4)));
            previous = after;
        }
        // from 20,000 events on, a quarter of the life is above the maximum: every 5,000
        assertThat(snapshotsAfter.stream().filter(after -> after >= 20_000).toList())
                .containsExactlyElementsOf(LongStream.iterate(24_960, after -> after < 100_000, after -> after + 5_000)
                        .boxed().toList());
        // 28 snapshots in 100,000 events, against 200 at a fixed 500
        assertThat(snapshotsAfter).hasSize(28);
    }

    @Test
    void equalBoundsSnapshotAtAFixedCount() {
        SnapshotTrigger trigger = live(new PacedSnapshotTriggerDefinition(recording, 500, 500));
        feed(trigger, 0, 3_000);

        assertThat(snapshotsAfter).containsExactly(499L, 999L, 1_499L, 1_999L, 2_499L, 2_999L);
    }

    @Test
    void aCachedAggregateKeepsItsCountAndTakesTheSnapshotterGivenAgain() {
        PacedSnapshotTriggerDefinition definition = new PacedSnapshotTriggerDefinition(
                (type, id) -> snapshotsAfter.add(-fed), 500, 5_000);
        SnapshotTrigger trigger = live(definition);
        feed(trigger, 0, 400);

        SnapshotTrigger again = new PacedSnapshotTriggerDefinition(recording, 500, 5_000)
                .reconfigure(Object.class, trigger);
        assertThat(again).isSameAs(trigger);
        feed(again, 400, 1_000);

        assertThat(snapshotsAfter).containsExactly(499L, 999L);
    }

    @Test
    void boundsOutOfOrderAreRefused() {
        assertThatThrownBy(() -> new PacedSnapshotTriggerDefinition(recording, 500, 499))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PacedSnapshotTriggerDefinition(recording, 0, 10))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** A trigger past its aggregate's load: events handled now are new ones. */
    private static SnapshotTrigger live(PacedSnapshotTriggerDefinition definition) {
        SnapshotTrigger trigger = definition.prepareTrigger(Object.class);
        trigger.initializationFinished();
        return trigger;
    }

    /** Events with sequence numbers from {@code from} (inclusive) to {@code to} (exclusive), outside any unit of work. */
    private void feed(SnapshotTrigger trigger, long from, long to) {
        for (long sequence = from; sequence < to; sequence++) {
            fed = sequence;
            trigger.eventHandled(new GenericDomainEventMessage<>("Account", "A-1", sequence, "event " + sequence));
        }
    }
}
