package cn.prepaid.ledger.sim.traffic;

import java.util.Set;

/**
 * The scenarios an institution can play in a simulated term: each is one class that plans its own days
 * ({@link ScenarioPlan}), listed here once. The population deals them out in this order, so adding one
 * changes who plays what, and with it the traffic, of every seed.
 */
enum Scenario {
    BENIGN(new Benign()),
    COLLECT_AND_RUN(new CollectAndRun()),
    CROSS_ACCOUNT_RUN(new CrossAccountRun()),
    RAPID_DRAIN(new RapidDrain()),
    STRUCTURING(new Structuring()),
    STRUCTURING_OUT_OF_ORDER(new StructuringOutOfOrder()),
    REFUND_SURGE(new RefundSurge()),
    CONSUMPTION_STALL(new ConsumptionStall()),
    FEES_BELOW_FLOOR(new FeesBelowFloor()),
    OVER_CAP(new OverCap()),
    STATEMENT_MISMATCH(new StatementMismatch()),
    EARLY_RELEASE(new EarlyRelease());

    private final ScenarioPlan plan;

    Scenario(ScenarioPlan plan) {
        this.plan = plan;
    }

    ScenarioPlan plan() {
        return plan;
    }

    Set<String> expectedCodes() {
        return plan.expectedCodes();
    }

    String label() {
        return name().toLowerCase().replace('_', '-');
    }
}
