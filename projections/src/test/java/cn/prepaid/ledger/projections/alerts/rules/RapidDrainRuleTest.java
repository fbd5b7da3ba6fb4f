package cn.prepaid.ledger.projections.alerts.rules;

import cn.prepaid.ledger.core.account.EscrowAccountEvent;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.AdjustmentPosted;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.BankFeeCharged;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.FundsReleased;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.HeldOutflowApproved;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.LessonsConsumed;
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

class RapidDrainRuleTest {

    static final Instant T = Instant.parse("2026-03-10T02:00:00Z");
    /** ¥100,000.00, deposited long before any window. */
    static final long OPENING_FEN = 10_000_000;

    final RapidDrainRule rule = new RapidDrainRule();
    InMemoryActivityHistory history = new InMemoryActivityHistory();
    long rapidDrain24hBp = 4_000;
    long rapidDrain7dBp = 6_000;

    static Instant hoursBefore(long hours) {
        return T.minus(Duration.ofHours(hours));
    }

    static Instant daysBefore(long days) {
        return T.minus(Duration.ofDays(days));
    }

    AccountSituation account() {
        return new AccountSituation("ACC-1", "91350100M000100Y43", "350100", history.balanceAt("ACC-1", T), 0, 0,
                2_000, 5_000_000, rapidDrain24hBp, rapidDrain7dBp);
    }

    List<AlertSignal> judge(EscrowAccountEvent event) {
        return rule.evaluate(event, account(), history);
    }

    void deposit(Instant at, long fen) {
        history.add(at, Kind.DEPOSIT, fen);
    }

    @Test
    void outflowsIn24HoursFireExactlyAtFortyPercentOfTheBalanceAtWindowStart() {
        deposit(daysBefore(30), OPENING_FEN);
        history.refund(hoursBefore(20), 1_500_000);

        assertThat(judge(history.transferOut(T, 2_500_000))).singleElement()
                .satisfies(signal -> assertThat(signal.facts()).containsEntry("window", "24h")
                        .containsEntry("outflowTotal", "40000.00").containsEntry("balanceAtWindowStart", "100000.00"));
    }

    @Test
    void outflowsIn24HoursOneFenBelowFortyPercentDoNotFire() {
        deposit(daysBefore(30), OPENING_FEN);
        history.refund(hoursBefore(20), 1_500_000);

        assertThat(judge(history.transferOut(T, 2_499_999))).isEmpty();
    }

    @Test
    void outflowsIn7DaysFireExactlyAtSixtyPercentOfTheBalanceAtWindowStart() {
        deposit(daysBefore(30), OPENING_FEN);
        history.release(daysBefore(6), 2_000_000);
        history.refund(daysBefore(3), 2_000_000);

        // 24 h: 20,000.00 of the 60,000.00 left a day ago is 33 %, below 40 %; 7 days: 60,000.00 of 100,000.00.
        assertThat(judge(history.release(T, 2_000_000))).singleElement()
                .satisfies(signal -> assertThat(signal.facts()).containsEntry("window", "7d")
                        .containsEntry("outflowTotal", "60000.00").containsEntry("balanceAtWindowStart", "100000.00")
                        .containsEntry("ratioThreshold", "0.60"));
    }

    @Test
    void outflowsIn7DaysOneFenBelowSixtyPercentDoNotFire() {
        deposit(daysBefore(30), OPENING_FEN);
        history.release(daysBefore(6), 2_000_000);
        history.refund(daysBefore(3), 2_000_000);

        assertThat(judge(history.release(T, 1_999_999))).isEmpty();
    }

    @Test
    void aSignalIsARedRapidDrainOnePerAccountWithItsFactsAsDecimalStrings() {
        deposit(daysBefore(30), OPENING_FEN);

        List<AlertSignal> signals = judge(history.release(T, 4_000_000));

        assertThat(signals).singleElement().satisfies(signal -> {
            assertThat(signal.code()).isEqualTo(AlertCode.RAPID_DRAIN);
            assertThat(signal.grade()).isEqualTo(Grade.RED);
            assertThat(signal.conditionKey()).isEmpty();
            assertThat(signal.occurredAt()).isEqualTo(T);
            assertThat(signal.summary()).contains("40000.00", "100000.00", "24h");
            assertThat(signal.facts()).containsExactlyInAnyOrderEntriesOf(Map.of("window", "24h",
                    "outflowTotal", "40000.00", "balanceAtWindowStart", "100000.00", "ratioThreshold", "0.40"));
        });
        assertThat(rule.code()).isEqualTo(AlertCode.RAPID_DRAIN);
    }

