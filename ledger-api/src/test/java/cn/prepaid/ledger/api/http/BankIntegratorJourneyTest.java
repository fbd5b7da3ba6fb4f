package cn.prepaid.ledger.api.http;

import cn.prepaid.ledger.api.support.Http.Answer;
import cn.prepaid.ledger.api.support.Http;
import cn.prepaid.ledger.api.support.LedgerIntegrationTest;
import cn.prepaid.ledger.store.support.TestLedger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static cn.prepaid.ledger.api.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The "done when" of the API: a regulator registers and approves an institution, a bank opens its
 * account and posts deposits, the platform confirms lessons, the bank releases (one large release is
 * held and approved by the regulator), refunds and posts a statement — every answer as API.md says.
 */
@LedgerIntegrationTest
class BankIntegratorJourneyTest {

    @LocalServerPort
    int port;
    Http http;
    final Instant day = Instant.now().minus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);

    @BeforeEach
    void setUp() {
        http = new Http(port);
    }

    @Test
    void aBankIntegratorFollowingTheContractGetsTheDocumentedAnswers() {
        String institution = TestLedger.newInstitutionId().value();
        String account = TestLedger.unique("ICBC-ACC");

        Answer registered = http.post(Http.ZHEJIANG, "/api/v1/institutions", json("institutionId", institution,
                "name", "启明艺术培训", "regionCode", "330106", "category", "NON_SUBJECT",
                "supervisionMode", "FULL_CUSTODY"));
        assertThat(registered.status()).isEqualTo(201);
        assertThat(registered.json().get("status").asString()).isEqualTo("REGISTERED");
        assertThat(registered.json().get("policy").get("liabilityRatio").asString()).isEqualTo("0.20");
        assertThat(registered.json().get("policy").get("largeTransferThreshold").asString()).isEqualTo("50000.00");

        Answer approved = http.post(Http.ZHEJIANG, "/api/v1/institutions/" + institution + "/approve", null);
        assertThat(approved.status()).isEqualTo(200);
        assertThat(approved.json().get("status").asString()).isEqualTo("ACTIVE");

        Answer opened = http.post(Http.BANK, "/api/v1/accounts", json("accountId", account,
                "institutionId", institution, "bankAccountNo", "1202021109900012345"));
        assertThat(opened.status()).isEqualTo(201);
        assertThat(opened.json().get("bankCode").asString()).isEqualTo("ICBC-HZ");
        assertThat(opened.json().get("balance").asString()).isEqualTo("0.00");

        // A small course and a large one: 60 lessons x 80.00 and 50 lessons x 1,500.00.
        Answer small = deposit(account, "DEP-1", "ORD-1", 60, "80.00", "4800.00");
        assertThat(small.status()).isEqualTo(201);
        assertThat(small.json().get("status").asString()).isEqualTo("RECORDED");
        assertThat(small.json().get("balance").asString()).isEqualTo("4800.00");
        Answer large = deposit(account, "DEP-2", "ORD-2", 50, "1500.00", "75000.00");
        assertThat(large.json().get("balance").asString()).isEqualTo("79800.00");

        Answer repeat = deposit(account, "DEP-1", "ORD-1", 60, "80.00", "4800.00");
        assertThat(repeat.status()).isEqualTo(201);
        assertThat(repeat.header("Idempotent-Replay")).isEqualTo("true");
        assertThat(repeat.json()).isEqualTo(small.json());
        Answer conflicting = deposit(account, "DEP-1", "ORD-1", 59, "80.00", "4720.00");
        assertThat(conflicting.status()).isEqualTo(409);
        assertThat(conflicting.json().get("code").asString()).isEqualTo("IDEMPOTENCY_CONFLICT");

        Answer consumed = http.post(Http.PLATFORM, "/api/v1/accounts/" + account + "/orders/ORD-1/consumptions",
                json("consumptionId", "C-1", "lessons", 30, "occurredAt", at(1)));
        assertThat(consumed.status()).isEqualTo(201);
        assertThat(consumed.json().get("lessonsConsumed").asInt()).isEqualTo(30);
        assertThat(consumed.json().get("lessonsRemaining").asInt()).isEqualTo(30);
        assertThat(consumed.json().get("releasable").asString()).isEqualTo("2400.00");
        http.post(Http.PLATFORM, "/api/v1/accounts/" + account + "/orders/ORD-2/consumptions",
                json("consumptionId", "C-2", "lessons", 40, "occurredAt", at(1)));

        Answer released = posting(account, json("bankTxnId", "REL-1", "type", "RELEASE", "amount", "2400.00",
                "currency", "CNY", "occurredAt", at(2), "orderId", "ORD-1"));
        assertThat(released.status()).isEqualTo(201);
        assertThat(released.json().get("status").asString()).isEqualTo("RELEASED");
        assertThat(released.json().get("balance").asString()).isEqualTo("77400.00");

        Answer tooMuch = posting(account, json("bankTxnId", "REL-2", "type", "RELEASE", "amount", "100.00",
                "currency", "CNY", "occurredAt", at(2), "orderId", "ORD-1"));
        assertThat(tooMuch.status()).isEqualTo(422);
        assertThat(tooMuch.contentType()).startsWith("application/problem+json");
        assertThat(tooMuch.json().get("code").asString()).isEqualTo("OUTFLOW_REJECTED");
        assertThat(tooMuch.json().get("reason").asString()).isEqualTo("EXCEEDS_RELEASABLE");

        Answer held = posting(account, json("bankTxnId", "REL-3", "type", "RELEASE", "amount", "60000.00",
                "currency", "CNY", "occurredAt", at(2), "orderId", "ORD-2"));
        assertThat(held.status()).isEqualTo(202);
        assertThat(held.json().get("status").asString()).isEqualTo("HELD");
        String heldId = held.json().get("heldOutflowId").asString();
        assertThat(heldId).isNotBlank();

        Answer decided = http.post(Http.ZHEJIANG, "/api/v1/held-outflows/" + heldId + "/approve",
                json("note", "term completed as planned"));
        assertThat(decided.status()).isEqualTo(200);
        assertThat(decided.json().get("status").asString()).isEqualTo("APPROVED");
        assertThat(decided.json().get("postingId").asString()).isNotBlank();
        assertThat(decided.json().get("balance").asString()).isEqualTo("17400.00");
        assertThat(http.post(Http.ZHEJIANG, "/api/v1/held-outflows/" + heldId + "/approve", null).status())
                .isEqualTo(409);

        Answer refunded = posting(account, json("bankTxnId", "REF-1", "type", "REFUND", "amount", "2400.00",
                "currency", "CNY", "occurredAt", at(2), "orderId", "ORD-1"));
        assertThat(refunded.status()).isEqualTo(201);
        assertThat(refunded.json().get("status").asString()).isEqualTo("REFUNDED");
        assertThat(refunded.json().get("balance").asString()).isEqualTo("15000.00");

        // Day 0 (Shanghai): two deposits; the bank's statement agrees.
        // (from the instant itself: at(0) drops ":00" seconds, which Instant.parse refuses, once a minute)
        String statementDay = java.time.LocalDate.ofInstant(day, java.time.ZoneId.of("Asia/Shanghai")).toString();
        Answer statement = http.post(Http.BANK, "/api/v1/accounts/" + account + "/statements", json(
                "statementId", "ST-" + account, "statementDate", statementDay, "closingBalance", "79800.00",
                "transactionCount", 2));
        assertThat(statement.status()).isEqualTo(200);
        assertThat(statement.json().get("result").asString()).isEqualTo("RECONCILED");
        assertThat(statement.json().get("ledgerBalance").asString()).isEqualTo("79800.00");

        JsonNode view = http.get(Http.AUDITOR, "/api/v1/accounts/" + account).json();
        assertThat(view.get("balance").asString()).isEqualTo("15000.00");
        assertThat(view.get("outstandingLiability").asString()).isEqualTo("15000.00");
        assertThat(view.get("orderCount").asInt()).isEqualTo(2);
        JsonNode institutionView = http.get(Http.BANK, "/api/v1/institutions/" + institution).json();
        assertThat(institutionView.get("accountIds").get(0).asString()).isEqualTo(account);
        assertThat(institutionView.get("totalBalance").asString()).isEqualTo("15000.00");
    }

    private Answer deposit(String account, String txn, String order, int lessons, String price, String amount) {
        return posting(account, json("bankTxnId", txn, "type", "DEPOSIT", "amount", amount, "currency", "CNY",
                "occurredAt", at(0), "orderId", order, "studentRef", "stu-" + order, "lessons", lessons,
                "lessonPrice", price, "courseStart", "2026-03-02", "courseEnd", "2026-05-31"));
    }

    private Answer posting(String account, String body) {
        return http.post(Http.BANK, "/api/v1/accounts/" + account + "/transactions", body);
    }

    private String at(int dayOffset) {
        return day.plus(dayOffset, ChronoUnit.DAYS).atOffset(java.time.ZoneOffset.ofHours(8)).toString();
    }
}
