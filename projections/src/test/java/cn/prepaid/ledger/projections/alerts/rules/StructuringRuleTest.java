package cn.prepaid.ledger.projections.alerts.rules;

import cn.prepaid.ledger.core.account.EscrowAccountEvent;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.BankFeeCharged;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.FundsReleased;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.HeldOutflowApproved;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.OutflowHeld;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.OutflowRejected;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.TuitionDeposited;
import cn.prepaid.ledger.core.account.OutflowType;
import cn.prepaid.ledger.core.rules.OutflowRejectionReason;
import cn.prepaid.ledger.projections.alerts.AccountSituation;
import cn.prepaid.ledger.projections.alerts.Activity.Kind;
import cn.prepaid.ledger.projections.alerts.AlertCode;
import cn.prepaid.ledger.projections.alerts.AlertSignal;
import cn.prepaid.ledger.projections.alerts.Grade;
import cn.prepaid.ledger.projections.alerts.InMemoryActivityHistory;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StructuringRuleTest {

    static final Instant T = Instant.parse("2026-03-10T02:00:00Z");
    /** ¥40,000.00: 80 % of the default large threshold of ¥50,000.00. */
    static final long EIGHTY_PERCENT_FEN = 4_000_000;
    static final long THRESHOLD_FEN = 5_000_000;

    final StructuringRule rule = new StructuringRule();
    InMemoryActivityHistory history = new InMemoryActivityHistory();
    long largeThresholdFen = THRESHOLD_FEN;

    StructuringRuleTest() {
        history.add(T.minus(Duration.ofDays(365)), Kind.DEPOSIT, 100_000_000);
    }

    static Instant hoursBefore(long hours) {
        return T.minus(Duration.ofHours(hours));
    }

    AccountSituation account() {
        return new AccountSituation("ACC-1", "91350100M000100Y43", "350100", history.balanceAt("ACC-1", T), 0, 0,
                2_000, largeThresholdFen, 4_000, 6_000);
    }

    List<AlertSignal> judge(EscrowAccountEvent event) {
        return rule.evaluate(event, account(), history);
    }

    @Test
    void threeOutflowsWithin48HoursAtExactlyEightyPercentOfTheLargeThresholdFire() {
        history.release(hoursBefore(40), EIGHTY_PERCENT_FEN);
        history.refund(hoursBefore(20), EIGHTY_PERCENT_FEN);

        assertThat(judge(history.transferOut(T, EIGHTY_PERCENT_FEN))).singleElement()
                .satisfies(signal -> assertThat(signal.facts()).containsEntry("count", 3));
    }

    @Test
    void anOutflowOneFenBelowEightyPercentDoesNotCount() {
        history.release(hoursBefore(40), EIGHTY_PERCENT_FEN);
        history.refund(hoursBefore(20), EIGHTY_PERCENT_FEN);

        assertThat(judge(history.transferOut(T, EIGHTY_PERCENT_FEN - 1))).isEmpty();
    }

    @Test
    void twoOutflowsJustBelowTheThresholdDoNotFireAndTheThirdDoes() {
        history.release(hoursBefore(40), THRESHOLD_FEN - 1);

        assertThat(judge(history.release(hoursBefore(20), THRESHOLD_FEN - 1))).isEmpty();
        assertThat(judge(history.release(T, THRESHOLD_FEN - 1))).singleElement()
                .satisfies(signal -> assertThat(signal.facts()).containsEntry("count", 3));
    }

    @Test
    void outflowsAtExactlyTheLargeThresholdAreHeldAsLargeNotCountedAsStructuring() {
        history.release(hoursBefore(40), THRESHOLD_FEN);
        history.release(hoursBefore(20), THRESHOLD_FEN);
        assertThat(judge(history.release(T, THRESHOLD_FEN))).isEmpty();

        history = new InMemoryActivityHistory();
        history.release(hoursBefore(40), EIGHTY_PERCENT_FEN);
        history.release(hoursBefore(20), EIGHTY_PERCENT_FEN);
        assertThat(judge(history.release(T, THRESHOLD_FEN))).isEmpty();
    }

    @Test
    void aSignalIsARedStructuringOnePerAccountWithCountAmountsAndThreshold() {
        history.release(hoursBefore(40), EIGHTY_PERCENT_FEN);
        history.release(hoursBefore(30), 100_000); // an ordinary release between them is not listed
        history.refund(hoursBefore(20), 4_500_000);

        List<AlertSignal> signals = judge(history.transferOut(T, 4_999_999));

        assertThat(signals).singleElement().satisfies(signal -> {
            assertThat(signal.code()).isEqualTo(AlertCode.STRUCTURING);
            assertThat(signal.grade()).isEqualTo(Grade.RED);
            assertThat(signal.conditionKey()).isEmpty();
            assertThat(signal.occurredAt()).isEqualTo(T);
            assertThat(signal.summary()).contains("3 outflows", "50000.00");
            assertThat(signal.facts()).containsExactlyInAnyOrderEntriesOf(Map.of("count", 3,
                    "amounts", List.of("40000.00", "45000.00", "49999.99"), "threshold", "50000.00"));
        });
        assertThat(rule.code()).isEqualTo(AlertCode.STRUCTURING);
    }

    @Test
    void anOutflowExactlyAt48HoursBeforeIsOutsideTheWindowAndOneSecondLaterInside() {
        history.release(hoursBefore(48), EIGHTY_PERCENT_FEN);
        history.release(hoursBefore(20), EIGHTY_PERCENT_FEN);
        assertThat(judge(history.release(T, EIGHTY_PERCENT_FEN))).isEmpty();

        history = new InMemoryActivityHistory();
        history.release(hoursBefore(48).plusSeconds(1), EIGHTY_PERCENT_FEN);
        history.release(hoursBefore(20), EIGHTY_PERCENT_FEN);
        assertThat(judge(history.release(T, EIGHTY_PERCENT_FEN))).hasSize(1);
    }

    @Test
    void outflowsBeforeTheWindowDoNotCount() {
        history.release(hoursBefore(24 * 5), 4_500_000);
        history.release(hoursBefore(24 * 4), 4_500_000);
        history.release(hoursBefore(24 * 3), 4_500_000);

        assertThat(judge(history.release(T, 4_500_000))).isEmpty();
    }

    @Test
    void theLargeThresholdIsTheAccountsOwn() {
        largeThresholdFen = 1_000_000;
        history.release(hoursBefore(40), 800_000);
        history.release(hoursBefore(20), 800_000);

        assertThat(judge(history.release(T, 799_999))).isEmpty();
        assertThat(judge(history.release(T, 800_000))).singleElement()
                .satisfies(signal -> assertThat(signal.facts()).containsEntry("threshold", "10000.00"));
    }

    @Test
    void rejectedOutflowsDepositsAndBankFeesInTheBandDoNotCount() {
        history.add(hoursBefore(40), Kind.OUTFLOW_REJECTED, 4_500_000);
        history.add(hoursBefore(35), Kind.OUTFLOW_REJECTED, 4_500_000);
        history.add(hoursBefore(30), Kind.DEPOSIT, 4_500_000);
        history.add(hoursBefore(25), Kind.BANK_FEE, 4_500_000);
        history.add(hoursBefore(22), Kind.ADJUSTMENT, -4_500_000);
        history.release(hoursBefore(20), 4_500_000);

        assertThat(judge(history.release(T, 4_500_000))).isEmpty();
    }

    @Test
    void eventsOtherThanReleasesRefundsAndTransfersAreNotJudged() {
        history.release(hoursBefore(40), 4_500_000);
        history.release(hoursBefore(20), 4_500_000);
        history.release(hoursBefore(1), 4_500_000);

        List<EscrowAccountEvent> others = List.of(
                new TuitionDeposited("ACC-1", "ACC-1.P8", "BANK-8", "ORD-3", "STU-3", 20, 8_000, 160_000,
                        LocalDate.of(2026, 3, 15), LocalDate.of(2026, 5, 15), 86_660_000, T),
                new BankFeeCharged("ACC-1", "ACC-1.P9", "FEE-1", 100, "fee", 86_659_900, T),
                new OutflowHeld("ACC-1", "H-1", "BANK-10", OutflowType.TRANSFER_OUT, null, THRESHOLD_FEN, "landlord",
                        "rent", 86_659_900, T),
                new HeldOutflowApproved("ACC-1", "H-1", "regulator-1", "ok", T),
                new OutflowRejected("ACC-1", "BANK-11", OutflowType.RELEASE, "ORD-1", 4_500_000,
                        OutflowRejectionReason.EXCEEDS_RELEASABLE, "not consumed", 86_659_900, T));

        for (EscrowAccountEvent other : others) {
            assertThat(judge(other)).as(other.getClass().getSimpleName()).isEmpty();
        }
        assertThat(judge(history.release(T, 100))).as("an outflow at the same moment").hasSize(1);
    }

    @Test
    void regularWeeklyReleasesOfEarnedTuitionOverMonthsNeverFire() {
        history = new InMemoryActivityHistory();
        Instant start = T.minus(Duration.ofDays(26 * 7));
        history.add(start.minus(Duration.ofDays(1)), Kind.DEPOSIT, 90_000_000);
        List<AlertSignal> signals = new ArrayList<>();
        for (int week = 1; week <= 26; week++) {
            Instant weekEnd = start.plus(Duration.ofDays(7L * week));
            history.add(weekEnd.minus(Duration.ofDays(4)), Kind.DEPOSIT, 4_300_000); // new students' tuition
            signals.addAll(judge(history.refund(weekEnd.minus(Duration.ofDays(1)), 480_000))); // a family leaves
            // about 5 % of a ¥900,000 balance: ¥45,000, just below the large threshold, once a week
            long earned = history.balanceAt("ACC-1", weekEnd) / 20;
            signals.addAll(judge(history.release(weekEnd, earned)));
        }

        assertThat(signals).isEmpty();
    }

    @Test
    void aLatePostingIsJudgedByTheWindowEndingWhenItHappened() {
        Instant happened = Instant.parse("2026-01-10T02:00:00Z");
        history.release(Instant.parse("2026-01-09T02:00:00Z"), 4_200_000);
        history.release(Instant.parse("2026-01-09T20:00:00Z"), 4_300_000);
        // after it, by occurredAt, though recorded before it: more such outflows near "now"
        history.release(hoursBefore(10), 4_600_000);
        history.release(hoursBefore(5), 4_700_000);

        FundsReleased late = history.release(happened, 4_400_000);

        assertThat(judge(late)).singleElement().satisfies(signal -> {
            assertThat(signal.occurredAt()).isEqualTo(happened);
            assertThat(signal.facts()).containsEntry("count", 3)
                    .containsEntry("amounts", List.of("42000.00", "43000.00", "44000.00"));
        });
    }

    @Test
    void threeOutflowsPostedNewestFirstRaiseStructuringWhenTheLastOfThemArrives() {
        assertThat(judge(history.release(hoursBefore(1), 4_500_000))).isEmpty();
        assertThat(judge(history.release(hoursBefore(2), 4_500_000))).isEmpty();

        assertThat(judge(history.release(hoursBefore(3), 4_500_000))).singleElement().satisfies(signal -> {
            assertThat(signal.occurredAt()).isEqualTo(hoursBefore(1)); // the window that the late one completed
            assertThat(signal.facts()).containsEntry("count", 3);
        });
    }

    @Test
    void aLatePostingLeavesWindowsBeyondItsReachAlone() {
        history.release(hoursBefore(30), 4_500_000);
        history.release(hoursBefore(20), 4_500_000);
        history.release(hoursBefore(10), 4_500_000);

        assertThat(judge(history.release(Instant.parse("2026-01-10T02:00:00Z"), 4_500_000))).isEmpty();
    }
}