    @Test
    void whenBothWindowsReachTheirRatiosThe24HourWindowIsReported() {
        deposit(daysBefore(30), OPENING_FEN);

        assertThat(judge(history.release(T, 6_000_000))).singleElement()
                .satisfies(signal -> assertThat(signal.facts()).containsEntry("window", "24h"));
    }

    @Test
    void theRatiosAreTheAccountsOwn() {
        rapidDrain24hBp = 2_000;
        deposit(daysBefore(30), OPENING_FEN);
        assertThat(judge(history.release(T, 2_000_000))).singleElement()
                .satisfies(signal -> assertThat(signal.facts()).containsEntry("ratioThreshold", "0.20"));

        history = new InMemoryActivityHistory();
        deposit(daysBefore(30), OPENING_FEN);
        assertThat(judge(history.release(T, 1_999_999))).isEmpty();
    }

    @Test
    void depositsInsideTheWindowDoNotRaiseTheBalanceAtWindowStart() {
        deposit(daysBefore(30), OPENING_FEN);
        deposit(hoursBefore(1), 20_000_000);

        assertThat(judge(history.release(T, 4_000_000))).singleElement()
                .satisfies(signal -> assertThat(signal.facts()).containsEntry("balanceAtWindowStart", "100000.00"));
    }

    @Test
    void anOutflowExactlyAtWindowStartBelongsToTheStartingBalanceNotToTheWindow() {
        deposit(daysBefore(30), OPENING_FEN);
        history.release(hoursBefore(24), 3_000_000);

        // in the window it would make 40,000.00 of 70,000.00; outside it, 10,000.00 of 70,000.00 is 14 %.
        assertThat(judge(history.release(T, 1_000_000))).isEmpty();
    }

    @Test
    void outflowsBeforeTheWindowsDoNotCount() {
        deposit(daysBefore(30), OPENING_FEN);
        history.transferOut(daysBefore(8), 7_000_000);

        assertThat(judge(history.release(T, 100_000))).isEmpty();
    }

    @Test
    void aWindowStartingAtAZeroBalanceDoesNotFire() {
        deposit(hoursBefore(1), 1_000_000);

        assertThat(judge(history.release(T, 900_000))).isEmpty();
    }

    @Test
    void aWindowStartingAtANegativeBalanceDoesNotFire() {
        history.add(daysBefore(10), Kind.ADJUSTMENT, -500_000);
        deposit(hoursBefore(1), 1_000_000);

        assertThat(judge(history.release(T, 400_000))).isEmpty();
    }

    @Test
    void bankFeesAndNegativeAdjustmentsAreNotOutflows() {
        deposit(daysBefore(30), OPENING_FEN);
        history.add(hoursBefore(2), Kind.BANK_FEE, 2_000_000);
        history.add(hoursBefore(1), Kind.ADJUSTMENT, -2_000_000);

        assertThat(judge(history.release(T, 100_000))).isEmpty();
    }

    @Test
    void eventsOtherThanReleasesRefundsAndTransfersAreNotJudged() {
        deposit(daysBefore(30), OPENING_FEN);
        history.release(hoursBefore(1), 5_000_000);
        history.add(T, Kind.BANK_FEE, 100);

        List<EscrowAccountEvent> others = List.of(
                new TuitionDeposited("ACC-1", "ACC-1.P8", "BANK-8", "ORD-3", "STU-3", 20, 8_000, 160_000,
                        LocalDate.of(2026, 3, 15), LocalDate.of(2026, 5, 15), 5_160_000, T),
                new BankFeeCharged("ACC-1", "ACC-1.P9", "FEE-1", 100, "fee", 4_999_900, T),
                new AdjustmentPosted("ACC-1", "ACC-1.P10", "ADJ-1", -100, "correction", 4_999_800, T),
                new LessonsConsumed("ACC-1", "ORD-1", "C-1", 2, 10, 10, 16_000, T),
                new OutflowHeld("ACC-1", "H-1", "BANK-11", OutflowType.TRANSFER_OUT, null, 4_000_000, "landlord", "rent",
                        4_999_800, T),
                new HeldOutflowApproved("ACC-1", "H-1", "regulator-1", "ok", T),
                new OutflowRejected("ACC-1", "BANK-12", OutflowType.RELEASE, "ORD-1", 4_000_000,
                        OutflowRejectionReason.BREACHES_FLOOR, "floor", 4_999_800, T));

        for (EscrowAccountEvent other : others) {
            assertThat(judge(other)).as(other.getClass().getSimpleName()).isEmpty();
        }
        assertThat(judge(history.release(T, 1))).as("an outflow at the same moment").hasSize(1);
    }

