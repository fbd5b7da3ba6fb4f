package cn.prepaid.ledger.sim.traffic;

import java.util.List;
import java.util.Set;

/** Five families take back what is left of their orders within six days (days 55–60). */
final class RefundSurge implements ScenarioPlan {

    /** The day each of the account's first five orders is refunded. */
    private static final int[] REFUND_DAYS = {55, 56, 57, 58, 60};

    @Override
    public Set<String> expectedCodes() {
        return Set.of("REFUND_SURGE");
    }

    @Override
    public Families families() {
        return Families.RENEW_ONLY;
    }

    @Override
    public void enrol(AccountPlan account) {
        account.takeOrdinaryOrders(14 + account.random.nextInt(5));
    }

    @Override
    public void bankSingle(int day, AccountPlan account) {
        List<OrderBook> orders = account.orders();
        for (int i = 0; i < REFUND_DAYS.length; i++) {
            if (REFUND_DAYS[i] == day && orders.get(i).unconsumedFen() > 0) {
                account.refundTheRest(orders.get(i), day, 11 * 60 + 30 * i);
            }
        }
    }
}
