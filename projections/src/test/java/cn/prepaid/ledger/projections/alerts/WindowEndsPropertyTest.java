package cn.prepaid.ledger.projections.alerts;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The facts read once for every windowed rule answer each question inside their range exactly as the
 * history answers it, without asking it; a question outside goes to the history.
 */
class WindowEndsPropertyTest {

    private static final Instant START = Instant.parse("2026-03-01T00:00:00Z");
    private static final Duration FINEST = Duration.ofNanos(1_000);

    @Property
    void everyQuestionIsAnsweredAsTheHistoryAnswersItAndOnlyThoseOutsideTheRangeAskIt(
            @ForAll("histories") List<Integer> factHours, @ForAll("kindSets") Set<Activity.Kind> readKinds,
            @ForAll @IntRange(max = 40) int readFromHour, @ForAll @IntRange(max = 40) int readHours,
            @ForAll @IntRange(max = 50) int askedFromHour, @ForAll @IntRange(max = 50) int askedHours,
            @ForAll("kindSets") Set<Activity.Kind> askedKinds, @ForAll boolean askTheRangesOwnBounds) {
        InMemoryActivityHistory facts = new InMemoryActivityHistory();
        Activity.Kind[] kinds = Activity.Kind.values();
        for (int i = 0; i < factHours.size(); i++) {
            facts.add(START.plus(Duration.ofHours(factHours.get(i))), kinds[i % kinds.length], 100 + i);
        }
        AtomicInteger asked = new AtomicInteger();
        ActivityHistory counted = new Counted(facts, asked);
        Instant readFrom = START.plus(Duration.ofHours(readFromHour)).minus(FINEST);
        Instant readTo = readFrom.plus(FINEST).plus(Duration.ofHours(readHours));
        WindowEnds.Range range = new WindowEnds.Range(readFrom, readTo, readKinds);
        WindowEnds ends = new WindowEnds(counted, "ACC-1", range,
                facts.between("ACC-1", readFrom, readTo, range.kindsArray()));

        Instant from = askTheRangesOwnBounds ? readFrom : START.plus(Duration.ofHours(askedFromHour));
        Instant to = askTheRangesOwnBounds ? readTo : from.plus(Duration.ofHours(askedHours));
        Activity.Kind[] question = askedKinds.toArray(Activity.Kind[]::new);

        assertThat(ends.between("ACC-1", from, to, question)).isEqualTo(facts.between("ACC-1", from, to, question));
        boolean inside = !from.isBefore(readFrom) && !to.isAfter(readTo) && readKinds.containsAll(askedKinds);
        assertThat(asked.get()).isEqualTo(inside ? 0 : 1);
        assertThat(ends.between("ACC-2", from, to, question)).isEqualTo(facts.between("ACC-2", from, to, question));
        assertThat(asked.get()).as("another scope's question").isEqualTo(inside ? 1 : 2);
    }

    @Provide
    Arbitrary<List<Integer>> histories() {
        return Arbitraries.integers().between(0, 48).list().ofMaxSize(30);
    }

    @Provide
    Arbitrary<Set<Activity.Kind>> kindSets() {
        return Arbitraries.of(Activity.Kind.class).set().ofMinSize(1).map(EnumSet::copyOf);
    }

    /** The history, counting how often it is asked for facts. */
    private static final class Counted extends ForwardingActivityHistory {

        private final AtomicInteger asked;

        Counted(ActivityHistory history, AtomicInteger asked) {
            super(history);
            this.asked = asked;
        }

        @Override
        public List<Activity> between(String accountId, Instant from, Instant to, Activity.Kind... kinds) {
            asked.incrementAndGet();
            return super.between(accountId, from, to, kinds);
        }
    }
}