    @Test
    void regularWeeklyReleasesOfEarnedTuitionOverMonthsNeverFire() {
        Instant start = daysBefore(26 * 7);
        deposit(start.minus(Duration.ofDays(1)), OPENING_FEN);
        List<AlertSignal> signals = new ArrayList<>();
        for (int week = 1; week <= 26; week++) {
            Instant weekEnd = start.plus(Duration.ofDays(7L * week));
            deposit(weekEnd.minus(Duration.ofDays(4)), 480_000); // new students' tuition
            if (week % 4 == 0) {
                signals.addAll(judge(history.refund(weekEnd.minus(Duration.ofDays(2)), 48_000))); // a family leaves
            }
            long earned = history.balanceAt("ACC-1", weekEnd) / 20; // 5 % of the balance, earned by lessons given
            signals.addAll(judge(history.release(weekEnd, earned)));
        }

        assertThat(signals).isEmpty();
    }

    @Test
    void aLatePostingIsJudgedByTheWindowsEndingWhenItHappened() {
        Instant happened = Instant.parse("2026-01-10T02:00:00Z");
        deposit(Instant.parse("2026-01-01T02:00:00Z"), OPENING_FEN);
        // after it, by occurredAt, though recorded before it: a large deposit and more outflows near "now"
        deposit(Instant.parse("2026-03-01T02:00:00Z"), 100_000_000);
        history.release(Instant.parse("2026-03-09T02:00:00Z"), 1_000_000);

        FundsReleased late = history.release(happened, 4_000_000);

        assertThat(judge(late)).singleElement().satisfies(signal -> {
            assertThat(signal.occurredAt()).isEqualTo(happened);
            assertThat(signal.facts()).containsEntry("window", "24h").containsEntry("outflowTotal", "40000.00")
                    .containsEntry("balanceAtWindowStart", "100000.00");
        });
    }

    @Test
    void aLatePostingIsJudgedAtItsOwnTimeAndReJudgesTheLaterWindowsItMoves() {
        deposit(Instant.parse("2026-01-01T02:00:00Z"), OPENING_FEN);
        // a drain near "now": the window ending at it holds whatever arrived late before it
        history.release(Instant.parse("2026-03-09T20:00:00Z"), 5_000_000);
        Instant happened = Instant.parse("2026-01-10T02:00:00Z");

        assertThat(judge(history.release(happened, 100_000))).singleElement().satisfies(signal ->
                assertThat(signal.occurredAt()).isEqualTo(Instant.parse("2026-03-09T20:00:00Z")));
        assertThat(rule.judgeAt(account(), history, happened)).isEmpty();
    }

    @Test
    void aDepositPostedLateBeforeADrainWindowEndsTheDrainItMeasuredAgainst() {
        deposit(Instant.parse("2026-01-01T02:00:00Z"), OPENING_FEN);
        Instant drainedAt = Instant.parse("2026-03-09T20:00:00Z");
        assertThat(judge(history.release(drainedAt, 5_000_000))).hasSize(1);

        // the bank posts a deposit of a week earlier late: the window's start balance doubles, no drain
        history.add(drainedAt.minus(Duration.ofDays(8)), Kind.DEPOSIT, OPENING_FEN);
        TuitionDeposited late = new TuitionDeposited("ACC-1", "ACC-1.P90", "BANK-90", "ORD-9", "S-9", 10, 1_000_000,
                OPENING_FEN, LocalDate.of(2026, 3, 2), LocalDate.of(2026, 5, 31), 15_000_000,
                drainedAt.minus(Duration.ofDays(8)));
        assertThat(judge(late)).isEmpty();
    }
}
