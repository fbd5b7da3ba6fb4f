package cn.prepaid.ledger.sim.traffic;

import java.util.List;
import java.util.Set;

/**
 * A promotion collects far more than usual (one or two prepaid packages of 60 lessons at ¥80 a day,
 * days 35–46), then fake lesson confirmations on day 53 let it be released within days (53–55).
 */
final class CollectAndRun implements ScenarioPlan {

    private static final int PROMOTION_FROM = 35;
    private static final int PROMOTION_TO = 46;
    private static final int FAKE_CONFIRMATIONS_DAY = 53;
    /** Lessons confirmed falsely per package: 33 of 60, so 55 % of the promotion becomes releasable. */
    private static final int FAKE_LESSONS = 33;
    /** The releases are spread over three days, a third of the packages each. */
    private static final int RELEASE_DAYS = 3;

    @Override
    public Set<String> expectedCodes() {
        return Set.of("COLLECT_AND_RUN");
    }

    @Override
    public Families families() {
        return Families.NEITHER_RENEW_NOR_REFUND;
    }

    @Override
    public void bankBatch(int day, AccountPlan account) {
        if (day >= PROMOTION_FROM && day <= PROMOTION_TO) {
            int packagesToday = 1 + account.random.nextInt(2);
            for (int i = 0; i < packagesToday; i++) {
                OrderBook promotion = account.takeNextTermOrder("P", 60, TermPlan.PREMIUM_PRICE_FEN, day);
                account.deposit(promotion, day);
            }
        }
    }

    @Override
    public void platform(int day, AccountPlan account) {
        if (day == FAKE_CONFIRMATIONS_DAY) {
            for (OrderBook promotion : promotionOrders(account)) {
                account.confirmLessons(promotion, day, 8 * 60 + account.random.nextInt(60), FAKE_LESSONS);
            }
        }
    }

    @Override
    public void bankSingle(int day, AccountPlan account) {
        int releaseDay = day - FAKE_CONFIRMATIONS_DAY;
        if (releaseDay >= 0 && releaseDay < RELEASE_DAYS) {
            List<OrderBook> promotions = promotionOrders(account);
            for (int i = 0; i < promotions.size(); i++) {
                OrderBook promotion = promotions.get(i);
                if (i % RELEASE_DAYS == releaseDay && promotion.releasableFen() > 0) {
                    account.release(promotion, day, 9 * 60 + 20 * i, promotion.releasableFen());
                }
            }
        }
    }

    private static List<OrderBook> promotionOrders(AccountPlan account) {
        return account.orders().stream().filter(order -> order.orderId.contains(".P")).toList();
    }
}
