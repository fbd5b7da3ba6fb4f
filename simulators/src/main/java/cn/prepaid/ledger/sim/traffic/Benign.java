package cn.prepaid.ledger.sim.traffic;

import java.util.Set;
import java.util.SplittableRandom;

/** An ordinary institution: the term of {@link TermPlan}, which must raise no alert but the odd half-year package. */
final class Benign implements ScenarioPlan {

    @Override
    public Set<String> expectedCodes() {
        return Set.of();
    }

    /** A tenth of ordinary institutions hold a second account (at the same bank, numbered apart). */
    @Override
    public int accountCount(SplittableRandom random) {
        return random.nextInt(10) == 0 ? 2 : 1;
    }

    /** Now and then a half-year package slips through at enrolment, beyond the charge cap. */
    @Override
    public boolean sellsHalfYearPackage(OrderBook order, long orderDraw) {
        return order.depositDay <= TermPlan.ENROLMENT_END && orderDraw % 150 == 7;
    }
}
