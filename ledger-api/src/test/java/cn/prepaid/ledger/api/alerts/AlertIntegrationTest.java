package cn.prepaid.ledger.api.alerts;

import cn.prepaid.ledger.api.audit.ReplayVerification;
import cn.prepaid.ledger.api.support.Http.Answer;
import cn.prepaid.ledger.api.support.Http;
import cn.prepaid.ledger.api.support.LedgerIntegrationTest;
import cn.prepaid.ledger.store.support.TestLedger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static cn.prepaid.ledger.api.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Alerts arise from the postings that cause them, through the real event store, and regulators handle them. */
@LedgerIntegrationTest
class AlertIntegrationTest {

    @LocalServerPort
    int port;
    @org.springframework.beans.factory.annotation.Autowired
    cn.prepaid.ledger.projections.alerts.ConsumptionStallSweep stallSweep;
    @org.springframework.beans.factory.annotation.Autowired
    org.springframework.jdbc.core.JdbcTemplate jdbc;
    @org.springframework.beans.factory.annotation.Autowired
    ReplayVerification replays;
    Http http;
    String institution;
    String account;
    final Instant day = Instant.now().minus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);

    @BeforeEach
    void setUp() {
        http = new Http(port);
        institution = TestLedger.newInstitutionId().value();
        account = TestLedger.unique("ALERT");
        assertThat(http.post(Http.ZHEJIANG, "/api/v1/institutions", json("institutionId", institution, "name", "预警学校",
                "regionCode", "330106", "category", "NON_SUBJECT", "supervisionMode", "FULL_CUSTODY", "policy",
                java.util.Map.of("minimumBalance", "1000.00", "liabilityRatio", "0.20",
                        "largeTransferThreshold", "50000.00", "largeTransferRatio", "0.30",
                        "largeTransferRatioFrom", "10000.00")))).extracting(Answer::status).isEqualTo(201);
        http.post(Http.ZHEJIANG, "/api/v1/institutions/" + institution + "/approve", null);
        assertThat(http.post(Http.BANK, "/api/v1/accounts", json("accountId", account, "institutionId", institution,
                "bankAccountNo", "1202")).status()).isEqualTo(201);
    }

    @Test
    void feesThatTakeTheBalanceTowardsAndBelowTheFloorRaiseYellowThenRedAndTheRiskLevelFollows() {
        post(json("bankTxnId", account + "-" + "D1", "type", "ADJUSTMENT", "amount", "2000.00", "currency", "CNY", "occurredAt", at(0),
                "memo", "opening balance"));
        post(fee("F1", "900.00"));
        JsonNode near = awaitAlert("BALANCE_NEAR_FLOOR");
        assertThat(near.get("grade").asString()).isEqualTo("YELLOW");
        assertThat(near.get("facts").get("balance").asString()).isEqualTo("1100.00");

        post(fee("F2", "200.00"));
        JsonNode below = awaitAlert("BALANCE_BELOW_FLOOR");
        assertThat(below.get("grade").asString()).isEqualTo("RED");
        assertThat(below.get("facts").get("floor").asString()).isEqualTo("1000.00");
        JsonNode view = http.get(Http.ZHEJIANG, "/api/v1/institutions/" + institution).json();
        assertThat(view.get("riskLevel").asString()).isEqualTo("MEDIUM");
        assertThat(view.get("openAlerts").asInt()).isEqualTo(2);

        // Handling: acknowledge, then resolve; the level drops to what the remaining yellow alert gives.
        String id = below.get("alertId").asString();
        assertThat(http.post(Http.ZHEJIANG, "/api/v1/alerts/" + id + "/acknowledge", json("note", "calling the bank"))
                .json().get("status").asString()).isEqualTo("ACKNOWLEDGED");
        Answer resolved = http.post(Http.ZHEJIANG, "/api/v1/alerts/" + id + "/resolve", json("note", "topped up"));
        assertThat(resolved.json().get("status").asString()).isEqualTo("RESOLVED");
        assertThat(resolved.json().get("history")).hasSize(2);
        assertThat(resolved.json().get("history").get(0).get("by").asString()).isEqualTo("zhejiang-education");
        assertThat(resolved.json().get("history").get(1).get("note").asString()).isEqualTo("topped up");
        assertThat(http.post(Http.ZHEJIANG, "/api/v1/alerts/" + id + "/dismiss", json("note", "again")).status())
                .isEqualTo(409);
        assertThat(http.post(Http.BEIJING, "/api/v1/alerts/" + id + "/dismiss", json("note", "not mine")).status())
                .isEqualTo(403);
        assertThat(http.get(Http.ZHEJIANG, "/api/v1/institutions/" + institution).json().get("riskLevel").asString())
                .isEqualTo("LOW");
        assertThat(http.get(Http.AUDITOR, "/api/v1/alerts/" + id).json().get("status").asString()).isEqualTo("RESOLVED");
    }

    @Test
    void repeatedRefusalsUpdateOneAlertThatTurnsRedAtTheThird() {
        for (int i = 1; i <= 3; i++) {
            Answer refused = post(json("bankTxnId", account + "-" + "X" + i, "type", "RELEASE", "amount", "10.00", "currency", "CNY",
                    "occurredAt", at(0), "orderId", "NO-ORDER"));
            assertThat(refused.status()).isEqualTo(422);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode found = alerts("REJECTED_OUTFLOW");
            assertThat(found).hasSize(1);
            assertThat(found.get(0).get("grade").asString()).isEqualTo("RED");
            assertThat(found.get(0).get("occurrences").asInt()).isEqualTo(3);
        });
    }

    @Test
    void aHeldLargeOutflowAndItsApprovalShareOneAlert() {
        post(json("bankTxnId", account + "-" + "D1", "type", "DEPOSIT", "amount", "75000.00", "currency", "CNY", "occurredAt", at(0),
                "orderId", "O1", "studentRef", "s1", "lessons", 50, "lessonPrice", "1500.00",
                "courseStart", "2026-03-02", "courseEnd", "2026-05-31"));
        http.post(Http.PLATFORM, "/api/v1/accounts/" + account + "/orders/O1/consumptions",
                json("consumptionId", "C1", "lessons", 40, "occurredAt", at(1)));
        Answer held = post(json("bankTxnId", account + "-" + "R1", "type", "RELEASE", "amount", "60000.00", "currency", "CNY",
                "occurredAt", at(1), "orderId", "O1"));
        assertThat(held.status()).isEqualTo(202);
        JsonNode alert = awaitAlert("LARGE_OUTFLOW");
        assertThat(alert.get("facts").get("decision").asString()).isEqualTo("PENDING");

        http.post(Http.ZHEJIANG, "/api/v1/held-outflows/" + held.json().get("heldOutflowId").asString() + "/approve",
                json("note", "ok"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode found = alerts("LARGE_OUTFLOW");
            assertThat(found).hasSize(1);
            assertThat(found.get(0).get("facts").get("decision").asString()).isEqualTo("APPROVED");
            assertThat(found.get(0).get("occurrences").asInt()).isEqualTo(2);
        });
    }

    @Test
    void depositsWithoutConsumptionForTwentyOneDaysRaiseAStallFromTheScheduledSweep() {
        Instant now = stalledUntilTheSweep();
        JsonNode stall = alerts("CONSUMPTION_STALL").get(0);
        assertThat(stall.get("grade").asString()).isEqualTo("YELLOW");
        assertThat(stall.get("facts").get("lastConsumption").asString()).isEqualTo("never");
        assertThat(stall.get("facts").get("depositsInWindow").asInt()).isEqualTo(1);

        // Once lessons are consumed, a later sweep finds nothing new for this account.
        http.post(Http.PLATFORM, "/api/v1/accounts/" + account + "/orders/O2/consumptions",
                json("consumptionId", "C1", "lessons", 1, "occurredAt", now.minusSeconds(60).toString()));
        http.post(Http.ZHEJIANG, "/api/v1/alerts/" + stall.get("alertId").asString() + "/resolve",
                json("note", "lessons resumed"));
        await().atMost(Duration.ofSeconds(10)).until(() -> http.get(Http.AUDITOR,
                "/api/v1/accounts/" + account).json().get("outstandingLiability").asString().equals("1900.00"));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> {
            stallSweep.sweep(Instant.now());
            return alerts("CONSUMPTION_STALL").size() == 1;
        });
    }

    @Test
    void aStallRaisedByTheSweepIsRaisedAgainWithTheSameIdWhenTheAlertsAreRebuilt() {
        stalledUntilTheSweep();

        String replayId = replays.start(institution, "auditor");
        await().atMost(Duration.ofSeconds(30)).until(() -> !replays.status(replayId).orElseThrow().status()
                .equals("RUNNING"));
        ReplayVerification.Status rebuilt = replays.status(replayId).orElseThrow();
        assertThat(rebuilt.status()).isEqualTo("DONE");
        assertThat(rebuilt.differences()).isEmpty();
        assertThat(rebuilt.matches()).isTrue();
    }

    @Test
    void aRebuildKeepsARegulatorsActionOnTheAlertItWasTakenOnAndFindingsBeforeItFoldedIn() {
        String refused = json("bankTxnId", account + "-X1", "type", "RELEASE", "amount", "10.00", "currency", "CNY",
                "occurredAt", at(0), "orderId", "NO-ORDER");
        post(refused);
        post(refused.replace("-X1\"", "-X2\"")); // the same condition again: folded into the open alert
        await().atMost(Duration.ofSeconds(10)).until(() -> !alerts("REJECTED_OUTFLOW").isEmpty()
                && alerts("REJECTED_OUTFLOW").get(0).get("occurrences").asInt() == 2);
        String first = alerts("REJECTED_OUTFLOW").get(0).get("alertId").asString();
        assertThat(http.post(Http.ZHEJIANG, "/api/v1/alerts/" + first + "/resolve", json("note", "bank told"))
                .status()).isEqualTo(200);
        post(refused.replace("X1", "X3")); // after the resolution: a new alert
        await().atMost(Duration.ofSeconds(10)).until(() -> alerts("REJECTED_OUTFLOW").size() == 2);

        String replayId = replays.start(institution, "auditor");
        await().atMost(Duration.ofSeconds(30)).until(() -> !replays.status(replayId).orElseThrow().status()
                .equals("RUNNING"));
        ReplayVerification.Status rebuilt = replays.status(replayId).orElseThrow();
        assertThat(rebuilt.differences()).isEmpty();
        assertThat(rebuilt.matches()).isTrue();
    }

    /**
     * Two deposits, 30 and 10 days ago, and no consumption: neither saw 21 quiet days behind it when it
     * arrived; the clock alone makes the stall, which the sweep raises. Answers the deposits' "now".
     */
    private Instant stalledUntilTheSweep() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        post(deposit("D1", "O1", now.minus(30, ChronoUnit.DAYS)));
        post(deposit("D2", "O2", now.minus(10, ChronoUnit.DAYS)));
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            stallSweep.sweep(Instant.now());
            return !alerts("CONSUMPTION_STALL").isEmpty();
        });
        return now;
    }

    @Test
    void aLateEarlierDepositMovesTheFirstDepositBackSoTheNextDepositIsJudgedStalled() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        post(deposit("D1", "O1", now.minus(10, ChronoUnit.DAYS)));
        post(deposit("D0", "O0", now.minus(30, ChronoUnit.DAYS))); // posted late: it happened first
        // (a list: the alert processor may not have taken the account's opening in yet)
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(jdbc.queryForList(
                "select first_deposit_at from alert_account where account_id = ?", java.sql.Timestamp.class, account))
                .singleElement().satisfies(first -> assertThat(first.toInstant())
                        .isEqualTo(now.minus(30, ChronoUnit.DAYS))));
        // A deposit now: the first deposit (30 days ago) lies before its 21-day window, which holds D1
        // and this one and no consumption. Judged from D1 as the first deposit, it would not be stalled.
        post(deposit("D2", "O2", now.minus(1, ChronoUnit.HOURS)));
        JsonNode stall = awaitAlert("CONSUMPTION_STALL");
        assertThat(stall.get("facts").get("depositsInWindow").asInt()).isEqualTo(2);
        assertThat(stall.get("facts").get("daysWithoutConsumption").asInt()).isEqualTo(29);
    }

    private String deposit(String txn, String order, Instant at) {
        return json("bankTxnId", account + "-" + txn, "type", "DEPOSIT", "amount", "1000.00", "currency", "CNY",
                "occurredAt", at.atOffset(ZoneOffset.ofHours(8)).toString(), "orderId", order, "studentRef", "s",
                "lessons", 10, "lessonPrice", "100.00", "courseStart", "2026-03-02", "courseEnd", "2026-05-31");
    }

    @Test
    void theStreamDeliversAlertsOfTheRegulatorsRegionAndResumesAfterTheLastEventId() throws Exception {
        List<String> zhejiang = new CopyOnWriteArrayList<>();
        List<String> beijing = new CopyOnWriteArrayList<>();
        Thread zj = listen(Http.ZHEJIANG, null, false, zhejiang);
        Thread bj = listen(Http.BEIJING, null, false, beijing);
        await().atMost(Duration.ofSeconds(5)).until(() -> zhejiang.contains(":open") && beijing.contains(":open"));

        post(json("bankTxnId", account + "-" + "S1", "type", "INTEREST", "amount", "1.00", "currency", "CNY", "occurredAt", at(0)));
        http.post(Http.BANK, "/api/v1/accounts/" + account + "/statements", json("statementId", "ST1",
                "statementDate", java.time.LocalDate.ofInstant(day, java.time.ZoneId.of("Asia/Shanghai")).toString(),
                "closingBalance", "999.00", "transactionCount", 1));
        await().atMost(Duration.ofSeconds(10)).until(() -> zhejiang.stream().anyMatch(
                line -> line.startsWith("data:") && line.contains("RECONCILIATION_MISMATCH")));
        assertThat(zhejiang).anyMatch(line -> line.equals("event:alert"));
        String firstId = zhejiang.stream().filter(line -> line.startsWith("id:")).findFirst().orElseThrow().substring(3);
        assertThat(beijing).noneMatch(line -> line.contains(account));

        // A client that saw only the first event reconnects: it gets what came after, and nothing before.
        post(json("bankTxnId", account + "-" + "X1", "type", "RELEASE", "amount", "10.00", "currency", "CNY", "occurredAt", at(0),
                "orderId", "NO-ORDER"));
        awaitAlert("REJECTED_OUTFLOW");
        List<String> resumed = new CopyOnWriteArrayList<>();
        Thread again = listen(Http.ZHEJIANG, firstId, false, resumed);
        // a browser opening the stream anew cannot set the header: the id goes in ?lastEventId= instead
        List<String> reopened = new CopyOnWriteArrayList<>();
        Thread anew = listen(Http.ZHEJIANG, firstId, true, reopened);
        for (List<String> afterFirst : List.of(resumed, reopened)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> afterFirst.stream().anyMatch(
                    line -> line.startsWith("data:") && line.contains("REJECTED_OUTFLOW") && line.contains(account)));
            assertThat(afterFirst).noneMatch(line -> line.equals("id:" + firstId));
        }
        zj.interrupt();
        bj.interrupt();
        again.interrupt();
        anew.interrupt();
    }

    private Thread listen(String key, String lastEventId, boolean idInQuery, List<String> lines) {
        Thread reader = new Thread(() -> {
            try {
                String query = idInQuery ? "?lastEventId=" + lastEventId : "";
                HttpURLConnection connection = (HttpURLConnection) URI.create(
                        "http://localhost:" + port + "/api/v1/alerts/stream" + query).toURL().openConnection();
                connection.setRequestProperty("Authorization", "Bearer " + key);
                connection.setRequestProperty("Accept", "text/event-stream");
                if (lastEventId != null && !idInQuery) {
                    connection.setRequestProperty("Last-Event-ID", lastEventId);
                }
                connection.setReadTimeout(30_000);
                try (BufferedReader in = new BufferedReader(
                        new InputStreamReader(connection.getInputStream(), StandardCharsets.UTF_8))) {
                    lines.add(":open");
                    String line;
                    while ((line = in.readLine()) != null && !Thread.currentThread().isInterrupted()) {
                        lines.add(line.replace(": ", ":"));
                    }
                }
            } catch (Exception closed) {
                lines.add(":closed");
            }
        });
        reader.setDaemon(true);
        reader.start();
        return reader;
    }

    private JsonNode awaitAlert(String code) {
        await().atMost(Duration.ofSeconds(10)).until(() -> !alerts(code).isEmpty());
        return alerts(code).get(0);
    }

    private JsonNode alerts(String code) {
        return http.get(Http.ZHEJIANG, "/api/v1/alerts?institutionId=" + institution + "&code=" + code)
                .json().get("content");
    }

    private Answer post(String body) {
        return http.post(Http.BANK, "/api/v1/accounts/" + account + "/transactions", body);
    }

    private String fee(String txn, String amount) {
        return json("bankTxnId", account + "-" + txn, "type", "BANK_FEE", "amount", amount, "currency", "CNY", "occurredAt", at(0),
                "memo", "fee");
    }

    private String at(int dayOffset) {
        return day.plus(dayOffset, ChronoUnit.DAYS).atOffset(ZoneOffset.ofHours(8)).toString();
    }
}
