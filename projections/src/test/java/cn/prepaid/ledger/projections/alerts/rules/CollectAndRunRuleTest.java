package cn.prepaid.ledger.projections.alerts.rules;

import cn.prepaid.ledger.core.account.EscrowAccountEvent;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.BankFeeCharged;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.FundsReleased;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.FundsTransferredOut;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.TuitionDeposited;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.TuitionRefunded;
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

import static org.assertj.core.api.Assertions.assertThat;

class CollectAndRunRuleTest {

    static final Instant AT = Instant.parse("2026-03-10T02:00:00Z");
    static final AccountSituation ACCOUNT = new AccountSituation("ACC-1", "91350100M000100Y43", "350100",
            50_000_000, 40_000_000, 10_000_000, 2_000, 5_000_000, 4_000, 6_000);

    final CollectAndRunRule rule = new CollectAndRunRule();
    final InMemoryActivityHistory history = new InMemoryActivityHistory();
    int postings;

    static Duration days(long days) {
        return Duration.ofDays(days);
    }

    void deposit(Instant at, long fen) {
        history.add(at, Kind.DEPOSIT, fen);
    }

    FundsReleased release(Instant at, long fen) {
        history.add(at, Kind.RELEASE, fen);
        int n = ++postings;
        return new FundsReleased("ACC-1", "ACC-1.P" + n, "RL-" + n, "ORD-" + n, fen, 10_000_000, null, at);
    }

    TuitionRefunded refund(Instant at, long fen) {
        history.add(at, Kind.REFUND, fen);
        int n = ++postings;
        return new TuitionRefunded("ACC-1", "ACC-1.P" + n, "RF-" + n, "ORD-" + n, fen, 10_000_000, at);
    }

    FundsTransferredOut transfer(Instant at, long fen) {
        history.add(at, Kind.TRANSFER_OUT, fen);
        int n = ++postings;
        return new FundsTransferredOut("ACC-1", "ACC-1.P" + n, "TO-" + n, fen, "operating account", "rent",
                10_000_000, null, at);
    }

    /** Eight weekly deposits in the 56 days before the collection window of an outflow at {@code t}. */
    void trailingDeposits(Instant t, long totalFen) {
        for (int i = 0; i < 8; i++) {
            deposit(t.minus(days(21 + 7L * i)).minus(Duration.ofHours(1)), totalFen / 8 + (i == 0 ? totalFen % 8 : 0));
        }
    }

    /** Eight weekly deposits in the 56 days before the drain window of an outflow at {@code AT}. */
    void weeklyDepositsBeforeTheDrainWeek(long weeklyFen) {
        for (int i = 0; i < 8; i++) {
            deposit(AT.minus(days(7 + 7L * i)).minus(Duration.ofHours(1)), weeklyFen);
        }
    }

    /** Two deposits in the collection window, the 14 days before the drain window of an outflow at {@code t}. */
    void collected(Instant t, long totalFen) {
        deposit(t.minus(days(20)), totalFen / 2);
        deposit(t.minus(days(10)), totalFen - totalFen / 2);
    }

    List<AlertSignal> judge(EscrowAccountEvent outflow) {
        return rule.evaluate(outflow, ACCOUNT, history);
    }

    @Test
    void collectingTwiceTheTrailingMeanThenDrainingHalfOfItIsRed() {
        trailingDeposits(AT, 800_000); // mean per 14 days: ¥2,000.00
        collected(AT, 400_000); // exactly twice that
        release(AT.minus(days(3)), 100_000);
        FundsTransferredOut drainingHalf = transfer(AT, 100_000); // exactly half of the collection

        assertThat(judge(drainingHalf)).singleElement().satisfies(signal -> {
            assertThat(signal.code()).isEqualTo(AlertCode.COLLECT_AND_RUN);
            assertThat(signal.grade()).isEqualTo(Grade.RED);
            assertThat(signal.conditionKey()).isEmpty();
            assertThat(signal.occurredAt()).isEqualTo(AT);
            assertThat(signal.facts()).containsEntry("collectedIn14d", "4000.00")
                    .containsEntry("trailingMeanPer14d", "2000.00").containsEntry("drainedIn7d", "2000.00")
                    .containsEntry("pattern", "SLOW").hasSize(4);
            assertThat(signal.summary()).contains("4000.00", "2000.00");
        });
    }

