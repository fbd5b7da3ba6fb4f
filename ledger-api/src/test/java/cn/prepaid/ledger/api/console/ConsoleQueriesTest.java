package cn.prepaid.ledger.api.console;

import cn.prepaid.ledger.api.support.Http.Answer;
import cn.prepaid.ledger.api.support.Http;
import cn.prepaid.ledger.api.support.LedgerIntegrationTest;
import cn.prepaid.ledger.store.support.TestLedger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.StreamSupport;

import static cn.prepaid.ledger.api.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the console asks of the API beyond the first contract, added without changing it: searching
 * institutions by name or credit code, ranking them by risk, an account's orders, held outflows of one
 * institution, and a history download chosen by a query parameter.
 */
@LedgerIntegrationTest
class ConsoleQueriesTest {

    @LocalServerPort
    int port;
    Http http;
    final String day = Instant.now().minus(2, ChronoUnit.DAYS).atOffset(ZoneOffset.ofHours(8)).toString();

    @BeforeEach
    void setUp() {
        http = new Http(port);
    }

    @Test
    void institutionsAreFoundByAnyPartOfTheirNameOrTheStartOfTheirCreditCode() {
        String unusual = TestLedger.unique("晨曦书法");
        String institution = register(unusual + "艺术学校", "330106");

        // the list is a read model: it shows the registration a moment later
        await().atMost(Duration.ofSeconds(10)).until(() -> ids(http.get(Http.ZHEJIANG, "/api/v1/institutions?q="
                + encoded(unusual))).equals(List.of(institution)));
        assertThat(ids(http.get(Http.ZHEJIANG, "/api/v1/institutions?q=" + institution.substring(0, 16).toLowerCase())))
                .contains(institution);
        assertThat(ids(http.get(Http.ZHEJIANG, "/api/v1/institutions?q=" + institution.substring(2)))).isEmpty();
        // a wildcard typed in the search box is a character, not "anything"
        assertThat(ids(http.get(Http.ZHEJIANG, "/api/v1/institutions?q=%25"))).isEmpty();
        // the region scope still holds
        assertThat(ids(http.get(Http.BEIJING, "/api/v1/institutions?q=" + encoded(unusual)))).isEmpty();
        assertThat(http.get(Http.ZHEJIANG, "/api/v1/institutions?sort=size").json().get("code").asString())
                .isEqualTo("VALIDATION_FAILED");
    }

    @Test
    void sortByRiskPutsTheRiskiestFirst() {
        String name = TestLedger.unique("风险排序");
        String quiet = register(name + "-安静", "330106");
        String yellow = register(name + "-黄", "330106");
        String red = register(name + "-红", "330106");
        approveWithAccount(quiet);
        deposit(approveWithAccount(yellow), 72, "50.00");
        String redAccount = approveWithAccount(red);
        deposit(redAccount, 10, "100.00");
        assertThat(posting(redAccount, json("bankTxnId", TestLedger.unique("FEE"), "type", "BANK_FEE", "amount",
                "900.00", "currency", "CNY", "occurredAt", day, "memo", "fee")).status()).isEqualTo(201);

        String query = "/api/v1/institutions?q=" + encoded(name);
        await().atMost(Duration.ofSeconds(15)).until(() -> ids(http.get(Http.ZHEJIANG, query + "&sort=risk"))
                .equals(List.of(red, yellow, quiet)));
        JsonNode ranked = http.get(Http.ZHEJIANG, query + "&sort=risk").json().get("content");
        assertThat(ranked.get(0).get("riskLevel").asString()).isEqualTo("MEDIUM");
        assertThat(ranked.get(1).get("riskLevel").asString()).isEqualTo("LOW");
        assertThat(ranked.get(2).get("riskLevel").asString()).isEqualTo("NONE");
        // without sort, the order stays by credit code, as before
        assertThat(ids(http.get(Http.ZHEJIANG, query))).isSorted();
    }

    @Test
    void anAccountsOrdersArePagedNewestFirstWithinScope() {
        String account = approveWithAccount(register(TestLedger.unique("订单学校"), "330106"));
        deposit(account, 10, "120.00");
        assertThat(posting(account, json("bankTxnId", TestLedger.unique("DEP"), "type", "DEPOSIT", "amount", "1610.00",
                "currency", "CNY", "occurredAt", Instant.now().atOffset(ZoneOffset.ofHours(8)).toString(), "orderId",
                "ORD-" + account + "-20", "studentRef", "s", "lessons", 20, "lessonPrice", "80.50", "courseStart",
                "2026-09-01", "courseEnd", "2026-11-30")).status()).isEqualTo(201);

        Answer firstPage = http.get(Http.ZHEJIANG, "/api/v1/accounts/" + account + "/orders?size=1");
        assertThat(firstPage.status()).isEqualTo(200);
        assertThat(firstPage.json().get("totalElements").asLong()).isEqualTo(2);
        JsonNode newest = firstPage.json().get("content").get(0);
        assertThat(newest.get("lessons").asInt()).isEqualTo(20);
        assertThat(newest.get("lessonPrice").asString()).isEqualTo("80.50");
        assertThat(newest.get("paid").asString()).isEqualTo("1610.00");
        assertThat(newest.get("lessonsConsumed").asInt()).isZero();
        assertThat(newest.get("courseStart").asString()).isEqualTo("2026-09-01");
        JsonNode older = http.get(Http.AUDITOR, "/api/v1/accounts/" + account + "/orders?page=1&size=1").json();
        assertThat(older.get("content").get(0).get("paid").asString()).isEqualTo("1200.00");

        assertThat(http.get(Http.BEIJING, "/api/v1/accounts/" + account + "/orders").status()).isEqualTo(403);
        assertThat(http.get(Http.ZHEJIANG, "/api/v1/accounts/no-such-account/orders").status()).isEqualTo(404);
    }

