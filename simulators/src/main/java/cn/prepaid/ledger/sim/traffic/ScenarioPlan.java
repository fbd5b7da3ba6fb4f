package cn.prepaid.ledger.sim.traffic;

import cn.prepaid.ledger.sim.client.model.SupervisionPolicyRequest;

import java.util.Set;
import java.util.SplittableRandom;

/**
 * What one scenario does to its institution's term, in one class. An institution behaves as an
 * ordinary one (the defaults here, and the ordinary term of {@link TermPlan}) until its scenario takes
 * over: a scenario overrides the choices it changes, and adds its own requests on its own days through
 * the phase methods, which run after the ordinary requests of that phase on every day of the term.
 *
 * <p>All of an account's draws come from {@link AccountPlan#random}, in plan order; a scenario that draws
 * on a day changes every later draw of that account, so it draws only where it means to.
 * A scenario is one instance shared by every institution that plays it: what it remembers of an account
 * lives in that account's {@link AccountPlan} and {@link OrderBook}s, not in the scenario.
 */
interface ScenarioPlan {

    /** The alert codes this behaviour must raise at the institution, and no other. */
    Set<String> expectedCodes();

    /** How many escrow accounts the institution holds. */
    default int accountCount(SplittableRandom random) {
        return 1;
    }

    /** The supervision policy the regulator registers the institution with; null for the ledger's defaults. */
    default SupervisionPolicyRequest policyAtRegistration() {
        return null;
    }

    /** The account's orders of this term, taken before the term's first day (their deposits come on their days). */
    default void enrol(AccountPlan account) {
        account.takeOrdinaryOrders(2 + account.random.nextInt(3));
    }

    /** Whether the platform confirms the week's ordinary lessons on this day. */
    default boolean lessonsGoOn(int day) {
        return true;
    }

    /** Whether the bank releases earned money on the ordinary schedule on this day. */
    default boolean ordinaryReleasesGoOn(int day) {
        return true;
    }

    /** What the institution's families do of their own accord, besides what the scenario makes them do. */
    default Families families() {
        return Families.RENEW_AND_REFUND_NOW_AND_THEN;
    }

    /** Whether the order, paid now, runs six months rather than to the end of the term. */
    default boolean sellsHalfYearPackage(OrderBook order, long orderDraw) {
        return false;
    }

    /** How much the bank's daily statement of this day understates the closing balance. */
    default long statementShortfallFen(int day) {
        return 0;
    }

    /** What the regulator does to the account's institution on this day. */
    default void regulator(int day, AccountPlan account) {
    }

    /** What the platform confirms on this day beyond the ordinary lessons. */
    default void platform(int day, AccountPlan account) {
    }

    /** What the bank posts in its batch on this day beyond the ordinary deposits, renewals, fees and interest. */
    default void bankBatch(int day, AccountPlan account) {
    }

    /** What the bank posts one by one (outflows it asks the ledger to authorise) beyond the ordinary ones. */
    default void bankSingle(int day, AccountPlan account) {
    }

    /** Whether families renew for next term in renewal week, and whether the odd one takes its money back. */
    enum Families {
        RENEW_AND_REFUND_NOW_AND_THEN, RENEW_ONLY, NEITHER_RENEW_NOR_REFUND;

        boolean renew() {
            return this != NEITHER_RENEW_NOR_REFUND;
        }

        boolean refundNowAndThen() {
            return this == RENEW_AND_REFUND_NOW_AND_THEN;
        }
    }
}
