package cn.prepaid.ledger.sim.traffic;

import cn.prepaid.ledger.sim.client.model.SupervisionPolicyRequest;

import java.util.List;
import java.util.Set;

/**
 * With a large-outflow threshold of ¥5,000 set by the regulator, three releases of ¥4,800 within 25
 * hours: three premium orders are held back from the ordinary releases, all their lessons confirmed on
 * day 49, and released on days 49 and 50, each just under the threshold.
 */
class Structuring implements ScenarioPlan {

    /** The regulator's large-outflow threshold for these institutions. */
    private static final long LARGE_THRESHOLD_FEN = 500_000;
    private static final int ORDERS = 12;
    private static final int HELD_BACK_ORDERS = 3;
    /** The day the held-back orders' lessons are all confirmed, and the first release goes out. */
    static final int FIRST_RELEASE_DAY = 49;

    @Override
    public Set<String> expectedCodes() {
        return Set.of("STRUCTURING");
    }

    @Override
    public SupervisionPolicyRequest policyAtRegistration() {
        return TermPlan.policy(0, LARGE_THRESHOLD_FEN);
    }

    @Override
    public Families families() {
        return Families.RENEW_ONLY;
    }

    /** Twelve premium orders of five lessons a week; the first three are held back for the structured releases. */
    @Override
    public void enrol(AccountPlan account) {
        for (int i = 0; i < ORDERS; i++) {
            account.takeOrder(7 + account.random.nextInt(7), 5, TermPlan.PREMIUM_PRICE_FEN);
        }
        account.orders().stream().limit(HELD_BACK_ORDERS).forEach(order -> order.heldBack = true);
    }

    @Override
    public void platform(int day, AccountPlan account) {
        if (day == FIRST_RELEASE_DAY) {
            for (OrderBook order : heldBack(account)) {
                account.confirmLessons(order, day, 8 * 60 + account.random.nextInt(60), order.lessonsRemaining());
                order.stopped = true;
            }
        }
    }

    @Override
    public void bankSingle(int day, AccountPlan account) {
        List<OrderBook> held = heldBack(account);
        if (day == FIRST_RELEASE_DAY) {
            releaseAll(account, held.get(0), day, 10 * 60);
            releaseAll(account, held.get(1), day, 15 * 60);
        } else if (day == FIRST_RELEASE_DAY + 1) {
            releaseAll(account, held.get(2), day, 11 * 60);
        }
    }

    static List<OrderBook> heldBack(AccountPlan account) {
        return account.orders().stream().filter(order -> order.heldBack).toList();
    }

    static void releaseAll(AccountPlan account, OrderBook order, int day, int minute) {
        account.release(order, day, minute, order.releasableFen());
    }
}
