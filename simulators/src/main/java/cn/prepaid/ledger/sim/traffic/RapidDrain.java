package cn.prepaid.ledger.sim.traffic;

import java.util.Set;

/** On day 56 every remaining lesson is confirmed at once, and nine tenths of all of it released that morning. */
final class RapidDrain implements ScenarioPlan {

    private static final int DRAIN_DAY = 56;

    @Override
    public Set<String> expectedCodes() {
        return Set.of("RAPID_DRAIN");
    }

    @Override
    public Families families() {
        return Families.NEITHER_RENEW_NOR_REFUND;
    }

    @Override
    public void enrol(AccountPlan account) {
        account.takeOrdinaryOrders(5 + account.random.nextInt(4));
    }

    @Override
    public void platform(int day, AccountPlan account) {
        if (day == DRAIN_DAY) {
            for (OrderBook order : account.orders()) {
                if (order.lessonsRemaining() > 0) {
                    account.confirmLessons(order, day, 8 * 60 + account.random.nextInt(60), order.lessonsRemaining());
                }
                order.stopped = true;
            }
        }
    }

    @Override
    public void bankSingle(int day, AccountPlan account) {
        if (day == DRAIN_DAY) {
            int minute = 9 * 60;
            for (OrderBook order : account.orders()) {
                // all of it but the odd tenth, which the fees of the following months eat into
                long amountFen = order.releasableFen() - order.releasableFen() / 10;
                order.heldBack = true;
                if (amountFen > 0) {
                    account.release(order, day, minute, amountFen);
                    minute += 15;
                }
            }
        }
    }
}