    @Test
    void aCollectionOneFenShortOfTwiceTheTrailingMeanIsNoSurge() {
        trailingDeposits(AT, 800_000);
        collected(AT, 399_999);
        FundsReleased drainingMoreThanHalf = release(AT, 200_000);

        assertThat(judge(drainingMoreThanHalf)).isEmpty();
    }

    @Test
    void aDrainOneFenShortOfHalfTheCollectionIsNoRun() {
        trailingDeposits(AT, 800_000);
        collected(AT, 400_000);
        release(AT.minus(days(3)), 100_000);
        FundsTransferredOut justShort = transfer(AT, 99_999);

        assertThat(judge(justShort)).isEmpty();
    }

    @Test
    void aBrandNewAccountThatCollectsAndDrainsHalfWithinAWeekIsRed() {
        collected(AT, 100_000);
        TuitionRefunded half = refund(AT, 50_000);

        assertThat(judge(half)).singleElement().satisfies(signal -> assertThat(signal.facts())
                .containsEntry("collectedIn14d", "1000.00").containsEntry("trailingMeanPer14d", "0.00")
                .containsEntry("drainedIn7d", "500.00"));
    }

    @Test
    void depositsSurgingAndDrainedWithinTheSameWeekAreAFastRun() {
        weeklyDepositsBeforeTheDrainWeek(100_000); // ¥1,000.00 a week in the 56 days before the drain week
        deposit(AT.minus(days(3)), 200_000); // twice that in the drain week itself
        FundsReleased outflow = release(AT, 100_000); // and half of it out again

        assertThat(judge(outflow)).singleElement().satisfies(signal -> assertThat(signal.facts())
                .containsEntry("pattern", "FAST").containsEntry("collectedIn7d", "2000.00")
                .containsEntry("busiestWeekBefore", "1000.00").containsEntry("drainedIn7d", "1000.00"));
    }

    @Test
    void aRenewalWeekBesideABusierEnrolmentWeekIsNoFastRun() {
        deposit(AT.minus(days(50)), 1_000_000); // enrolment: ¥10,000.00 in one week
        deposit(AT.minus(days(3)), 300_000); // renewals, well above the weekly mean of ¥1,250.00
        FundsReleased earned = release(AT, 160_000); // earned tuition released as usual

        assertThat(judge(earned)).isEmpty();
    }

    @Test
    void aWeekCollectingOneFenShortOfTwiceTheBusiestWeekBeforeIsNoFastRun() {
        weeklyDepositsBeforeTheDrainWeek(100_000);
        deposit(AT.minus(days(3)), 199_999);
        FundsReleased outflow = release(AT, 199_999);

        assertThat(judge(outflow)).isEmpty();
    }

    @Test
    void theWindowsAreHalfOpenAndEndAtTheJudgedOutflow() {
        deposit(AT.minus(days(77)), 1_000_000); // just before the trailing window: would quench the surge
        deposit(AT.minus(days(21)), 100_000); // the trailing window's last instant: mean ¥250.00
        deposit(AT.minus(days(7)), 100_000); // the collection window's last instant
        transfer(AT.minus(days(7)), 1_000_000); // before the drain window: not drained
        FundsReleased drainingHalf = release(AT, 50_000);

        assertThat(judge(drainingHalf)).singleElement().satisfies(signal -> assertThat(signal.facts())
                .containsEntry("collectedIn14d", "1000.00").containsEntry("trailingMeanPer14d", "250.00")
                .containsEntry("drainedIn7d", "500.00"));
    }

