package cn.prepaid.ledger.sim.traffic;

import java.util.Set;

/** On day 30 the bank asks to release the whole of the first order before its lessons are given; the ledger refuses. */
final class EarlyRelease implements ScenarioPlan {

    private static final int ASKED_ON = 30;

    @Override
    public Set<String> expectedCodes() {
        return Set.of("REJECTED_OUTFLOW");
    }

    @Override
    public void bankSingle(int day, AccountPlan account) {
        if (day == ASKED_ON) {
            OrderBook first = account.orders().get(0);
            account.refusedRelease(first, day, 14 * 60, first.paidFen());
        }
    }
}
