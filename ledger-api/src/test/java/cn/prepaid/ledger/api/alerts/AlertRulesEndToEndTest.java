package cn.prepaid.ledger.api.alerts;

import cn.prepaid.ledger.api.support.Http.Answer;
import cn.prepaid.ledger.api.support.Http;
import cn.prepaid.ledger.api.support.LedgerIntegrationTest;
import cn.prepaid.ledger.store.support.TestLedger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static cn.prepaid.ledger.api.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The pattern rules of DOMAIN.md §5 (RAPID_DRAIN, STRUCTURING, REFUND_SURGE, CHARGE_CAP_EXCEEDED,
 * COLLECT_AND_RUN) end to end: real HTTP postings, the real event store, the alert processor, and
 * {@code GET /api/v1/alerts}. Each test has its own institution and account. Where a threshold can be
 * approached, the postings just before it are shown to raise nothing, after the alert processor has
 * demonstrably taken in every event of the account.
 *
 * <p>Accounts are RISK_RESERVE with a floor of zero (no floor alerts; anything above the floor may be
 * released without consumption) and {@code largeTransferRatio} "1.00" with a high ratio-from, so
 * outflows are paid (201), not held, unless they reach {@code largeTransferThreshold}.
 */
@LedgerIntegrationTest
class AlertRulesEndToEndTest {

    private static final ZoneOffset CHINA = ZoneOffset.ofHours(8);

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;

    Http http;
    String institution;
    String account;
    /** Whole seconds, so the instants posted and the instants answered compare exactly. */
    final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @BeforeEach
    void setUp() {
        http = new Http(port);
    }

    // ------------------------------------------------------------------------------------------ RAPID_DRAIN

    @Test
    void outflowsWithinADayReachingFortyPercentOfTheBalanceAtTheWindowStartRaiseRapidDrain() {
        open("1000000.00");
        deposit("D1", "O1", 50, "1000.00", now.minus(4, ChronoUnit.DAYS));
        deposit("D2", "O2", 50, "1000.00", now.minus(3, ChronoUnit.DAYS));

        release("R1", "O1", "20000.00", now.minus(3, ChronoUnit.HOURS));
        release("R2", "O1", "19999.99", now.minus(2, ChronoUnit.HOURS));
        // 39999.99 of 100000.00: one fen short of 40 %.
        assertNoAlert("RAPID_DRAIN");

        Instant third = now.minus(1, ChronoUnit.HOURS);
        release("R3", "O2", "0.01", third);
        JsonNode alert = awaitSingleAlert("RAPID_DRAIN");
        assertThat(alert.get("grade").asString()).isEqualTo("RED");
        assertThat(alert.get("status").asString()).isEqualTo("OPEN");
        assertThat(alert.get("accountId").asString()).isEqualTo(account);
        assertThat(Instant.parse(alert.get("occurredAt").asString())).isEqualTo(third);
        JsonNode facts = alert.get("facts");
        assertThat(facts.get("window").asString()).isEqualTo("24h");
        assertThat(facts.get("outflowTotal").asString()).isEqualTo("40000.00");
        assertThat(facts.get("balanceAtWindowStart").asString()).isEqualTo("100000.00");
        assertThat(facts.get("ratioThreshold").asString()).isEqualTo("0.40");
    }

    // ------------------------------------------------------------------------------------------ STRUCTURING

