package cn.prepaid.ledger.api.http;

import cn.prepaid.ledger.api.support.Http.Answer;
import cn.prepaid.ledger.api.support.Http;
import cn.prepaid.ledger.api.support.LedgerIntegrationTest;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.LessonsConsumed;
import cn.prepaid.ledger.projections.alerts.RefundDisputeSweep;
import cn.prepaid.ledger.store.support.TestLedger;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static cn.prepaid.ledger.api.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The money rules of issue 13 as a bank and a regulator meet them over HTTP. */
@LedgerIntegrationTest
class MoneyRulesHttpTest {

    private static final String DEPOSITED_AT = "2026-03-02T09:00:00+08:00";

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    EventStore eventStore;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    RefundDisputeSweep disputes;

    /** An approved FULL_CUSTODY institution in 330106 with a ¥100,000 minimum balance and the given accounts at ICBC. */
    private List<String> institutionWithAccounts(Http http, String institution, int count) {
        assertThat(http.post(Http.ZHEJIANG, "/api/v1/institutions", json("institutionId", institution, "name",
                "两个账户的学校", "regionCode", "330106", "category", "SUBJECT", "supervisionMode", "FULL_CUSTODY"))
                .status()).isEqualTo(201);
        assertThat(http.post(Http.ZHEJIANG, "/api/v1/institutions/" + institution + "/approve", null).status())
                .isEqualTo(200);
        assertThat(http.put(Http.ZHEJIANG, "/api/v1/institutions/" + institution + "/policy", json(
                "minimumBalance", "100000.00", "liabilityRatio", "0.20", "largeTransferThreshold", "500000.00",
                "largeTransferRatio", "0.90", "largeTransferRatioFrom", "10000.00")).status()).isEqualTo(200);
        List<String> accounts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String account = TestLedger.unique("ACC");
            assertThat(http.post(Http.BANK, "/api/v1/accounts", json("accountId", account, "institutionId",
                    institution, "bankAccountNo", "6222" + i)).status()).isEqualTo(201);
            accounts.add(account);
        }
        return accounts;
    }

    private static String deposit(String bankTxnId, String orderId, int lessons, String lessonPrice, String amount) {
        return json("bankTxnId", bankTxnId, "type", "DEPOSIT", "amount", amount, "currency", "CNY",
                "occurredAt", DEPOSITED_AT, "orderId", orderId, "studentRef", "stu-" + orderId, "lessons", lessons,
                "lessonPrice", lessonPrice, "courseStart", "2026-03-02", "courseEnd", "2026-05-31");
    }

    private static Answer post(Http http, String account, String body) {
        return http.post(Http.BANK, "/api/v1/accounts/" + account + "/transactions", body);
    }

    @Test
    void aReleaseIsJudgedAgainstTheInstitutionsFloorAndEachAccountAnswersItsShare() {
        Http http = new Http(port);
        String institution = TestLedger.newInstitutionId().value();
        List<String> accounts = institutionWithAccounts(http, institution, 2);
        String a = accounts.get(0);
        String b = accounts.get(1);
        // A: ¥120,000 in two orders, 30 of O-A1's 60 lessons delivered. B: ¥300,000 of which ¥250,000 is earned.
        assertThat(post(http, a, deposit("A-1-" + a, "O-A1", 60, "1000.00", "60000.00")).status()).isEqualTo(201);
        assertThat(post(http, a, deposit("A-2-" + a, "O-A2", 60, "1000.00", "60000.00")).status()).isEqualTo(201);
        assertThat(post(http, b, deposit("B-1-" + b, "O-B1", 50, "6000.00", "300000.00")).status()).isEqualTo(201);
        assertThat(http.post(Http.PLATFORM, "/api/v1/accounts/" + a + "/orders/O-A1/consumptions", json(
                "consumptionId", "C-A1", "lessons", 30, "occurredAt", "2026-03-09T18:00:00+08:00")).status())
                .isEqualTo(201);
        assertThat(http.post(Http.PLATFORM, "/api/v1/accounts/" + b + "/orders/O-B1/consumptions", json(
                "consumptionId", "C-B1", "lessons", 40, "occurredAt", "2026-03-09T18:00:00+08:00")).status())
                .isEqualTo(201);

        // A alone would keep ¥90,000 of a ¥100,000 minimum; the institution keeps ¥390,000.
        Answer release = post(http, a, json("bankTxnId", "A-REL-" + a, "type", "RELEASE", "amount", "30000.00",
                "currency", "CNY", "occurredAt", "2026-03-10T09:00:00+08:00", "orderId", "O-A1"));
        assertThat(release.status()).as(release.body()).isEqualTo(201);
        assertThat(release.json().get("status").asString()).isEqualTo("RELEASED");

        // Unearned tuition: A ¥90,000 (O-A1's 30 undelivered lessons and O-A2), B ¥60,000. The institution's floor:
        // max(¥100,000, 20 % of ¥150,000) = ¥100,000, and each account answers its share of it, 90 : 60.
        await().untilAsserted(() -> {
            Answer institutionView = http.get(Http.ZHEJIANG, "/api/v1/institutions/" + institution);
            assertThat(institutionView.json().get("totalBalance").asString()).isEqualTo("390000.00");
            assertThat(institutionView.json().get("floor").asString()).isEqualTo("100000.00");
            assertThat(http.get(Http.BANK, "/api/v1/accounts/" + a).json().get("floor").asString())
                    .isEqualTo("60000.00");
            assertThat(http.get(Http.BANK, "/api/v1/accounts/" + b).json().get("floor").asString())
                    .isEqualTo("40000.00");
        });

        // So do a regulator's write answers on the account.
        Answer frozen = http.post(Http.ZHEJIANG, "/api/v1/accounts/" + a + "/freeze", json("reason", "check"));
        Answer unfrozen = http.post(Http.ZHEJIANG, "/api/v1/accounts/" + a + "/unfreeze", json("reason", "done"));
        assertThat(frozen.json().get("floor").asString()).isEqualTo("60000.00");
        assertThat(unfrozen.json().get("floor").asString()).isEqualTo("60000.00");
        // As of now, an auditor's balance answer shares the floor the same way.
        assertThat(http.get(Http.AUDITOR, "/api/v1/accounts/" + a + "/balance").json().get("floor").asString())
                .isEqualTo("60000.00");
        // As of an instant before any deposit, no tuition was owed: the ¥100,000 minimum is shared equally.
        assertThat(http.get(Http.AUDITOR, "/api/v1/accounts/" + a + "/balance?asOf=2026-03-02T00:00:00Z")
                .json().get("floor").asString()).isEqualTo("50000.00");

        // B's ¥240,000 earned leaves the institution ¥150,000: paid. Then A's O-A2, all delivered, cannot leave:
        // ¥60,000 more would leave ¥90,000 against the ¥100,000 floor.
        assertThat(post(http, b, json("bankTxnId", "B-REL-" + b, "type", "RELEASE", "amount", "240000.00", "currency",
                "CNY", "occurredAt", "2026-03-10T09:00:00+08:00", "orderId", "O-B1")).status()).isEqualTo(201);
        assertThat(http.post(Http.PLATFORM, "/api/v1/accounts/" + a + "/orders/O-A2/consumptions", json(
                "consumptionId", "C-A2", "lessons", 60, "occurredAt", "2026-03-09T18:00:00+08:00")).status())
                .isEqualTo(201);
        Answer belowFloor = post(http, a, json("bankTxnId", "A-REL-2-" + a, "type", "RELEASE", "amount", "60000.00",
                "currency", "CNY", "occurredAt", "2026-03-10T10:00:00+08:00", "orderId", "O-A2"));
        assertThat(belowFloor.status()).as(belowFloor.body()).isEqualTo(422);
        assertThat(belowFloor.json().get("reason").asString()).isEqualTo("BREACHES_FLOOR");
        assertThat(belowFloor.json().get("detail").asString())
                .isEqualTo("the institution's balance after would be below its floor of 100000.00");
    }

    @Test
    void aBankTransactionIdIsBookedOnOneAccountOfTheBankOnly() {
        Http http = new Http(port);
        String institution = TestLedger.newInstitutionId().value();
        List<String> accounts = institutionWithAccounts(http, institution, 2);
        String first = accounts.get(0);
        String second = accounts.get(1);
        String txn = TestLedger.unique("TXN");
        String body = deposit(txn, "O-" + txn, 10, "100.00", "1000.00");

        Answer booked = post(http, first, body);
        Answer onAnotherAccount = post(http, second, deposit(txn, "O2-" + txn, 10, "100.00", "1000.00"));
        Answer sameBodyAgain = post(http, first, body);
        Answer inABatch = http.post(Http.BANK, "/api/v1/transactions/batch", "{\"transactions\":["
                + json("accountId", second, "bankTxnId", txn, "type", "INTEREST", "amount", "1.00", "currency", "CNY",
                "occurredAt", DEPOSITED_AT, "memo", "interest") + "]}");

        assertThat(booked.status()).isEqualTo(201);
        assertThat(onAnotherAccount.status()).isEqualTo(409);
        assertThat(onAnotherAccount.json().get("code").asString()).isEqualTo("IDEMPOTENCY_CONFLICT");
        assertThat(sameBodyAgain.status()).isEqualTo(201);
        assertThat(sameBodyAgain.header("Idempotent-Replay")).isEqualTo("true");
        assertThat(sameBodyAgain.body()).isEqualTo(booked.body());
        assertThat(inABatch.json().get("results").get(0).get("status").asInt()).isEqualTo(409);
        assertThat(jdbc.queryForObject("select count(*) from domain_event_entry where aggregate_identifier = ?",
                Long.class, second)).as("nothing booked on the second account").isEqualTo(1);

        // Another bank may use the same id on its own account.
        String elsewhere = TestLedger.unique("ACC");
        assertThat(http.post(Http.OTHER_BANK, "/api/v1/accounts", json("accountId", elsewhere, "institutionId",
                institution, "bankAccountNo", "103300")).status()).isEqualTo(201);
        assertThat(http.post(Http.OTHER_BANK, "/api/v1/accounts/" + elsewhere + "/transactions",
                deposit(txn, "O3-" + txn, 10, "100.00", "1000.00")).status()).isEqualTo(201);
    }

    @Test
    void idsBookedBeforeTheMigrationAreClaimedByItAndKeepAnsweringTheirRepeats() throws Exception {
        Http http = new Http(port);
        String institution = TestLedger.newInstitutionId().value();
        List<String> accounts = institutionWithAccounts(http, institution, 2);
        String txn = TestLedger.unique("OLD");
        String body = deposit(txn, "O-" + txn, 10, "100.00", "1000.00");
        Answer booked = post(http, accounts.get(0), body);
        // As before the migration: the posting and its idempotency record exist, no bank-wide claim does.
        jdbc.update("delete from bank_transaction where account_id = ?", accounts.get(0));

        String migration = new String(new ClassPathResource("db/migration/V100__bank_transaction_ids.sql")
                .getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String backfill = migration.substring(migration.indexOf("insert into bank_transaction"));
        jdbc.update(backfill.substring(0, backfill.lastIndexOf(';')));

        assertThat(jdbc.queryForObject("select account_id from bank_transaction where bank_code = 'ICBC-HZ' "
                + "and bank_txn_id = ?", String.class, txn)).isEqualTo(accounts.get(0));
        Answer repeat = post(http, accounts.get(0), body);
        assertThat(repeat.status()).isEqualTo(201);
        assertThat(repeat.body()).isEqualTo(booked.body());
        assertThat(post(http, accounts.get(1), body).status()).isEqualTo(409);
    }

    @Test
    void aConsumptionOrRefundDatedBeforeItsOrdersDepositIsRefusedWithAClearReason() {
        Http http = new Http(port);
        String account = institutionWithAccounts(http, TestLedger.newInstitutionId().value(), 1).get(0);
        assertThat(post(http, account, deposit(account + "-D", "O-1", 10, "100.00", "1000.00")).status())
                .isEqualTo(201);

        Answer consumption = http.post(Http.PLATFORM, "/api/v1/accounts/" + account + "/orders/O-1/consumptions",
                json("consumptionId", "C-EARLY", "lessons", 2, "occurredAt", "2026-03-02T08:59:59+08:00"));
        Answer refund = post(http, account, json("bankTxnId", account + "-R", "type", "REFUND", "amount", "100.00",
                "currency", "CNY", "occurredAt", "2026-03-01T09:00:00+08:00", "orderId", "O-1"));

        assertThat(consumption.status()).isEqualTo(422);
        assertThat(consumption.json().get("code").asString()).isEqualTo("OCCURRED_BEFORE_DEPOSIT");
        assertThat(consumption.json().get("detail").asString()).isEqualTo("lessons of order O-1 cannot be delivered "
                + "at 2026-03-02T00:59:59Z, before the order was paid at 2026-03-02T01:00:00Z");
        assertThat(refund.status()).isEqualTo(422);
        assertThat(refund.json().get("code").asString()).isEqualTo("OCCURRED_BEFORE_DEPOSIT");
        assertThat(jdbc.queryForObject("select count(*) from domain_event_entry where aggregate_identifier = ?",
                Long.class, account)).as("nothing stored").isEqualTo(2);
        assertThat(post(http, account, json("bankTxnId", account + "-R", "type", "REFUND", "amount", "100.00",
                "currency", "CNY", "occurredAt", DEPOSITED_AT, "orderId", "O-1")).status())
                .as("the same id with a possible date is a new posting").isEqualTo(201);
    }

    @Test
    void noAsOfAnswerShowsANegativeLiabilityForAConsumptionRecordedBeforeTheRuleExisted() {
        Http http = new Http(port);
        String account = institutionWithAccounts(http, TestLedger.newInstitutionId().value(), 1).get(0);
        assertThat(post(http, account, deposit(account + "-D", "O-1", 10, "100.00", "1000.00")).status())
                .isEqualTo(201);
        // Recorded as the ledger once accepted it: lessons delivered a day before the order was paid.
        Instant dayBefore = Instant.parse("2026-03-01T01:00:00Z");
        transactions.executeWithoutResult(status -> eventStore.publish(new GenericDomainEventMessage<>(
                "EscrowAccount", account, 2, new LessonsConsumed(account, "O-1", "C-OLD", 2, 2, 8, 200_00L, dayBefore))));

        JsonNode between = http.get(Http.AUDITOR, "/api/v1/accounts/" + account
                + "/balance?asOf=2026-03-01T12:00:00Z").json();
        JsonNode after = http.get(Http.AUDITOR, "/api/v1/accounts/" + account
                + "/balance?asOf=2026-03-03T00:00:00Z").json();

        assertThat(between.get("outstandingLiability").asString()).isEqualTo("0.00");
        assertThat(between.get("balance").asString()).isEqualTo("0.00");
        assertThat(after.get("outstandingLiability").asString()).isEqualTo("800.00");
        assertThat(after.get("balance").asString()).isEqualTo("1000.00");
    }

    @Test
    void aTransferOutTakesEarnedTuitionSoItCannotBeReleasedAgain() {
        Http http = new Http(port);
        String account = institutionWithAccounts(http, TestLedger.newInstitutionId().value(), 1).get(0);
        // O-1: ¥60,000 paid, 50 of 60 lessons delivered (¥50,000 earned); O-2 ¥120,000 unearned. Floor ¥100,000.
        assertThat(post(http, account, deposit(account + "-D1", "O-1", 60, "1000.00", "60000.00")).status())
                .isEqualTo(201);
        assertThat(post(http, account, deposit(account + "-D2", "O-2", 60, "2000.00", "120000.00")).status())
                .isEqualTo(201);
        assertThat(http.post(Http.PLATFORM, "/api/v1/accounts/" + account + "/orders/O-1/consumptions", json(
                "consumptionId", "C-1", "lessons", 50, "occurredAt", "2026-03-09T18:00:00+08:00")).status())
                .isEqualTo(201);

        Answer transfer = post(http, account, json("bankTxnId", account + "-T", "type", "TRANSFER_OUT", "amount",
                "30000.00", "currency", "CNY", "occurredAt", "2026-03-10T09:00:00+08:00", "counterparty",
                "institution basic account", "purpose", "earned fees"));
        assertThat(transfer.status()).as(transfer.body()).isEqualTo(201);
        assertThat(transfer.json().get("status").asString()).isEqualTo("RECORDED");
        assertThat(transfer.json().get("balance").asString()).isEqualTo("150000.00");

        Answer releaseAgain = post(http, account, json("bankTxnId", account + "-R", "type", "RELEASE", "amount",
                "20000.01", "currency", "CNY", "occurredAt", "2026-03-10T10:00:00+08:00", "orderId", "O-1"));
        assertThat(releaseAgain.status()).isEqualTo(422);
        assertThat(releaseAgain.json().get("reason").asString()).isEqualTo("EXCEEDS_RELEASABLE");
        await().untilAsserted(() -> assertThat(http.get(Http.BANK, "/api/v1/accounts/" + account).json()
                .get("releasable").asString()).isEqualTo("20000.00"));
    }

    @Test
    void aRefundDisputeHoldsTheOrdersReleaseUntilARegulatorClosesIt() {
        Http http = new Http(port);
        String account = institutionWithAccounts(http, TestLedger.newInstitutionId().value(), 1).get(0);
        assertThat(post(http, account, deposit(account + "-D1", "O-1", 60, "5000.00", "300000.00")).status())
                .isEqualTo(201);
        assertThat(http.post(Http.PLATFORM, "/api/v1/accounts/" + account + "/orders/O-1/consumptions", json(
                "consumptionId", "C-1", "lessons", 40, "occurredAt", "2026-03-09T18:00:00+08:00")).status())
                .isEqualTo(201);
        String dispute = json("disputeId", "DSP-1", "reason", "family contests the refund", "occurredAt",
                "2026-03-09T19:00:00+08:00");

        Answer opened = http.post(Http.BANK, "/api/v1/accounts/" + account + "/orders/O-1/disputes", dispute);
        Answer openedAgain = http.post(Http.BANK, "/api/v1/accounts/" + account + "/orders/O-1/disputes", dispute);
        Answer byAnotherBank = http.post(Http.OTHER_BANK, "/api/v1/accounts/" + account + "/orders/O-1/disputes",
                json("disputeId", "DSP-2", "reason", "?", "occurredAt", "2026-03-09T19:00:00+08:00"));
        Answer closedByABank = http.post(Http.BANK, "/api/v1/accounts/" + account + "/disputes/DSP-1/close",
                json("resolution", "no"));
        Answer refused = post(http, account, json("bankTxnId", account + "-R1", "type", "RELEASE", "amount",
                "50000.00", "currency", "CNY", "occurredAt", "2026-03-10T09:00:00+08:00", "orderId", "O-1"));
        Answer refund = post(http, account, json("bankTxnId", account + "-F1", "type", "REFUND", "amount",
                "5000.00", "currency", "CNY", "occurredAt", "2026-03-10T09:00:00+08:00", "orderId", "O-1"));

        assertThat(opened.status()).as(opened.body()).isEqualTo(201);
        assertThat(opened.json().get("status").asString()).isEqualTo("OPEN");
        assertThat(openedAgain.status()).isEqualTo(201);
        assertThat(openedAgain.header("Idempotent-Replay")).isEqualTo("true");
        assertThat(byAnotherBank.status()).isEqualTo(403);
        assertThat(closedByABank.status()).isEqualTo(403);
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.json().get("reason").asString()).isEqualTo("ORDER_IN_DISPUTE");
        assertThat(refund.status()).as("refunds still pass").isEqualTo(201);

        Answer outOfRegion = http.post(Http.BEIJING, "/api/v1/accounts/" + account + "/disputes/DSP-1/close",
                json("resolution", "not ours"));
        Answer closed = http.post(Http.ZHEJIANG, "/api/v1/accounts/" + account + "/disputes/DSP-1/close",
                json("resolution", "refund confirmed"));
        Answer closedTwice = http.post(Http.ZHEJIANG, "/api/v1/accounts/" + account + "/disputes/DSP-1/close",
                json("resolution", "again"));
        Answer released = post(http, account, json("bankTxnId", account + "-R2", "type", "RELEASE", "amount",
                "50000.00", "currency", "CNY", "occurredAt", "2026-03-10T10:00:00+08:00", "orderId", "O-1"));

        assertThat(outOfRegion.status()).isEqualTo(403);
        assertThat(closed.status()).as(closed.body()).isEqualTo(200);
        assertThat(closed.json().get("orderId").asString()).isEqualTo("O-1");
        assertThat(closed.json().get("status").asString()).isEqualTo("CLOSED");
        assertThat(closedTwice.status()).isEqualTo(409);
        assertThat(closedTwice.json().get("code").asString()).isEqualTo("DISPUTE_ALREADY_CLOSED");
        assertThat(released.status()).as(released.body()).isEqualTo(201);
    }

    @Test
    void aBankReadingAnInstitutionSeesOnlyItsOwnAccountsFigures() {
        Http http = new Http(port);
        String institution = TestLedger.newInstitutionId().value();
        String icbc = institutionWithAccounts(http, institution, 1).get(0);
        String abc = TestLedger.unique("ACC");
        assertThat(http.post(Http.OTHER_BANK, "/api/v1/accounts", json("accountId", abc, "institutionId",
                institution, "bankAccountNo", "103301")).status()).isEqualTo(201);
        assertThat(post(http, icbc, deposit(icbc + "-D", "O-1", 10, "100.00", "1000.00")).status()).isEqualTo(201);
        assertThat(http.post(Http.OTHER_BANK, "/api/v1/accounts/" + abc + "/transactions",
                deposit(abc + "-D", "O-2", 20, "100.00", "2000.00")).status()).isEqualTo(201);

        await().untilAsserted(() -> assertThat(http.get(Http.ZHEJIANG, "/api/v1/institutions/" + institution)
                .json().get("totalBalance").asString()).isEqualTo("3000.00"));
        JsonNode seenByIcbc = http.get(Http.BANK, "/api/v1/institutions/" + institution).json();
        JsonNode seenByAbc = http.get(Http.OTHER_BANK, "/api/v1/institutions/" + institution).json();

        assertThat(seenByIcbc.get("accountIds").size()).isEqualTo(1);
        assertThat(seenByIcbc.get("accountIds").get(0).asString()).isEqualTo(icbc);
        assertThat(seenByIcbc.get("totalBalance").asString()).isEqualTo("1000.00");
        assertThat(seenByIcbc.get("outstandingLiability").asString()).isEqualTo("1000.00");
        assertThat(seenByAbc.get("totalBalance").asString()).isEqualTo("2000.00");
        // The ¥100,000 minimum is shared by unearned tuition, 1 : 2.
        assertThat(seenByIcbc.get("floor").asString()).isEqualTo("33333.34");
        assertThat(seenByAbc.get("floor").asString()).isEqualTo("66666.67");
        JsonNode listedForIcbc = http.get(Http.BANK, "/api/v1/institutions?size=500").json().get("content");
        assertThat(listedForIcbc).filteredOn(view -> view.get("institutionId").asString().equals(institution))
                .singleElement().satisfies(view -> assertThat(view.get("totalBalance").asString()).isEqualTo("1000.00"));
    }

    @Test
    void aRefundDisputeLeftOpenForMoreThanFourteenDaysRaisesAnAlertForTheRegulator() {
        Http http = new Http(port);
        String institution = TestLedger.newInstitutionId().value();
        accountWithDisputeOpenedDaysAgo(http, institution, "DSP-OLD", 15);

        await().until(() -> disputes.sweep(Instant.now()) > 0);
        JsonNode alerts = http.get(Http.ZHEJIANG, "/api/v1/alerts?institutionId=" + institution
                + "&code=REFUND_DISPUTE_OVERDUE").json();

        assertThat(alerts.get("content").size()).isEqualTo(1);
        assertThat(alerts.get("content").get(0).get("grade").asString()).isEqualTo("YELLOW");
        assertThat(alerts.get("content").get(0).get("summary").asString())
                .isEqualTo("refund dispute DSP-OLD on order O-1 has been open for 15 days");
        assertThat(disputes.sweep(Instant.now())).as("one alert per dispute").isZero();
    }

    @Test
    void theDisputeDeadlineIsAPolicySetting() {
        Http http = new Http(port);
        String institution = TestLedger.newInstitutionId().value();
        String account = accountWithDisputeOpenedDaysAgo(http, institution, "DSP-WEEK", 8);
        await().until(() -> jdbc.queryForObject("select count(*) from dispute_view where account_id = ?",
                Long.class, account) == 1);
        assertThat(disputes.sweep(Instant.now())).as("8 days are within the default 14").isZero();

        assertThat(http.put(Http.ZHEJIANG, "/api/v1/institutions/" + institution + "/policy", json(
                "minimumBalance", "0.00", "liabilityRatio", "0.20", "largeTransferThreshold", "50000.00",
                "largeTransferRatio", "0.30", "largeTransferRatioFrom", "10000.00",
                "alertThresholds", Map.of("refundDisputeOverdueDays", 7))).status()).isEqualTo(200);

        await().until(() -> disputes.sweep(Instant.now()) > 0);
        JsonNode alerts = http.get(Http.ZHEJIANG, "/api/v1/alerts?institutionId=" + institution
                + "&code=REFUND_DISPUTE_OVERDUE").json();
        assertThat(alerts.get("content").size()).isEqualTo(1);
        assertThat(alerts.get("content").get(0).get("summary").asString())
                .isEqualTo("refund dispute DSP-WEEK on order O-1 has been open for 8 days");
    }

    /** An institution of one account whose order O-1 has been disputed since {@code days} ago: the account. */
    private String accountWithDisputeOpenedDaysAgo(Http http, String institution, String disputeId, int days) {
        String account = institutionWithAccounts(http, institution, 1).get(0);
        assertThat(post(http, account, deposit(account + "-D1", "O-1", 10, "100.00", "1000.00")).status())
                .isEqualTo(201);
        Instant openedAt = Instant.now().minus(Duration.ofDays(days)).truncatedTo(ChronoUnit.SECONDS);
        assertThat(http.post(Http.BANK, "/api/v1/accounts/" + account + "/orders/O-1/disputes", json("disputeId",
                disputeId, "reason", "refund contested", "occurredAt", openedAt.toString())).status()).isEqualTo(201);
        return account;
    }
}
