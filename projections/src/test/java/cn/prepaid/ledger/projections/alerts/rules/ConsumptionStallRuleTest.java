package cn.prepaid.ledger.projections.alerts.rules;

import cn.prepaid.ledger.core.account.EscrowAccountEvent.BankFeeCharged;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.LessonsConsumed;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.TuitionDeposited;
import cn.prepaid.ledger.projections.alerts.AccountSituation;
import cn.prepaid.ledger.projections.alerts.Activity;
import cn.prepaid.ledger.projections.alerts.AlertCode;
import cn.prepaid.ledger.projections.alerts.AlertSignal;
import cn.prepaid.ledger.projections.alerts.Grade;
import cn.prepaid.ledger.projections.alerts.InMemoryActivityHistory;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ConsumptionStallRuleTest {

    /** The default stall: 21 days. */
    static final Duration STALL = Duration.ofDays(21);

    /** The account's first deposit. */
    static final Instant T0 = Instant.parse("2026-01-05T01:00:00Z");
    static final long PRICE = 150_000; // ¥1,500.00 a deposit

    final ConsumptionStallRule rule = new ConsumptionStallRule();
    final InMemoryActivityHistory history = new InMemoryActivityHistory();
    final AccountSituation account = new AccountSituation("ACC-1", "91350100M000100Y43", "350100", 0, 0, 10_000_000,
            2_000, 5_000_000, 4_000, 6_000);

    static Instant day(double days) {
        return T0.plus(Duration.ofSeconds(Math.round(days * 86_400)));
    }

    static TuitionDeposited depositEvent(Instant at, long amountFen) {
        return new TuitionDeposited("ACC-1", "ACC-1.P" + at.getEpochSecond(), "TXN-" + at.getEpochSecond(),
                "ORD-" + at.getEpochSecond(), "STU-1", 10, amountFen / 10, amountFen, LocalDate.of(2026, 1, 5),
                LocalDate.of(2026, 3, 5), 0, at);
    }

    /** As the alerts processor does: the deposit enters the history first, then the rule judges. */
    List<AlertSignal> deposit(Instant at, long amountFen) {
        history.add(at, Activity.Kind.DEPOSIT, amountFen);
        return rule.evaluate(depositEvent(at, amountFen), account, history);
    }

    List<AlertSignal> deposit(Instant at) {
        return deposit(at, PRICE);
    }

    void consume(Instant at) {
        history.add(at, Activity.Kind.CONSUMPTION, 15_000);
    }

    @Test
    void firesOnADepositExactlyTwentyOneDaysAfterTheLastConsumptionWithCodeGradeKeyAndFacts() {
        deposit(T0);
        consume(day(1));
        Instant t = day(1).plus(STALL);

        assertThat(deposit(t, 250_050)).singleElement().satisfies(signal -> {
            assertThat(signal.code()).isEqualTo(AlertCode.CONSUMPTION_STALL);
            assertThat(signal.grade()).isEqualTo(Grade.YELLOW);
            assertThat(signal.conditionKey()).isEmpty();
            assertThat(signal.occurredAt()).isEqualTo(t);
            assertThat(signal.facts())
                    .containsEntry("lastConsumption", "2026-01-06T01:00:00Z")
                    .containsEntry("daysWithoutConsumption", 21L)
                    .containsEntry("depositsInWindow", 1)
                    .containsEntry("depositedInWindow", "2500.50")
                    .hasSize(4);
            assertThat(signal.summary()).contains("2500.50").contains("21 days");
        });
    }

    @Test
    void doesNotFireOneSecondBeforeTwentyOneDaysWithoutConsumption() {
        deposit(T0);
        consume(day(1));

        assertThat(deposit(day(1).plus(STALL).minusSeconds(1))).isEmpty();
    }

    @Test
    void anAccountTakingDepositsForLessThanTwentyOneDaysIsNotStalled() {
        deposit(T0);
        assertThat(deposit(day(7))).isEmpty();
        assertThat(deposit(day(14))).isEmpty();
        assertThat(deposit(T0.plus(STALL).minusSeconds(1))).isEmpty();
        assertThat(rule.judgeAt(account, history, T0.plus(STALL).minusSeconds(1))).isEmpty();
    }

    @Test
    void anAccountThatNeverConsumedFiresOnceItHasTakenDepositsForTwentyOneDays() {
        deposit(T0);
        deposit(day(10));

        assertThat(deposit(day(21))).singleElement().satisfies(signal -> assertThat(signal.facts())
                .containsEntry("lastConsumption", "never")
                .containsEntry("daysWithoutConsumption", 21L)
                // T0 is the window's open end: only the deposits of day 10 and day 21 are in it
                .containsEntry("depositsInWindow", 2)
                .containsEntry("depositedInWindow", "3000.00"));
    }

    @Test
    void aConsumptionInsideTheWindowPreventsTheAlert() {
        deposit(T0);
        consume(day(10));

        assertThat(deposit(day(25))).isEmpty();
        assertThat(deposit(day(31).minusSeconds(1))).isEmpty();
        assertThat(deposit(day(31))).hasSize(1);
    }

    @Test
    void aConsumptionAtTheSameInstantAsTheDepositIsInsideTheWindow() {
        deposit(T0);
        consume(day(30));

        assertThat(deposit(day(30))).isEmpty();
    }

    @Test
    void theTimeDrivenJudgementFiresWithoutANewEvent() {
        deposit(T0);
        consume(day(2));
        assertThat(deposit(day(9))).isEmpty(); // the last event the account ever gets

        Instant now = day(23);
        assertThat(rule.judgeAt(account, history, now.minusSeconds(1))).isEmpty();
        assertThat(rule.judgeAt(account, history, now)).hasValueSatisfying(signal -> {
            assertThat(signal.code()).isEqualTo(AlertCode.CONSUMPTION_STALL);
            assertThat(signal.grade()).isEqualTo(Grade.YELLOW);
            assertThat(signal.conditionKey()).isEmpty();
            assertThat(signal.occurredAt()).isEqualTo(now);
            assertThat(signal.facts())
                    .containsEntry("lastConsumption", day(2).toString())
                    .containsEntry("daysWithoutConsumption", 21L)
                    .containsEntry("depositsInWindow", 1)
                    .containsEntry("depositedInWindow", "1500.00");
        });
        assertThat(rule.judgeAt(account, history, day(29))).hasValueSatisfying(
                signal -> assertThat(signal.facts()).containsEntry("daysWithoutConsumption", 27L));
    }

    @Test
    void theTimeDrivenJudgementNeedsADepositInTheWindow() {
        deposit(T0);
        deposit(day(9));

        assertThat(rule.judgeAt(account, history, day(30).minusSeconds(1))).isPresent();
        assertThat(rule.judgeAt(account, history, day(30))).isEmpty(); // day 9 is the window's open end
        assertThat(rule.judgeAt(account, history, day(60))).isEmpty();
    }

    @Test
    void aLateDepositIsJudgedAtItsOccurredAtNotAtTheNewestFacts() {
        deposit(T0);
        consume(day(1));
        consume(day(30)); // already recorded when the late deposit below arrives

        List<AlertSignal> signals = deposit(day(25));

        assertThat(signals).singleElement().satisfies(signal -> {
            assertThat(signal.occurredAt()).isEqualTo(day(25));
            assertThat(signal.facts())
                    .containsEntry("lastConsumption", day(1).toString())
                    .containsEntry("daysWithoutConsumption", 24L);
        });
    }

    @Test
    void aLateDepositInsideAnActivePeriodDoesNotFireEvenIfTheAccountStalledSince() {
        deposit(T0);
        consume(day(5));
        deposit(day(9));

        assertThat(rule.judgeAt(account, history, day(40))).isEmpty(); // no deposit in (day 19, day 40]
        assertThat(deposit(day(22))).isEmpty(); // arrives late: at day 22 the consumption of day 5 is recent
        assertThat(rule.judgeAt(account, history, day(40))).isPresent(); // but it now counts for the sweep
    }

    @Test
    void aLateDepositBeforeTheFirstOneMakesTheAccountOlder() {
        assertThat(deposit(day(20))).isEmpty();
        assertThat(deposit(day(10))).isEmpty();
        assertThat(deposit(day(31))).hasSize(1);
    }

    @Test
    void onlyDepositsTriggerTheEventDrivenJudgement() {
        deposit(T0);
        deposit(day(25));
        history.add(day(26), Activity.Kind.BANK_FEE, 100);

        assertThat(rule.evaluate(new BankFeeCharged("ACC-1", "ACC-1.P9", "FEE-1", 100, "fee", 0, day(26)), account,
                history)).isEmpty();
        assertThat(rule.judgeAt(account, history, day(26))).isPresent();

        consume(day(27));
        assertThat(rule.evaluate(new LessonsConsumed("ACC-1", "ORD-1", "C-1", 1, 1, 9, 15_000, day(27)), account,
                history)).isEmpty();
    }

    @Test
    void benignTrafficWithWeeklyConsumptionNeverFires() {
        for (int d = 0; d <= 180; d += 3) {
            history.add(day(d), Activity.Kind.DEPOSIT, PRICE);
        }
        for (int d = 4; d <= 180; d += 7) {
            history.add(day(d), Activity.Kind.CONSUMPTION, 15_000);
        }

        for (int d = 0; d <= 180; d += 3) {
            assertThat(rule.evaluate(depositEvent(day(d), PRICE), account, history)).as("deposit of day %d", d)
                    .isEmpty();
        }
        for (int hour = 0; hour <= 180 * 24; hour++) {
            Instant now = T0.plus(Duration.ofHours(hour));
            assertThat(rule.judgeAt(account, history, now)).as("sweep at %s", now).isEmpty();
        }
    }

    @Test
    void benignTrafficThatStopsConsumingIsCaughtTwentyOneDaysLater() {
        for (int d = 0; d <= 60; d += 3) {
            history.add(day(d), Activity.Kind.DEPOSIT, PRICE);
        }
        for (int d = 4; d <= 32; d += 7) { // the last consumption is on day 32
            history.add(day(d), Activity.Kind.CONSUMPTION, 15_000);
        }

        assertThat(rule.evaluate(depositEvent(day(51), PRICE), account, history)).isEmpty();
        assertThat(rule.judgeAt(account, history, day(53).minusSeconds(1))).isEmpty();
        assertThat(rule.judgeAt(account, history, day(53))).hasValueSatisfying(
                signal -> assertThat(signal.facts())
                        .containsEntry("lastConsumption", day(32).toString())
                        .containsEntry("depositsInWindow", 7)); // days 33, 36, ..., 51
        assertThat(rule.evaluate(depositEvent(day(54), PRICE), account, history)).hasSize(1);
    }
}