    @Test
    void threeOutflowsWithinTwoDaysJustBelowTheLargeThresholdRaiseStructuringAndTheRiskLevel() {
        open("10000.00");
        deposit("D1", "O1", 50, "2000.00", now.minus(3, ChronoUnit.DAYS));
        deposit("D2", "O2", 50, "2000.00", now.minus(3, ChronoUnit.DAYS).plusSeconds(60));

        release("S1", "O1", "9000.00", now.minus(40, ChronoUnit.HOURS));
        transfer("S2", "8000.00", now.minus(20, ChronoUnit.HOURS)); // exactly 80 %: counts
        release("S3", "O2", "7999.99", now.minus(10, ChronoUnit.HOURS)); // below 80 %: does not count
        assertNoAlert("STRUCTURING");
        JsonNode quiet = institutionView();
        assertThat(quiet.get("riskLevel").asString()).isEqualTo("NONE");
        assertThat(quiet.get("openAlerts").asInt()).isZero();

        Instant last = now.minus(1, ChronoUnit.HOURS);
        Answer refund = post(json("bankTxnId", account + "-" + "S4", "type", "REFUND", "amount", "9999.99", "currency", "CNY",
                "occurredAt", wire(last), "orderId", "O2"));
        assertThat(refund.status()).isEqualTo(201);
        assertThat(refund.json().get("status").asString()).isEqualTo("REFUNDED");

        JsonNode alert = awaitSingleAlert("STRUCTURING");
        assertThat(alert.get("grade").asString()).isEqualTo("RED");
        assertThat(Instant.parse(alert.get("occurredAt").asString())).isEqualTo(last);
        assertThat(alert.get("facts").get("count").asInt()).isEqualTo(3);
        assertThat(alert.get("facts").get("threshold").asString()).isEqualTo("10000.00");
        assertThat(strings(alert.get("facts").get("amounts"))).containsExactly("9000.00", "8000.00", "9999.99");

        // The only open alert of the institution is one RED: MEDIUM.
        JsonNode view = institutionView();
        assertThat(view.get("riskLevel").asString()).isEqualTo("MEDIUM");
        assertThat(view.get("openAlerts").asInt()).isEqualTo(1);
    }

    @Test
    void threeOutflowsJustBelowTheThresholdPostedNewestFirstRaiseStructuring() {
        open("10000.00");
        deposit("D1", "O1", 50, "2000.00", now.minus(3, ChronoUnit.DAYS));

        Instant newest = now.minus(1, ChronoUnit.HOURS);
        release("N1", "O1", "9000.00", newest);
        release("N2", "O1", "9000.00", now.minus(2, ChronoUnit.HOURS));
        assertNoAlert("STRUCTURING");
        release("N3", "O1", "9000.00", now.minus(3, ChronoUnit.HOURS));

        JsonNode alert = awaitSingleAlert("STRUCTURING");
        assertThat(alert.get("status").asString()).isEqualTo("OPEN");
        assertThat(Instant.parse(alert.get("occurredAt").asString())).isEqualTo(newest);
        assertThat(alert.get("facts").get("count").asInt()).isEqualTo(3);
    }

    @Test
    void aDepositPostedLateBeforeADrainWindowWithdrawsTheRapidDrainItRefutes() {
        open("1000000.00");
        deposit("D1", "O1", 50, "1000.00", now.minus(4, ChronoUnit.DAYS));
        deposit("D2", "O2", 50, "1000.00", now.minus(3, ChronoUnit.DAYS));
        release("R1", "O1", "20000.00", now.minus(3, ChronoUnit.HOURS));
        release("R2", "O2", "20000.00", now.minus(1, ChronoUnit.HOURS));
        assertThat(awaitSingleAlert("RAPID_DRAIN").get("status").asString()).isEqualTo("OPEN");
        assertThat(institutionView().get("openAlerts").asInt()).isEqualTo(1);

        // the bank posts a deposit of two days ago late: the day started at 200000.00, 40000.00 is 20 % of it
        deposit("D3", "O3", 50, "2000.00", now.minus(2, ChronoUnit.DAYS));

        await().atMost(Duration.ofSeconds(10)).until(() ->
                alerts("RAPID_DRAIN").get(0).get("status").asString().equals("WITHDRAWN"));
        assertThat(alerts("RAPID_DRAIN")).hasSize(1);
        assertThat(institutionView().get("openAlerts").asInt()).isZero();
    }

