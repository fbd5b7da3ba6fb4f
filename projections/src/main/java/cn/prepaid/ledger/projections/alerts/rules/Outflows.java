package cn.prepaid.ledger.projections.alerts.rules;

import cn.prepaid.ledger.projections.alerts.Activity;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/** The kinds of fact that are outflows ({@link Activity.Kind#isOutflow()}), in the two forms the rules ask for. */
final class Outflows {

    static final Activity.Kind[] ARRAY = Arrays.stream(Activity.Kind.values()).filter(Activity.Kind::isOutflow)
            .toArray(Activity.Kind[]::new);
    static final Set<Activity.Kind> KINDS = Set.copyOf(EnumSet.copyOf(Arrays.asList(ARRAY)));
    /** Outflows and deposits: what moves a rule that weighs outflows against money collected or held. */
    static final Set<Activity.Kind> AND_DEPOSITS;

    static {
        EnumSet<Activity.Kind> kinds = EnumSet.copyOf(KINDS);
        kinds.add(Activity.Kind.DEPOSIT);
        AND_DEPOSITS = Set.copyOf(kinds);
    }

    private Outflows() {
    }
}
