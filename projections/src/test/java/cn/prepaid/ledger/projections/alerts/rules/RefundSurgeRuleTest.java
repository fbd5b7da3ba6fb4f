package cn.prepaid.ledger.projections.alerts.rules;

import cn.prepaid.ledger.core.account.EscrowAccountEvent.FundsReleased;
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
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RefundSurgeRuleTest {

    static final Instant AT = Instant.parse("2026-03-10T02:00:00Z");
    static final AccountSituation ACCOUNT = new AccountSituation("ACC-1", "91350100M000100Y43", "350100",
            50_000_000, 40_000_000, 10_000_000, 2_000, 5_000_000, 4_000, 6_000);

    final RefundSurgeRule rule = new RefundSurgeRule();
    final InMemoryActivityHistory history = new InMemoryActivityHistory();
    int postings;

    /** A ¥2,400.00 refund that happened at {@code at}, already in the history as the rule expects. */
    TuitionRefunded refund(Instant at) {
        history.add(at, Kind.REFUND, 240_000);
        int n = ++postings;
        return new TuitionRefunded("ACC-1", "ACC-1.P" + n, "RF-" + n, "ORD-" + n, 240_000, 40_000_000, at);
    }

    /** {@code count} refunds spread over the week ending at {@code t}, the last one at {@code t} itself. */
    TuitionRefunded refundsInWeekEndingAt(Instant t, int count) {
        TuitionRefunded last = null;
        for (int i = count - 1; i >= 0; i--) {
            last = refund(t.minus(Duration.ofHours(20L * i)));
        }
        return last;
    }

    /** {@code count} refunds spread over the 30 days before the week ending at {@code t}. */
    void refundsInTrailingMonthBefore(Instant t, int count) {
        Instant weekStart = t.minus(Duration.ofDays(7));
        for (int i = 0; i < count; i++) {
            history.add(weekStart.minus(Duration.ofHours(12 + 70L * i)), Kind.REFUND, 240_000);
        }
    }

    List<AlertSignal> judge(TuitionRefunded refund) {
        return rule.evaluate(refund, ACCOUNT, history);
    }

    @Test
    void fiveRefundsInAWeekOnAQuietAccountRaiseAYellowSurge() {
        TuitionRefunded fifth = refundsInWeekEndingAt(AT, 5);

        assertThat(judge(fifth)).singleElement().satisfies(signal -> {
            assertThat(signal.code()).isEqualTo(AlertCode.REFUND_SURGE);
            assertThat(signal.grade()).isEqualTo(Grade.YELLOW);
            assertThat(signal.conditionKey()).isEmpty();
            assertThat(signal.occurredAt()).isEqualTo(AT);
            assertThat(signal.facts()).containsEntry("refundsIn7d", 5).containsEntry("refundsInTrailing30d", 0)
                    .containsEntry("trailingWeeklyMean", "0.00").hasSize(3);
            assertThat(signal.summary()).contains("5 refunds");
        });
    }

    @Test
    void fourRefundsInAWeekAreNoSurgeEvenOnAQuietAccount() {
        assertThat(judge(refundsInWeekEndingAt(AT, 4))).isEmpty();
    }

    @Test
    void sevenRefundsAgainstTenInTheTrailingMonthAreExactlyThreeTimesTheWeeklyMean() {
        refundsInTrailingMonthBefore(AT, 10); // weekly mean 10 / (30 / 7) = 2.33..., 3x = 7
        TuitionRefunded seventh = refundsInWeekEndingAt(AT, 7);

        assertThat(judge(seventh)).singleElement().satisfies(signal -> assertThat(signal.facts())
                .containsEntry("refundsIn7d", 7).containsEntry("refundsInTrailing30d", 10)
                .containsEntry("trailingWeeklyMean", "2.33"));
    }

    @Test
    void sixRefundsAgainstTenInTheTrailingMonthAreOneRefundShortOfTheSurgeRatio() {
        refundsInTrailingMonthBefore(AT, 10);
        assertThat(judge(refundsInWeekEndingAt(AT, 6))).isEmpty();
    }

    @Test
    void aRefundExactlySevenDaysAgoBelongsToTheTrailingMonthNotToThisWeek() {
        history.add(AT.minus(Duration.ofDays(7)), Kind.REFUND, 240_000);
        TuitionRefunded fourth = refundsInWeekEndingAt(AT, 4);

        assertThat(judge(fourth)).isEmpty();
    }

    @Test
    void theTrailingMonthEndsThirtySevenDaysBeforeTheRefund() {
        refundsInTrailingMonthBefore(AT, 10);
        history.add(AT.minus(Duration.ofDays(37)), Kind.REFUND, 240_000); // just outside: still 10
        TuitionRefunded seventh = refundsInWeekEndingAt(AT, 7);
        assertThat(judge(seventh)).hasSize(1);

        history.add(AT.minus(Duration.ofDays(37)).plusSeconds(1), Kind.REFUND, 240_000); // inside: 11
        assertThat(judge(seventh)).isEmpty();
    }

    @Test
    void aRefundPostedLateIsJudgedByTheWeeksAroundWhenItHappened() {
        Instant past = AT.minus(Duration.ofDays(60));
        // the weeks before today are busy (two refunds a day): judged by today's windows, five would be ordinary
        for (int day = 1; day <= 37; day++) {
            history.add(AT.minus(Duration.ofDays(day)), Kind.REFUND, 240_000);
            history.add(AT.minus(Duration.ofDays(day)).plus(Duration.ofHours(7)), Kind.REFUND, 240_000);
        }
        // two months ago the account was quiet, and five refunds happened in one week
        refundsInWeekEndingAt(past.minus(Duration.ofHours(1)), 4);
        TuitionRefunded lateFifth = refund(past);

        assertThat(judge(lateFifth)).isNotEmpty();
        assertThat(rule.judgeAt(ACCOUNT, history, past)).hasValueSatisfying(signal -> {
            assertThat(signal.occurredAt()).isEqualTo(past);
            assertThat(signal.facts()).containsEntry("refundsIn7d", 5).containsEntry("refundsInTrailing30d", 0);
        });
        // and it is no surge when judged by today's busy weeks
        assertThat(rule.judgeAt(ACCOUNT, history, AT.minus(Duration.ofDays(1)))).isEmpty();
    }

    @Test
    void aLateRefundInAQuietPastWeekIsNoSurgeThereButReJudgesTodaysBusyWeek() {
        refundsInWeekEndingAt(AT, 6); // today's week is a surge
        Instant happened = AT.minus(Duration.ofDays(20));
        TuitionRefunded late = refund(happened);

        assertThat(rule.judgeAt(ACCOUNT, history, happened)).isEmpty();
        assertThat(judge(late)).singleElement().satisfies(signal -> assertThat(signal.facts())
                .containsEntry("refundsIn7d", 6).containsEntry("refundsInTrailing30d", 1));
    }

    @Test
    void aRefundPostedLateIntoTheTrailingMonthCanEndASurgeSeenBefore() {
        TuitionRefunded fifth = refundsInWeekEndingAt(AT, 5);
        assertThat(judge(fifth)).hasSize(1);

        // eight refunds of the month before arrive late, every four days: 5 × 30 < 3 × 7 × 8, no surge any more
        for (int day = 36; day > 8; day -= 4) {
            history.add(AT.minus(Duration.ofDays(day)), Kind.REFUND, 240_000);
        }
        TuitionRefunded late = refund(AT.minus(Duration.ofDays(8)));

        assertThat(judge(late)).isEmpty();
    }

    @Test
    void onlyRefundsAreJudged() {
        refundsInWeekEndingAt(AT, 6);
        FundsReleased release = new FundsReleased("ACC-1", "ACC-1.P99", "RL-1", "ORD-1", 1_000_000, 39_000_000, null,
                AT);

        assertThat(rule.evaluate(release, ACCOUNT, history)).isEmpty();
    }

    @Test
    void aSteadyInstitutionWithAnOccasionalRefundRaisesNothingOverMonths() {
        List<AlertSignal> raised = new ArrayList<>();
        Instant monday = AT.minus(Duration.ofDays(7 * 30));
        for (int week = 0; week < 30; week++, monday = monday.plus(Duration.ofDays(7))) {
            for (int day : new int[] {0, 2, 4}) {
                history.add(monday.plus(Duration.ofDays(day)), Kind.DEPOSIT, 480_000);
            }
            history.add(monday.plus(Duration.ofDays(5)), Kind.CONSUMPTION, 1_440_000);
            history.add(monday.plus(Duration.ofDays(6)), Kind.RELEASE, 1_440_000);
            if (week % 3 == 1) {
                raised.addAll(judge(refund(monday.plus(Duration.ofDays(3)))));
            }
            if (week % 10 == 9) { // now and then two families leave in the same week
                raised.addAll(judge(refund(monday.plus(Duration.ofDays(4)))));
            }
        }
        assertThat(postings).isGreaterThan(10);
        assertThat(raised).isEmpty();
    }

    @Test
    void aLargeInstitutionGrowingToFiveRefundsAWeekRaisesNothing() {
        List<AlertSignal> raised = new ArrayList<>();
        Instant monday = AT.minus(Duration.ofDays(7 * 26));
        for (int week = 0; week < 26; week++, monday = monday.plus(Duration.ofDays(7))) {
            int refundsThisWeek = Math.min(week / 2, 5); // refunds follow enrolment, which grows for weeks
            for (int i = 0; i < refundsThisWeek; i++) {
                raised.addAll(judge(refund(monday.plus(Duration.ofHours(9 + 24L * i)))));
            }
        }
        assertThat(raised).isEmpty();
    }
}
