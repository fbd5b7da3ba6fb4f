package cn.prepaid.ledger.sim.traffic;

import java.util.List;

/**
 * The structuring scenario's three releases, all on day 50 and posted by the bank newest first: the last
 * to arrive happened first.
 */
final class StructuringOutOfOrder extends Structuring {

    /** The minutes of the day's releases, in the order the bank posts them. */
    private static final int[] MINUTES_AS_POSTED = {17 * 60, 13 * 60, 9 * 60};

    @Override
    public void bankSingle(int day, AccountPlan account) {
        if (day == FIRST_RELEASE_DAY + 1) {
            List<OrderBook> held = heldBack(account);
            for (int i = 0; i < MINUTES_AS_POSTED.length; i++) {
                releaseAll(account, held.get(i), day, MINUTES_AS_POSTED[i]);
            }
        }
    }
}
