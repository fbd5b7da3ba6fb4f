package cn.prepaid.ledger.projections.alerts.rules;

import cn.prepaid.ledger.core.account.EscrowAccountEvent.FundsReleased;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.OutflowRejected;
import cn.prepaid.ledger.core.account.OutflowType;
import cn.prepaid.ledger.core.rules.OutflowRejectionReason;
import cn.prepaid.ledger.projections.alerts.AccountSituation;
import cn.prepaid.ledger.projections.alerts.Activity.Kind;
import cn.prepaid.ledger.projections.alerts.AlertCode;
import cn.prepaid.ledger.projections.alerts.AlertSignal;
import cn.prepaid.ledger.projections.alerts.Grade;
import cn.prepaid.ledger.projections.alerts.InMemoryActivityHistory;
import cn.prepaid.ledger.projections.alerts.Situations;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RejectedOutflowRuleTest {

    static final Instant T = Instant.parse("2026-03-10T02:00:00Z");
    static final AccountSituation ACCOUNT = Situations.DEFAULTS;

    final RejectedOutflowRule rule = new RejectedOutflowRule();
    final InMemoryActivityHistory history = new InMemoryActivityHistory();
    int postings;

    /** Records a refusal at {@code at} first, as the projection does, then answers the event to judge. */
    OutflowRejected refused(Instant at) {
        history.add(at, Kind.OUTFLOW_REJECTED, 600_000);
        postings++;
        return new OutflowRejected("ACC-1", "BANK-" + postings, OutflowType.RELEASE, "ORD-1", 600_000,
                OutflowRejectionReason.EXCEEDS_RELEASABLE, "only 2 lessons consumed", 1_000_000, at);
    }

    List<AlertSignal> judge(OutflowRejected event) {
        return rule.evaluate(event, ACCOUNT, history);
    }

    static Instant hoursBefore(long hours) {
        return T.minus(Duration.ofHours(hours));
    }

    @Test
    void aRefusedOutflowIsAYellowAlertWithItsReasonAndAmount() {
        assertThat(judge(refused(T))).singleElement().satisfies(signal -> {
            assertThat(signal.code()).isEqualTo(AlertCode.REJECTED_OUTFLOW);
            assertThat(signal.grade()).isEqualTo(Grade.YELLOW);
            assertThat(signal.conditionKey()).isEmpty();
            assertThat(signal.occurredAt()).isEqualTo(T);
            assertThat(signal.summary()).contains("RELEASE", "6000.00", "EXCEEDS_RELEASABLE");
            assertThat(signal.facts()).containsEntry("reason", "EXCEEDS_RELEASABLE").containsEntry("bankTxnId", "BANK-1")
                    .containsEntry("amount", "6000.00").containsEntry("refusalsIn24h", 1);
        });
    }

    @Test
    void theThirdRefusalWithin24HoursIsRed() {
        assertThat(judge(refused(hoursBefore(20)))).singleElement().extracting(AlertSignal::grade).isEqualTo(Grade.YELLOW);
        assertThat(judge(refused(hoursBefore(10)))).singleElement().extracting(AlertSignal::grade).isEqualTo(Grade.YELLOW);
        assertThat(judge(refused(T))).singleElement().satisfies(signal -> {
            assertThat(signal.grade()).isEqualTo(Grade.RED);
            assertThat(signal.facts()).containsEntry("refusalsIn24h", 3);
        });
    }

    @Test
    void aRefusalExactly24HoursBeforeIsOutsideTheWindow() {
        refused(hoursBefore(24));
        refused(hoursBefore(10));

        assertThat(judge(refused(T))).singleElement().extracting(AlertSignal::grade).isEqualTo(Grade.YELLOW);
    }

    @Test
    void threeRefusalsPostedNewestFirstAreRedWhenTheLastOfThemArrives() {
        judge(refused(hoursBefore(1)));
        judge(refused(hoursBefore(2)));

        assertThat(judge(refused(hoursBefore(3)))).singleElement().satisfies(signal -> {
            assertThat(signal.grade()).isEqualTo(Grade.RED);
            assertThat(signal.facts()).containsEntry("refusalsIn24h", 3);
        });
    }

    @Test
    void aLateRefusalIsNotRedForRefusalsMoreThanADayAfterIt() {
        refused(T);
        refused(T.plus(Duration.ofHours(1)));

        assertThat(judge(refused(hoursBefore(25)))).singleElement().extracting(AlertSignal::grade)
                .isEqualTo(Grade.YELLOW);
    }

    @Test
    void onlyRefusalsAreJudged() {
        refused(hoursBefore(2));
        refused(hoursBefore(1));
        history.add(T, Kind.RELEASE, 100_000);
        FundsReleased release = new FundsReleased("ACC-1", "ACC-1.P9", "BANK-9", "ORD-1", 100_000, 900_000, null, T);

        assertThat(rule.evaluate(release, ACCOUNT, history)).isEmpty();
    }
}
