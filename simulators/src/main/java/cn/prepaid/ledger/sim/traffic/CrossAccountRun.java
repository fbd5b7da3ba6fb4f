package cn.prepaid.ledger.sim.traffic;

import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Two accounts: a promotion late in the term collects into the first, while fake lesson confirmations
 * release next term's prepayments out of the second. Neither account alone looks like a run; the
 * institution does.
 */
final class CrossAccountRun implements ScenarioPlan {

    /** Next term's prepayments of the second account, taken at enrolment: 60 lessons at ¥80 each. */
    private static final int PREPAYMENTS = 4;
    /** The days the first account takes its promotion (60 lessons at ¥80 each). */
    private static final List<Integer> PROMOTION_DAYS = List.of(76, 80, 84);
    private static final int FAKE_CONFIRMATIONS_DAY = 89;
    /** The days the second account releases what the fake confirmations made releasable, a prepayment a day. */
    private static final List<Integer> DRAIN_DAYS = List.of(90, 92, 94);
    /** Lessons confirmed falsely per prepaid order: 3 × 32 × ¥80 = ¥7,680, over half the ¥14,400 promotion. */
    private static final int FAKE_LESSONS = 32;

    @Override
    public Set<String> expectedCodes() {
        return Set.of("COLLECT_AND_RUN");
    }

    @Override
    public int accountCount(SplittableRandom random) {
        return 2;
    }

    @Override
    public Families families() {
        return Families.NEITHER_RENEW_NOR_REFUND;
    }

    @Override
    public void enrol(AccountPlan account) {
        if (!holdsPrepayments(account)) {
            ScenarioPlan.super.enrol(account);
            return;
        }
        // the second account holds only next term's prepayments, taken at enrolment: old money
        for (int i = 0; i < PREPAYMENTS; i++) {
            account.takeNextTermOrder("N", 60, TermPlan.PREMIUM_PRICE_FEN, 7 + i).heldBack = true;
        }
    }

    @Override
    public void bankBatch(int day, AccountPlan account) {
        if (!holdsPrepayments(account) && PROMOTION_DAYS.contains(day)) {
            account.deposit(account.takeNextTermOrder("P", 60, TermPlan.PREMIUM_PRICE_FEN, day), day);
        }
    }

    @Override
    public void platform(int day, AccountPlan account) {
        if (holdsPrepayments(account) && day == FAKE_CONFIRMATIONS_DAY) {
            List<OrderBook> prepaid = account.orders();
            for (int i = 0; i < DRAIN_DAYS.size(); i++) {
                account.confirmLessons(prepaid.get(i), day, 8 * 60 + 10 * i, FAKE_LESSONS);
            }
        }
    }

    @Override
    public void bankSingle(int day, AccountPlan account) {
        int drain = DRAIN_DAYS.indexOf(day);
        if (holdsPrepayments(account) && drain >= 0) {
            OrderBook prepaid = account.orders().get(drain);
            account.release(prepaid, day, 10 * 60, prepaid.releasableFen());
        }
    }

    private static boolean holdsPrepayments(AccountPlan account) {
        return account.accountId.endsWith("-A1");
    }
}
