package cn.prepaid.ledger.sim.traffic;

import java.util.Set;

/**
 * On day 42 the regulator sets a minimum balance the account holds 1.3 times over, and releases stop;
 * a bank fee on day 49 takes the balance to 110 % of the minimum, another on day 56 to 95 % of it.
 */
final class FeesBelowFloor implements ScenarioPlan {

    private static final int MINIMUM_SET_ON = 42;
    private static final int NEAR_FLOOR_FEE_DAY = 49;
    private static final int BELOW_FLOOR_FEE_DAY = 56;

    @Override
    public Set<String> expectedCodes() {
        return Set.of("BALANCE_NEAR_FLOOR", "BALANCE_BELOW_FLOOR");
    }

    @Override
    public boolean ordinaryReleasesGoOn(int day) {
        return day < MINIMUM_SET_ON;
    }

    @Override
    public Families families() {
        return Families.NEITHER_RENEW_NOR_REFUND;
    }

    @Override
    public void regulator(int day, AccountPlan account) {
        if (day == MINIMUM_SET_ON) {
            // a minimum balance the account holds 1.3 times over, in whole yuan
            account.regulatorSetsMinimumBalance(day, account.balanceFen * 10 / 13 / 100 * 100);
        }
    }

    @Override
    public void bankBatch(int day, AccountPlan account) {
        long targetFen;
        if (day == NEAR_FLOOR_FEE_DAY) {
            // 110 %, rounded up so the balance stays at or above it
            targetFen = -Math.floorDiv(-account.minimumBalanceFen * 11, 10);
        } else if (day == BELOW_FLOOR_FEE_DAY) {
            targetFen = account.minimumBalanceFen * 95 / 100;
        } else {
            return;
        }
        if (account.balanceFen > targetFen) {
            account.bankFee(day, account.balanceFen - targetFen);
        }
    }
}