    @Test
    void oneLateDepositWithdrawsTheDrainOfItsAccountAndOfItsInstitutionTogether() {
        open("1000000.00");
        String draining = account;
        secondAccount(); // no money: the institution's windows are the draining account's
        deposit("D1", "O1", 50, "1000.00", now.minus(4, ChronoUnit.DAYS));
        deposit("D2", "O2", 50, "1000.00", now.minus(3, ChronoUnit.DAYS));
        release("R1", "O1", "20000.00", now.minus(3, ChronoUnit.HOURS));
        release("R2", "O2", "20000.00", now.minus(1, ChronoUnit.HOURS));
        await().atMost(Duration.ofSeconds(10)).until(() -> alerts("RAPID_DRAIN").size() == 2);
        assertThat(alerts("RAPID_DRAIN")).extracting(alert -> alert.get("accountId").asString())
                .containsExactlyInAnyOrder(draining, institution);

        // one event refutes both windows: the account's and the institution's drain go together
        deposit("D3", "O3", 50, "2000.00", now.minus(2, ChronoUnit.DAYS));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(alerts("RAPID_DRAIN"))
                .extracting(alert -> alert.get("status").asString()).containsExactly("WITHDRAWN", "WITHDRAWN"));
        assertThat(jdbc.queryForObject("select count(*) from alert_window where code = 'RAPID_DRAIN' "
                + "and account_id in (?, ?)", Integer.class, draining, institution)).isZero();
        assertThat(institutionView().get("openAlerts").asInt()).isZero();
    }

    // ------------------------------------------------------------------------------------------ institution-wide

    @Test
    void collectingInOneAccountAndDrainingAnotherIsACollectAndRunOfTheInstitution() {
        open("1000000.00");
        String collecting = account;
        String draining = secondAccount();
        account = draining;
        deposit("B0", "OB", 50, "4000.00", now.minus(100, ChronoUnit.DAYS)); // old money, before any window
        account = collecting;
        deposit("A1", "O1", 50, "1000.00", now.minus(18, ChronoUnit.DAYS));
        deposit("A2", "O2", 50, "1000.00", now.minus(12, ChronoUnit.DAYS));
        account = draining;
        transfer("B1", "30000.00", now.minus(2, ChronoUnit.DAYS));
        assertNoAlert("COLLECT_AND_RUN");

        transfer("B2", "25000.00", now.minus(1, ChronoUnit.HOURS)); // 55000.00: over half of what A collected
        JsonNode alert = awaitSingleAlert("COLLECT_AND_RUN");
        assertThat(alert.get("accountId").asString()).isEqualTo(institution);
        assertThat(alert.get("grade").asString()).isEqualTo("RED");
        JsonNode facts = alert.get("facts");
        assertThat(facts.get("scope").asString()).isEqualTo("INSTITUTION");
        assertThat(strings(facts.get("accounts"))).containsExactlyInAnyOrder(collecting, draining);
        assertThat(facts.get("collectedIn14d").asString()).isEqualTo("100000.00");
        assertThat(facts.get("drainedIn7d").asString()).isEqualTo("55000.00");
        assertThat(alert.get("summary").asString()).contains(collecting, draining);
    }

    @Test
    void theInstitutionsTotalBalanceIsJudgedAgainstTheInstitutionsFloor() {
        open("1000000.00");
        String first = account;
        String second = secondAccount();
        assertThat(http.put(Http.ZHEJIANG, "/api/v1/institutions/" + institution + "/policy", json("minimumBalance",
                "1000.00", "liabilityRatio", "0.00", "largeTransferThreshold", "1000000.00", "largeTransferRatio", "1.00",
                "largeTransferRatioFrom", "1000000.00")).status()).isEqualTo(200);
        adjustment("J1", "700.00");
        account = second;
        adjustment("J2", "200.00");

        await().atMost(Duration.ofSeconds(10)).until(() -> institutionWide("BALANCE_BELOW_FLOOR") != null);
        JsonNode below = institutionWide("BALANCE_BELOW_FLOOR");
        assertThat(below.get("grade").asString()).isEqualTo("RED");
        assertThat(below.get("facts").get("balance").asString()).isEqualTo("900.00");
        assertThat(below.get("facts").get("floor").asString()).isEqualTo("1000.00");
        assertThat(strings(below.get("facts").get("accounts"))).containsExactlyInAnyOrder(first, second);
    }

    /** A second account of the test's institution, at the same bank. */
    private String secondAccount() {
        String second = TestLedger.unique("RULES-B");
        Answer opened = http.post(Http.BANK, "/api/v1/accounts", json("accountId", second, "institutionId",
                institution, "bankAccountNo", "1203"));
        assertThat(opened.status()).as(opened.body()).isEqualTo(201);
        return second;
    }

    private void adjustment(String txn, String amount) {
        Answer answer = post(json("bankTxnId", account + "-" + txn, "type", "ADJUSTMENT", "amount", amount, "currency", "CNY",
                "occurredAt", wire(now.minus(1, ChronoUnit.HOURS)), "memo", "opening balance"));
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
    }

    /** The institution-wide alert of this code, or null. */
    private JsonNode institutionWide(String code) {
        for (JsonNode alert : alerts(code)) {
            if (alert.get("accountId").asString().equals(institution)) {
                return alert;
            }
        }
        return null;
    }

    // ------------------------------------------------------------------------------------------ thresholds

    @Test
    void everyThresholdIsAPolicySettingVisibleWithItsDefaultAndTheRulesFollowIt() {
        open("10000.00");
        JsonNode defaults = institutionView().get("policy").get("alertThresholds");
        assertThat(defaults.get("nearFloorBand").asString()).isEqualTo("0.20");
        assertThat(defaults.get("rapidDrain24hRatio").asString()).isEqualTo("0.40");
        assertThat(defaults.get("rapidDrain7dRatio").asString()).isEqualTo("0.60");
        assertThat(defaults.get("rapidDrainShortWindowHours").asInt()).isEqualTo(24);
        assertThat(defaults.get("rapidDrainLongWindowDays").asInt()).isEqualTo(7);
        assertThat(defaults.get("structuringFrom").asString()).isEqualTo("0.80");
        assertThat(defaults.get("structuringCount").asInt()).isEqualTo(3);
        assertThat(defaults.get("structuringWindowHours").asInt()).isEqualTo(48);
        assertThat(defaults.get("refundSurgeMultiple").asInt()).isEqualTo(3);
        assertThat(defaults.get("refundSurgeMinRefunds").asInt()).isEqualTo(5);
        assertThat(defaults.get("collectAndRunMultiple").asInt()).isEqualTo(2);
        assertThat(defaults.get("collectAndRunDrainShare").asString()).isEqualTo("0.50");
        assertThat(defaults.get("consumptionStallDays").asInt()).isEqualTo(21);
        assertThat(defaults.get("rejectedOutflowRedCount").asInt()).isEqualTo(3);
        assertThat(defaults.get("refundDisputeOverdueDays").asInt()).isEqualTo(14);

        Answer refused = http.put(Http.ZHEJIANG, "/api/v1/institutions/" + institution + "/policy",
                policyWith(Map.of("structuringFrom", "1.50", "structuringCount", 1)));
        assertThat(refused.status()).as(refused.body()).isEqualTo(400);
        assertThat(refused.json().get("code").asString()).isEqualTo("VALIDATION_FAILED");
        assertThat(institutionView().get("policy").get("alertThresholds")).isEqualTo(defaults);

        Answer set = http.put(Http.ZHEJIANG, "/api/v1/institutions/" + institution + "/policy",
                policyWith(Map.of("structuringCount", 2, "consumptionStallDays", 30, "refundDisputeOverdueDays", 7)));
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(set.json().get("policy").get("alertThresholds").get("structuringCount").asInt()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(10)).until(() -> institutionView().get("policy").get("alertThresholds")
                .get("structuringCount").asInt() == 2);
        JsonNode changed = institutionView().get("policy").get("alertThresholds");
        assertThat(changed.get("consumptionStallDays").asInt()).isEqualTo(30);
        assertThat(changed.get("refundDisputeOverdueDays").asInt()).isEqualTo(7);
        assertThat(changed.get("structuringFrom").asString()).isEqualTo("0.80"); // absent: kept

        deposit("D1", "O1", 50, "2000.00", now.minus(3, ChronoUnit.DAYS));
        release("T1", "O1", "9000.00", now.minus(2, ChronoUnit.HOURS));
        release("T2", "O1", "9000.00", now.minus(1, ChronoUnit.HOURS));
        assertThat(awaitSingleAlert("STRUCTURING").get("facts").get("count").asInt()).isEqualTo(2);
    }

    private static String policyWith(Map<String, Object> alertThresholds) {
        return json("minimumBalance", "0.00", "liabilityRatio", "0.00", "largeTransferThreshold", "10000.00",
                "largeTransferRatio", "1.00", "largeTransferRatioFrom", "1000000.00", "alertThresholds", alertThresholds);
    }

    // ------------------------------------------------------------------------------------------ REFUND_SURGE

    @Test
    void theFifthRefundInAWeekOnAQuietAccountRaisesARefundSurge() {
        open("1000000.00");
        for (int i = 1; i <= 5; i++) {
            deposit("D" + i, "O" + i, 20, "100.00", now.minus(6, ChronoUnit.DAYS).plusSeconds(i));
        }
        for (int i = 1; i <= 4; i++) {
            refund("F" + i, "O" + i, "100.00", now.minus(6 - i, ChronoUnit.DAYS)); // days -5 .. -2
        }
        assertNoAlert("REFUND_SURGE");

        Instant fifth = now.minus(1, ChronoUnit.HOURS);
        refund("F5", "O5", "100.00", fifth);
        JsonNode alert = awaitSingleAlert("REFUND_SURGE");
        assertThat(alert.get("grade").asString()).isEqualTo("YELLOW");
        assertThat(Instant.parse(alert.get("occurredAt").asString())).isEqualTo(fifth);
        assertThat(alert.get("facts").get("refundsIn7d").asInt()).isEqualTo(5);
        assertThat(alert.get("facts").get("refundsInTrailing30d").asInt()).isZero();
        assertThat(alert.get("facts").get("trailingWeeklyMean").asString()).isEqualTo("0.00");

        JsonNode view = institutionView();
        assertThat(view.get("riskLevel").asString()).isEqualTo("LOW");
        assertThat(view.get("openAlerts").asInt()).isEqualTo(1);
    }

    // ------------------------------------------------------------------------------------------ CHARGE_CAP_EXCEEDED

    @Test
    void aDepositBeyondTheChargeCapIsRecordedAndRaisesAYellowAlertPerOrder() {
        open("1000000.00");
        // At the cap: 60 lessons, exactly three months. Recorded, no alert.
        Answer atCap = post(depositBody("C1", "AT-CAP", 60, "50.00", now.minus(3, ChronoUnit.HOURS),
                "2026-03-01", "2026-06-01"));
        assertThat(atCap.status()).isEqualTo(201);
        assertNoAlert("CHARGE_CAP_EXCEEDED");

        Answer tooMany = post(depositBody("C2", "LESSONS-61", 61, "50.00", now.minus(2, ChronoUnit.HOURS),
                "2026-03-02", "2026-05-31"));
        assertThat(tooMany.status()).isEqualTo(201);
        assertThat(tooMany.json().get("status").asString()).isEqualTo("RECORDED");
        assertThat(tooMany.json().get("balance").asString()).isEqualTo("6050.00");
        JsonNode lessons = awaitSingleAlert("CHARGE_CAP_EXCEEDED");
        assertThat(lessons.get("grade").asString()).isEqualTo("YELLOW");
        assertThat(lessons.get("facts").get("orderId").asString()).isEqualTo("LESSONS-61");
        assertThat(lessons.get("facts").get("lessons").asInt()).isEqualTo(61);
        assertThat(lessons.get("facts").get("bankTxnId").asString()).isEqualTo(account + "-C2");

        // A course one day longer than three months: a second alert, keyed by its own order.
        Answer tooLong = post(depositBody("C3", "MONTHS-3-PLUS", 10, "50.00", now.minus(1, ChronoUnit.HOURS),
                "2026-03-01", "2026-06-02"));
        assertThat(tooLong.status()).isEqualTo(201);
        assertThat(tooLong.json().get("status").asString()).isEqualTo("RECORDED");
        await().atMost(Duration.ofSeconds(10)).until(() -> alerts("CHARGE_CAP_EXCEEDED").size() == 2);
        awaitCaughtUp();
        List<String> orders = new ArrayList<>();
        for (JsonNode alert : alerts("CHARGE_CAP_EXCEEDED")) {
            assertThat(alert.get("grade").asString()).isEqualTo("YELLOW");
            orders.add(alert.get("facts").get("orderId").asString());
        }
        assertThat(orders).containsExactlyInAnyOrder("LESSONS-61", "MONTHS-3-PLUS");
        assertThat(http.get(Http.AUDITOR, "/api/v1/accounts/" + account).json().get("balance").asString())
                .isEqualTo("6550.00");
    }

    // ------------------------------------------------------------------------------------------ COLLECT_AND_RUN

    @Test
    void aNewAccountThatCollectsThenDrainsHalfWithinAWeekRaisesCollectAndRunAndTheRiskLevelTurnsHigh() {
        open("1000000.00");
        // Collection window of every outflow below: (t - 21 d, t - 7 d].
        deposit("D1", "O1", 50, "1000.00", now.minus(18, ChronoUnit.DAYS));
        deposit("D2", "O2", 50, "1000.00", now.minus(12, ChronoUnit.DAYS));

        release("R1", "O1", "25000.00", now.minus(3, ChronoUnit.DAYS));
        release("R2", "O2", "24999.99", now.minus(2, ChronoUnit.DAYS));
        // 49999.99 of 100000.00 collected: one fen short of half (and no window reaches RAPID_DRAIN).
        assertNoAlert("COLLECT_AND_RUN");
        assertNoAlert("RAPID_DRAIN");

        Instant third = now.minus(1, ChronoUnit.HOURS);
        release("R3", "O2", "0.01", third);
        JsonNode alert = awaitSingleAlert("COLLECT_AND_RUN");
        assertThat(alert.get("grade").asString()).isEqualTo("RED");
        assertThat(Instant.parse(alert.get("occurredAt").asString())).isEqualTo(third);
        assertThat(alert.get("facts").get("collectedIn14d").asString()).isEqualTo("100000.00");
        assertThat(alert.get("facts").get("trailingMeanPer14d").asString()).isEqualTo("0.00");
        assertThat(alert.get("facts").get("drainedIn7d").asString()).isEqualTo("50000.00");
        awaitCaughtUp();
        JsonNode medium = institutionView();
        assertThat(medium.get("riskLevel").asString()).isEqualTo("MEDIUM");
        assertThat(medium.get("openAlerts").asInt()).isEqualTo(1);

        // A further 10000.00 makes 60 % of the balance at t - 7 d flow out within 7 days: a second RED.
        release("R4", "O1", "10000.00", now.minus(30, ChronoUnit.MINUTES));
        JsonNode drain = awaitSingleAlert("RAPID_DRAIN");
        assertThat(drain.get("facts").get("window").asString()).isEqualTo("7d");
        assertThat(drain.get("facts").get("outflowTotal").asString()).isEqualTo("60000.00");
        assertThat(drain.get("facts").get("balanceAtWindowStart").asString()).isEqualTo("100000.00");
        assertThat(drain.get("facts").get("ratioThreshold").asString()).isEqualTo("0.60");
        awaitCaughtUp();
        JsonNode updated = alerts("COLLECT_AND_RUN");
        assertThat(updated).hasSize(1);
        assertThat(updated.get(0).get("occurrences").asInt()).isEqualTo(2);
        assertThat(updated.get(0).get("facts").get("drainedIn7d").asString()).isEqualTo("60000.00");
        JsonNode high = institutionView();
        assertThat(high.get("riskLevel").asString()).isEqualTo("HIGH");
        assertThat(high.get("openAlerts").asInt()).isEqualTo(2);
    }

    // ------------------------------------------------------------------------------------------ late postings

    @Test
    void outflowsPostedLateAreJudgedInTheirOwnPastWindow() {
        open("1000000.00");
        deposit("D1", "O1", 50, "1000.00", now.minus(10, ChronoUnit.DAYS));
        deposit("D2", "O2", 50, "1000.00", now.minus(10, ChronoUnit.DAYS).plusSeconds(60));
        // Today is quiet and well funded: a fresh deposit and one small release.
        deposit("D3", "O3", 50, "2000.00", now.minus(3, ChronoUnit.HOURS));
        release("R0", "O3", "1000.00", now.minus(2, ChronoUnit.HOURS));
        assertNoAlert("RAPID_DRAIN");

        // The bank now reports two releases of five days ago. Against today's window and the 200000.00
        // deposited by now they would be little; in their own 24 h they drain 40 % of the 100000.00 then held.
        Instant first = now.minus(5, ChronoUnit.DAYS).minus(2, ChronoUnit.HOURS);
        Instant second = now.minus(5, ChronoUnit.DAYS).minus(1, ChronoUnit.HOURS);
        release("L1", "O1", "20000.00", first);
        assertNoAlert("RAPID_DRAIN");
        release("L2", "O2", "20000.00", second);

        JsonNode alert = awaitSingleAlert("RAPID_DRAIN");
        assertThat(alert.get("grade").asString()).isEqualTo("RED");
        assertThat(Instant.parse(alert.get("occurredAt").asString())).isEqualTo(second);
        assertThat(Instant.parse(alert.get("raisedAt").asString())).isAfter(second.plus(4, ChronoUnit.DAYS));
        assertThat(alert.get("facts").get("window").asString()).isEqualTo("24h");
        assertThat(alert.get("facts").get("outflowTotal").asString()).isEqualTo("40000.00");
        assertThat(alert.get("facts").get("balanceAtWindowStart").asString()).isEqualTo("100000.00");
    }

    // ------------------------------------------------------------------------------------------ helpers

    /** A registered, approved RISK_RESERVE institution with floor zero, and one account at the test bank. */
    private void open(String largeTransferThreshold) {
        institution = TestLedger.newInstitutionId().value();
        account = TestLedger.unique("RULES");
        Answer registered = http.post(Http.ZHEJIANG, "/api/v1/institutions", json("institutionId", institution,
                "name", "规则学校", "regionCode", "330106", "category", "NON_SUBJECT", "supervisionMode", "RISK_RESERVE",
                "policy", Map.of("minimumBalance", "0.00", "liabilityRatio", "0.00",
                        "largeTransferThreshold", largeTransferThreshold, "largeTransferRatio", "1.00",
                        "largeTransferRatioFrom", "1000000.00")));
        assertThat(registered.status()).as(registered.body()).isEqualTo(201);
        assertThat(http.post(Http.ZHEJIANG, "/api/v1/institutions/" + institution + "/approve", null).status())
                .isEqualTo(200);
        Answer opened = http.post(Http.BANK, "/api/v1/accounts", json("accountId", account, "institutionId",
                institution, "bankAccountNo", "1202"));
        assertThat(opened.status()).as(opened.body()).isEqualTo(201);
    }

    private void deposit(String txn, String order, int lessons, String price, Instant at) {
        Answer answer = post(depositBody(txn, order, lessons, price, at, "2026-03-02", "2026-05-31"));
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
    }

    private String depositBody(String txn, String order, int lessons, String price, Instant at, String start,
                               String end) {
        String amount = new java.math.BigDecimal(price).multiply(java.math.BigDecimal.valueOf(lessons))
                .setScale(2, java.math.RoundingMode.UNNECESSARY).toPlainString();
        return json("bankTxnId", account + "-" + txn, "type", "DEPOSIT", "amount", amount, "currency", "CNY", "occurredAt", wire(at),
                "orderId", order, "studentRef", "stu-" + order, "lessons", lessons, "lessonPrice", price,
                "courseStart", start, "courseEnd", end);
    }

    private void release(String txn, String order, String amount, Instant at) {
        Answer answer = post(json("bankTxnId", account + "-" + txn, "type", "RELEASE", "amount", amount, "currency", "CNY",
                "occurredAt", wire(at), "orderId", order));
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        assertThat(answer.json().get("status").asString()).isEqualTo("RELEASED");
    }

    private void refund(String txn, String order, String amount, Instant at) {
        Answer answer = post(json("bankTxnId", account + "-" + txn, "type", "REFUND", "amount", amount, "currency", "CNY",
                "occurredAt", wire(at), "orderId", order));
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        assertThat(answer.json().get("status").asString()).isEqualTo("REFUNDED");
    }

    private void transfer(String txn, String amount, Instant at) {
        Answer answer = post(json("bankTxnId", account + "-" + txn, "type", "TRANSFER_OUT", "amount", amount, "currency", "CNY",
                "occurredAt", wire(at), "counterparty", "operating account", "purpose", "rent"));
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
    }

    private Answer post(String body) {
        return http.post(Http.BANK, "/api/v1/accounts/" + account + "/transactions", body);
    }

    private JsonNode institutionView() {
        return http.get(Http.ZHEJIANG, "/api/v1/institutions/" + institution).json();
    }

    /**
     * Waits until the alert processor has taken in every stored event of the account (its
     * {@code alert_account.last_sequence} reached the account's last event sequence), so an absent
     * alert is really absent and not merely late.
     */
    private void awaitCaughtUp() {
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            Long stored = jdbc.queryForObject("select max(sequence_number) from domain_event_entry "
                    + "where aggregate_identifier = ?", Long.class, account);
            List<Long> taken = jdbc.queryForList("select last_sequence from alert_account where account_id = ?",
                    Long.class, account);
            return stored != null && !taken.isEmpty() && taken.get(0) >= stored;
        });
    }

    private void assertNoAlert(String code) {
        awaitCaughtUp();
        assertThat(alerts(code)).as(code).isEmpty();
    }

    private JsonNode awaitSingleAlert(String code) {
        await().atMost(Duration.ofSeconds(10)).until(() -> !alerts(code).isEmpty());
        awaitCaughtUp();
        JsonNode found = alerts(code);
        assertThat(found).as(code).hasSize(1);
        return found.get(0);
    }

    private JsonNode alerts(String code) {
        Answer answer = http.get(Http.ZHEJIANG, "/api/v1/alerts?institutionId=" + institution + "&code=" + code);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json().get("content");
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(node -> values.add(node.asString()));
        return values;
    }

    private static String wire(Instant at) {
        return at.atOffset(CHINA).toString();
    }
}
