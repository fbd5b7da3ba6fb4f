package cn.prepaid.ledger.sim.traffic;

import java.util.Set;

/** From day 35 lessons stop and so do releases, while new enrolments keep being paid in once a week. */
final class ConsumptionStall implements ScenarioPlan {

    private static final int STALL_FROM = 35;
    private static final Set<Integer> LATE_ENROLMENT_DAYS = Set.of(45, 52, 59, 66);

    @Override
    public Set<String> expectedCodes() {
        return Set.of("CONSUMPTION_STALL");
    }

    @Override
    public boolean lessonsGoOn(int day) {
        return day < STALL_FROM;
    }

    @Override
    public boolean ordinaryReleasesGoOn(int day) {
        return day < STALL_FROM;
    }

    @Override
    public Families families() {
        return Families.NEITHER_RENEW_NOR_REFUND;
    }

    @Override
    public void bankBatch(int day, AccountPlan account) {
        if (LATE_ENROLMENT_DAYS.contains(day)) {
            int lessonsPerWeek = 1 + account.random.nextInt(2);
            long priceFen = TermPlan.LESSON_PRICES_FEN[account.random.nextInt(TermPlan.LESSON_PRICES_FEN.length)];
            account.deposit(account.takeOrder(day, lessonsPerWeek, priceFen), day);
        }
    }
}
