package cn.prepaid.ledger.projections.alerts;

import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A scope's history (an account, or an institution judged as one) that already holds what re-judging reads
 * first ({@link WindowJudge#windowEnds}): the facts at which windows end, from just before the event's time
 * to a rule's reach. Every windowed rule an event moves asks for them, for the account and for its
 * institution, each with its own reach and kinds; they are read once, over the longest reach and every
 * kind asked (one statement per event instead of one per rule and scope), and each question inside that
 * range is answered from memory with the facts the database would answer, in its order (by time, then
 * sequence). Anything else is asked of the history underneath.
 */
final class WindowEnds extends ForwardingActivityHistory {

    /** Facts in {@code (from, to]} of these kinds. */
    record Range(Instant from, Instant to, Set<Activity.Kind> kinds) {

        /** The range that holds both. */
        Range with(Range other) {
            Set<Activity.Kind> both = EnumSet.copyOf(kinds);
            both.addAll(other.kinds);
            return new Range(from.isBefore(other.from) ? from : other.from, to.isAfter(other.to) ? to : other.to, both);
        }

        /**
         * Whether the facts read hold the answer to this question. A bound other than the range's own must be
         * a whole microsecond, as stored: PostgreSQL compares a finer one rounded, which memory cannot mimic.
         */
        boolean covers(Instant askedFrom, Instant askedTo, Activity.Kind... askedKinds) {
            return (askedFrom.equals(from) || !askedFrom.isBefore(from) && wholeMicrosecond(askedFrom))
                    && (askedTo.equals(to) || !askedTo.isAfter(to) && wholeMicrosecond(askedTo))
                    && kinds.containsAll(Arrays.asList(askedKinds));
        }

        Activity.Kind[] kindsArray() {
            return kinds.toArray(Activity.Kind[]::new);
        }

        /** The range that holds all of these, or empty when there are none. */
        static Optional<Range> covering(Stream<Range> ranges) {
            return ranges.reduce(Range::with);
        }
    }

    /**
     * Whether an instant is as PostgreSQL stores it: it keeps microseconds, so a finer one is compared,
     * and read back, rounded.
     */
    static boolean wholeMicrosecond(Instant instant) {
        return instant.getNano() % 1_000 == 0;
    }

    private final String scopeId;
    private final Range range;
    private final List<Activity> facts;

    /** @param facts the scope's facts in {@code range}, by time and then sequence */
    WindowEnds(ActivityHistory history, String scopeId, Range range, List<Activity> facts) {
        super(history);
        this.scopeId = scopeId;
        this.range = range;
        this.facts = List.copyOf(facts);
    }

    @Override
    public List<Activity> between(String accountId, Instant from, Instant to, Activity.Kind... kinds) {
        if (!accountId.equals(scopeId) || !range.covers(from, to, kinds)) {
            return super.between(accountId, from, to, kinds);
        }
        Set<Activity.Kind> asked = EnumSet.noneOf(Activity.Kind.class);
        asked.addAll(Arrays.asList(kinds));
        // the range's own bounds were applied by PostgreSQL when the facts were read
        return facts.stream().filter(fact -> (from.equals(range.from()) || fact.occurredAt().isAfter(from))
                && (to.equals(range.to()) || !fact.occurredAt().isAfter(to)) && asked.contains(fact.kind())).toList();
    }
}
