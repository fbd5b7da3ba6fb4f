package cn.prepaid.ledger.projections.alerts.rules;

import cn.prepaid.ledger.core.account.EscrowAccountEvent.BankFeeCharged;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.OutflowRejected;
import cn.prepaid.ledger.core.account.OutflowType;
import cn.prepaid.ledger.core.policy.AlertThresholds;
import cn.prepaid.ledger.core.rules.OutflowRejectionReason;
import cn.prepaid.ledger.projections.alerts.AccountSituation;
import cn.prepaid.ledger.projections.alerts.Activity.Kind;
import cn.prepaid.ledger.projections.alerts.Grade;
import cn.prepaid.ledger.projections.alerts.InMemoryActivityHistory;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Every threshold of the catalogue is the institution's policy: each rule judges by the one it is given. */
class PolicyThresholdsTest {

    static final Instant T = Instant.parse("2026-03-10T02:00:00Z");
    static final AlertThresholds D = AlertThresholds.DEFAULTS;

    final InMemoryActivityHistory history = new InMemoryActivityHistory();

    static AccountSituation with(AlertThresholds thresholds, long balanceFen, long minimumBalanceFen) {
        return new AccountSituation("ACC-1", "91350100M000100Y43", "350100", balanceFen, 0, minimumBalanceFen, 2_000,
                5_000_000, 4_000, 6_000, thresholds);
    }

    static AlertThresholds thresholds(long nearFloorBandBp, int shortHours, int longDays, long structuringFromBp,
                                      int structuringCount, int structuringHours, int refundMultiple, int minRefunds,
                                      int collectMultiple, long collectDrainBp, int stallDays, int redCount) {
        return new AlertThresholds(nearFloorBandBp, shortHours, longDays, structuringFromBp, structuringCount,
                structuringHours, refundMultiple, minRefunds, collectMultiple, collectDrainBp, stallDays, redCount,
                AlertThresholds.DEFAULTS.refundDisputeOverdueDays());
    }

    static Instant hoursBefore(long hours) {
        return T.minus(Duration.ofHours(hours));
    }

    @Test
    void theNearFloorBandIsThePolicys() {
        BankFeeCharged fee = new BankFeeCharged("ACC-1", "ACC-1.P1", "FEE-1", 100, "fee", 14_000_000, T);
        BalanceNearFloorRule rule = new BalanceNearFloorRule();
        AlertThresholds wide = thresholds(5_000, 24, 7, 8_000, 3, 48, 3, 5, 2, 5_000, 21, 3);

        assertThat(rule.evaluate(fee, with(D, 14_000_000, 10_000_000), history)).isEmpty();
        assertThat(rule.evaluate(fee, with(wide, 14_000_000, 10_000_000), history)).hasSize(1);
    }

    @Test
    void structuringsBandCountAndWindowAreThePolicys() {
        history.add(hoursBefore(365 * 24), Kind.DEPOSIT, 100_000_000);
        history.release(hoursBefore(60), 3_600_000); // 72 % of the large threshold, 60 hours ago
        var last = history.release(T, 3_600_000);
        StructuringRule rule = new StructuringRule();
        AlertThresholds loose = thresholds(2_000, 24, 7, 7_000, 2, 72, 3, 5, 2, 5_000, 21, 3);

        assertThat(rule.evaluate(last, with(D, 0, 0), history)).isEmpty();
        assertThat(rule.evaluate(last, with(loose, 0, 0), history)).singleElement()
                .satisfies(signal -> assertThat(signal.facts()).containsEntry("count", 2));
    }

    @Test
    void rapidDrainsWindowsAreThePolicys() {
        history.add(hoursBefore(30 * 24), Kind.DEPOSIT, 10_000_000);
        history.release(hoursBefore(40), 2_000_000);
        var second = history.release(T, 2_000_000); // 40 % of the balance within 48 hours, not within 24
        RapidDrainRule rule = new RapidDrainRule();
        AlertThresholds twoDays = thresholds(2_000, 48, 7, 8_000, 3, 48, 3, 5, 2, 5_000, 21, 3);

        assertThat(rule.evaluate(second, with(D, 0, 0), history)).isEmpty();
        assertThat(rule.evaluate(second, with(twoDays, 0, 0), history)).singleElement()
                .satisfies(signal -> assertThat(signal.facts()).containsEntry("window", "48h"));
    }

    @Test
    void refundSurgesMinimumAndMultipleAreThePolicys() {
        history.refund(hoursBefore(50), 100_000);
        history.refund(hoursBefore(30), 100_000);
        var third = history.refund(T, 100_000);
        RefundSurgeRule rule = new RefundSurgeRule();
        AlertThresholds three = thresholds(2_000, 24, 7, 8_000, 3, 48, 3, 3, 2, 5_000, 21, 3);

        assertThat(rule.evaluate(third, with(D, 0, 0), history)).isEmpty();
        assertThat(rule.evaluate(third, with(three, 0, 0), history)).hasSize(1);
    }

    @Test
    void collectAndRunsMultipleAndDrainShareAreThePolicys() {
        history.add(T.minus(Duration.ofDays(10)), Kind.DEPOSIT, 1_000_000); // a brand-new account's collection
        var outflow = history.release(T, 400_000); // 40 % of it
        CollectAndRunRule rule = new CollectAndRunRule();
        AlertThresholds fortyPercent = thresholds(2_000, 24, 7, 8_000, 3, 48, 3, 5, 2, 4_000, 21, 3);

        assertThat(rule.evaluate(outflow, with(D, 0, 0), history)).isEmpty();
        assertThat(rule.evaluate(outflow, with(fortyPercent, 0, 0), history)).hasSize(1);
    }

    @Test
    void theStallDaysAreThePolicys() {
        history.add(T.minus(Duration.ofDays(15)), Kind.DEPOSIT, 100_000);
        history.add(T.minus(Duration.ofDays(1)), Kind.DEPOSIT, 100_000);
        ConsumptionStallRule rule = new ConsumptionStallRule();
        AlertThresholds tenDays = thresholds(2_000, 24, 7, 8_000, 3, 48, 3, 5, 2, 5_000, 10, 3);

        assertThat(rule.judgeAt(with(D, 0, 0), history, T)).isEmpty();
        assertThat(rule.judgeAt(with(tenDays, 0, 0), history, T)).isPresent();
    }

    @Test
    void theRefusalsThatMakeRejectedOutflowRedAreThePolicys() {
        history.add(hoursBefore(2), Kind.OUTFLOW_REJECTED, 600_000);
        history.add(T, Kind.OUTFLOW_REJECTED, 600_000);
        OutflowRejected second = new OutflowRejected("ACC-1", "BANK-2", OutflowType.RELEASE, "ORD-1", 600_000,
                OutflowRejectionReason.EXCEEDS_RELEASABLE, "", 0, T);
        RejectedOutflowRule rule = new RejectedOutflowRule();
        AlertThresholds two = thresholds(2_000, 24, 7, 8_000, 3, 48, 3, 5, 2, 5_000, 21, 2);

        assertThat(rule.evaluate(second, with(D, 0, 0), history)).singleElement()
                .satisfies(signal -> assertThat(signal.grade()).isEqualTo(Grade.YELLOW));
        assertThat(rule.evaluate(second, with(two, 0, 0), history)).singleElement()
                .satisfies(signal -> assertThat(signal.grade()).isEqualTo(Grade.RED));
    }
}