    @Test
    void heldOutflowsCanBeNarrowedToOneInstitution() {
        String institution = register(TestLedger.unique("大额学校"), "330106");
        String account = approveWithAccount(institution);
        deposit(account, 40, "1500.00");
        assertThat(http.post(Http.PLATFORM, "/api/v1/accounts/" + account + "/orders/ORD-" + account + "-40/consumptions",
                json("consumptionId", TestLedger.unique("C"), "lessons", 40, "occurredAt", day)).status()).isEqualTo(201);
        Answer held = posting(account, json("bankTxnId", TestLedger.unique("REL"), "type", "RELEASE", "amount",
                "60000.00", "currency", "CNY", "occurredAt", day, "orderId", "ORD-" + account + "-40"));
        assertThat(held.status()).isEqualTo(202);
        String heldId = held.json().get("heldOutflowId").asString();

        await().atMost(Duration.ofSeconds(10)).until(() -> http.get(Http.ZHEJIANG,
                "/api/v1/held-outflows?status=PENDING&institutionId=" + institution).json().get("totalElements")
                .asLong() == 1);
        JsonNode only = http.get(Http.ZHEJIANG, "/api/v1/held-outflows?institutionId=" + institution).json();
        assertThat(only.get("content").get(0).get("heldOutflowId").asString()).isEqualTo(heldId);
        assertThat(only.get("content").get(0).get("amount").asString()).isEqualTo("60000.00");
        assertThat(http.get(Http.ZHEJIANG, "/api/v1/held-outflows?institutionId=" + register(TestLedger.unique("空"),
                "330106")).json().get("totalElements").asLong()).isZero();
    }

    @Test
    void aHistoryDownloadLinkChoosesCsvOrNdjsonByParameter() {
        String institution = register(TestLedger.unique("下载学校"), "330106");

        Answer csv = http.get(Http.AUDITOR, "/api/v1/institutions/" + institution + "/history?format=csv");
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.contentType()).startsWith("text/csv");
        assertThat(csv.header("Content-Disposition")).contains("history-" + institution + ".csv");
        assertThat(csv.body().lines().count()).isEqualTo(2);

        Answer ndjson = http.get(Http.AUDITOR, "/api/v1/institutions/" + institution + "/history?format=ndjson");
        assertThat(ndjson.contentType()).startsWith("application/x-ndjson");
        assertThat(ndjson.body().lines().toList()).hasSize(1).first().asString().contains("InstitutionRegistered");

        Answer wrong = http.get(Http.AUDITOR, "/api/v1/institutions/" + institution + "/history?format=xml");
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.json().get("errors").get(0).get("field").asString()).isEqualTo("format");
    }

    private List<String> ids(Answer page) {
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        return StreamSupport.stream(page.json().get("content").spliterator(), false)
                .map(institution -> institution.get("institutionId").asString()).toList();
    }

    private String register(String name, String region) {
        String institution = TestLedger.newInstitutionId().value();
        assertThat(http.post(Http.ZHEJIANG, "/api/v1/institutions", json("institutionId", institution, "name", name,
                "regionCode", region, "category", "SUBJECT", "supervisionMode", "FULL_CUSTODY")).status()).isEqualTo(201);
        return institution;
    }

    private String approveWithAccount(String institution) {
        assertThat(http.post(Http.ZHEJIANG, "/api/v1/institutions/" + institution + "/approve", null).status())
                .isEqualTo(200);
        String account = TestLedger.unique("Q-ACC");
        assertThat(http.post(Http.BANK, "/api/v1/accounts", json("accountId", account, "institutionId", institution,
                "bankAccountNo", "6222" + Math.abs(account.hashCode()))).status()).isEqualTo(201);
        return account;
    }

    private void deposit(String account, int lessons, String price) {
        String amount = new BigDecimal(price).multiply(BigDecimal.valueOf(lessons)).toPlainString();
        Answer deposited = posting(account, json("bankTxnId", TestLedger.unique("DEP"), "type", "DEPOSIT", "amount",
                amount, "currency", "CNY", "occurredAt", day, "orderId", "ORD-" + account + "-" + lessons,
                "studentRef", "s", "lessons", lessons, "lessonPrice", price, "courseStart", "2026-09-01",
                "courseEnd", "2026-11-30"));
        assertThat(deposited.status()).as(deposited.body()).isEqualTo(201);
    }

    private Answer posting(String account, String body) {
        return http.post(Http.BANK, "/api/v1/accounts/" + account + "/transactions", body);
    }

    private static String encoded(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