    @Test
    void releasesRefundsAndTransfersAllDrainButBankFeesDoNot() {
        collected(AT, 400_000);
        FundsReleased release = release(AT, 100_000);
        TuitionRefunded refund = refund(AT, 50_000);
        FundsTransferredOut transfer = transfer(AT, 49_999);
        history.add(AT, Kind.BANK_FEE, 1_000);
        assertThat(judge(transfer)).isEmpty();

        refund(AT, 1);
        assertThat(judge(release)).singleElement()
                .satisfies(signal -> assertThat(signal.facts()).containsEntry("drainedIn7d", "2000.00"));
        assertThat(judge(refund)).hasSize(1);
        assertThat(judge(transfer)).hasSize(1);
    }

    @Test
    void onlyOutflowsAreJudged() {
        collected(AT, 400_000);
        release(AT.minus(days(1)), 400_000);
        history.add(AT, Kind.DEPOSIT, 480_000);
        TuitionDeposited deposit = new TuitionDeposited("ACC-1", "ACC-1.P90", "DP-90", "ORD-90", "STU-90", 10,
                48_000, 480_000, LocalDate.of(2026, 3, 16), LocalDate.of(2026, 5, 31), 10_480_000, AT);
        BankFeeCharged fee = new BankFeeCharged("ACC-1", "ACC-1.P91", "FEE-91", 100, "fee", 10_479_900, AT);

        assertThat(judge(deposit)).isEmpty();
        assertThat(judge(fee)).isEmpty();
    }

    @Test
    void anOutflowPostedLateIsJudgedByTheWindowsAroundWhenItHappened() {
        Instant past = AT.minus(days(120));
        trailingDeposits(past, 800_000);
        collected(past, 400_000);
        release(past.minus(days(2)), 150_000);
        // since then: steady collection and a large outflow right after, none of it in the past windows
        for (Instant week = past.plus(Duration.ofHours(1)); week.isBefore(AT); week = week.plus(days(7))) {
            deposit(week, 500_000);
        }
        transfer(past.plus(days(1)), 1_000_000);
        TuitionRefunded late = refund(past, 50_000);

        assertThat(judge(late)).isNotEmpty();
        assertThat(rule.judgeAt(ACCOUNT, history, past)).hasValueSatisfying(signal -> {
            assertThat(signal.occurredAt()).isEqualTo(past);
            assertThat(signal.facts()).containsEntry("collectedIn14d", "4000.00")
                    .containsEntry("trailingMeanPer14d", "2000.00").containsEntry("drainedIn7d", "2000.00");
        });
    }

    @Test
    void aSteadyInstitutionReleasingEarnedTuitionWeeklyRaisesNothingOverMonths() {
        List<AlertSignal> raised = new ArrayList<>();
        int judged = 0;
        Instant monday = AT.minus(days(7 * 40));
        for (int week = 0; week < 40; week++, monday = monday.plus(days(7))) {
            for (int day : new int[] {0, 2, 4}) { // three ¥4,800.00 charges a week
                deposit(monday.plus(days(day)), 480_000);
            }
            if (week % 3 == 1) { // now and then a family leaves
                raised.addAll(judge(refund(monday.plus(days(3)), 240_000)));
                judged++;
            }
            if (week % 4 == 3) {
                history.add(monday.plus(days(4)), Kind.BANK_FEE, 2_000);
            }
            if (week % 13 == 12) {
                history.add(monday.plus(days(4)), Kind.INTEREST, 15_000);
            }
            history.add(monday.plus(days(5)), Kind.CONSUMPTION, 1_440_000);
            if (week > 0) { // releases follow consumption, which grows until the first courses have run for a term
                raised.addAll(judge(release(monday.plus(days(5)), 1_440_000L * Math.min(week, 12) / 12)));
                judged++;
            }
        }
        assertThat(judged).isGreaterThan(50);
        assertThat(raised).isEmpty();
    }
}
