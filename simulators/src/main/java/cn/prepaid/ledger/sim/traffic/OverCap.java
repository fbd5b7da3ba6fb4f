package cn.prepaid.ledger.sim.traffic;

import java.util.Set;

/** Besides its ordinary orders, three annual packages: 72 lessons, or six months, in one charge. */
final class OverCap implements ScenarioPlan {

    private static final int ANNUAL_PACKAGES = 3;
    /** Six lessons a week for the twelve weeks of the term: 72 lessons, beyond the cap of 60. */
    private static final int ANNUAL_LESSONS_PER_WEEK = 6;

    @Override
    public Set<String> expectedCodes() {
        return Set.of("CHARGE_CAP_EXCEEDED");
    }

    @Override
    public void enrol(AccountPlan account) {
        ScenarioPlan.super.enrol(account);
        for (int i = 0; i < ANNUAL_PACKAGES; i++) {
            // at one of the three lowest prices, ¥20–¥30 a lesson
            account.takeOrder(7 + account.random.nextInt(7), ANNUAL_LESSONS_PER_WEEK,
                    TermPlan.LESSON_PRICES_FEN[account.random.nextInt(3)]);
        }
    }

    /** A third of the annual packages run six months as well. */
    @Override
    public boolean sellsHalfYearPackage(OrderBook order, long orderDraw) {
        return order.lessonsPerWeek == ANNUAL_LESSONS_PER_WEEK && orderDraw % 3 == 0;
    }
}
