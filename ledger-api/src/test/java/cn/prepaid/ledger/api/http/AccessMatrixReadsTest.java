package cn.prepaid.ledger.api.http;

import cn.prepaid.ledger.api.http.AccessMatrix.Caller;
import cn.prepaid.ledger.api.http.AccessMatrix.Case;
import cn.prepaid.ledger.api.support.Http.Answer;
import cn.prepaid.ledger.api.support.Http;
import cn.prepaid.ledger.api.support.LedgerIntegrationTest;
import cn.prepaid.ledger.store.support.TestLedger;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static cn.prepaid.ledger.api.http.AccessMatrix.allow;
import static cn.prepaid.ledger.api.http.AccessMatrix.expect;
import static cn.prepaid.ledger.api.http.AccessMatrix.row;
import static cn.prepaid.ledger.api.support.Http.json;
import static cn.prepaid.ledger.api.support.ProblemChecks.code;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The access matrix of API.md for the reading side and the supervision tools: institution lists, held
 * outflows, a bank's webhooks and refund obligations, alerts (and their acknowledgement), the audit
 * endpoints and the dead-letter queue, each
 * called by every kind of caller. Missing or unknown key → 401 (problem+json, code UNAUTHORIZED); a
 * known key out of role or out of scope → 403 (code FORBIDDEN); an allowed caller gets the success
 * status, and where a list is scoped, only what lies in its scope.
 *
 * <p>As in {@link AccessMatrixTest}, each endpoint is one row: the request every caller sends and the
 * callers allowed to send it; every caller not named is expected to be refused.
 */
@LedgerIntegrationTest
class AccessMatrixReadsTest {

    private static final String API = "/api/v1";

    @LocalServerPort
    int port;
    Http http;

    private final String occurredAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(1, ChronoUnit.HOURS)
            .atOffset(ZoneOffset.ofHours(8)).toString();

    // the fixture
    private String institution;      // 330106, ACTIVE; ICBC-HZ accounts only
    private String account;          // ICBC-HZ account of institution
    private String secondAccount;    // another ICBC-HZ account of institution
    private String abcInstitution;   // 330106, ACTIVE; one ABC-HZ account only
    private String alert;            // REJECTED_OUTFLOW on account: acknowledged by Zhejiang; refused callers target it
    private String nationalAlert;    // REJECTED_OUTFLOW on secondAccount: acknowledged by the national regulator

    @TestFactory
    Stream<DynamicTest> everyCallerGetsTheDocumentedAnswerOnEveryReadAndSupervisionEndpoint() {
        http = new Http(port);
        buildFixture();

        List<Case> cases = new ArrayList<>();
        cases.addAll(institutionListCases());
        cases.addAll(heldOutflowCases());
        cases.addAll(bankNoticeCases());
        cases.addAll(alertCases());
        cases.addAll(auditCases());
        cases.addAll(deadLetterCases());

        Stream<DynamicTest> matrix = cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> AccessMatrix.run(http, c)));
        return Stream.concat(matrix, Stream.of(DynamicTest.dynamicTest(
                "refused acknowledgements stored nothing: one step, by Zhejiang", () -> {
                    JsonNode after = http.get(Http.AUDITOR, API + "/alerts/" + alert).json();
                    assertThat(after.get("status").asString()).isEqualTo("ACKNOWLEDGED");
                    assertThat(after.get("history")).as("history: %s", after).hasSize(1);
                    assertThat(after.get("history").get(0).get("by").asString()).isEqualTo("zhejiang-education");
                })));
    }

    // ------------------------------------------------------------------------------------------ the rows

    private List<Case> institutionListCases() {
        return row("GET /institutions", "GET", () -> API + "/institutions?size=500", () -> null,
                allow(Caller.BANK_OWN, 200).then(sees(Http.BANK, Set.of(institution), Set.of(abcInstitution), "")),
                allow(Caller.BANK_OTHER, 200).then(sees(Http.OTHER_BANK, Set.of(abcInstitution), Set.of(institution), "")),
                allow(Caller.PLATFORM, 200).then(sees(Http.PLATFORM, Set.of(institution, abcInstitution), Set.of(), "")),
                allow(Caller.REGULATOR_NATIONAL, 200)
                        .then(sees(Http.REGULATOR, Set.of(institution, abcInstitution), Set.of(), "")),
                allow(Caller.REGULATOR_IN_REGION, 200)
                        .then(sees(Http.ZHEJIANG, Set.of(institution, abcInstitution), Set.of(), "33")),
                allow(Caller.REGULATOR_OUT_OF_REGION, 200)
                        .then(sees(Http.BEIJING, Set.of(), Set.of(institution, abcInstitution), "11")),
                allow(Caller.AUDITOR, 200).then(sees(Http.AUDITOR, Set.of(institution, abcInstitution), Set.of(), "")));
    }

    private List<Case> heldOutflowCases() {
        return row("GET /held-outflows", "GET", () -> API + "/held-outflows", () -> null,
                allow(Caller.BANK_OWN, 200).then(isPage()),
                allow(Caller.BANK_OTHER, 200).then(isPage()),
                allow(Caller.REGULATOR_NATIONAL, 200).then(isPage()),
                allow(Caller.REGULATOR_IN_REGION, 200).then(isPage()),
                allow(Caller.REGULATOR_OUT_OF_REGION, 200).then(isPage()));
    }

    /** What a bank reads to hear back: its webhooks, and the refund obligations of institutions it holds. */
    private List<Case> bankNoticeCases() {
        List<Case> cases = new ArrayList<>(row("GET /webhooks", "GET", () -> API + "/webhooks", () -> null,
                allow(Caller.BANK_OWN, 200).then(isPage()),
                allow(Caller.BANK_OTHER, 200).then(isPage())));
        cases.addAll(row("GET /institutions/{id}/refund-obligations", "GET",
                () -> API + "/institutions/" + institution + "/refund-obligations", () -> null,
                allow(Caller.BANK_OWN, 200).then(isPage()),
                allow(Caller.PLATFORM, 200).then(isPage()),
                allow(Caller.REGULATOR_NATIONAL, 200).then(isPage()),
                allow(Caller.REGULATOR_IN_REGION, 200).then(isPage()),
                allow(Caller.AUDITOR, 200).then(isPage())));
        return cases;
    }

    private List<Case> alertCases() {
        List<Case> cases = new ArrayList<>();
        cases.addAll(row("GET /alerts?institutionId=", "GET", () -> API + "/alerts?institutionId=" + institution,
                () -> null,
                allow(Caller.REGULATOR_NATIONAL, 200).then(alertIds(Set.of(alert, nationalAlert))),
                allow(Caller.REGULATOR_IN_REGION, 200).then(alertIds(Set.of(alert, nationalAlert))),
                allow(Caller.REGULATOR_OUT_OF_REGION, 200).then(alertIds(Set.of())),
                allow(Caller.AUDITOR, 200).then(alertIds(Set.of(alert, nationalAlert)))));
        cases.addAll(row("GET /alerts/{id}", "GET", () -> API + "/alerts/" + alert, () -> null,
                allow(Caller.REGULATOR_NATIONAL, 200).then(field("alertId", () -> alert)),
                allow(Caller.REGULATOR_IN_REGION, 200).then(field("alertId", () -> alert)),
                allow(Caller.AUDITOR, 200).then(field("alertId", () -> alert))));

        // refused callers go first, while the alert is still OPEN, so only access can refuse them
        List<Case> acknowledge = new ArrayList<>(row("POST /alerts/{id}/acknowledge", "POST",
                () -> API + "/alerts/" + alert + "/acknowledge", () -> json("note", "access matrix"),
                allow(Caller.REGULATOR_NATIONAL, 200).at(() -> API + "/alerts/" + nationalAlert + "/acknowledge")
                        .then(field("status", () -> "ACKNOWLEDGED")),
                allow(Caller.REGULATOR_IN_REGION, 200).then(field("status", () -> "ACKNOWLEDGED"))));
        acknowledge.sort(Comparator.comparing(c -> c.expected() == 200));
        cases.addAll(acknowledge);
        cases.add(new Case("POST /alerts/{id}/acknowledge (twice)", Caller.REGULATOR_IN_REGION, "POST",
                () -> API + "/alerts/" + alert + "/acknowledge", () -> json("note", "again"), 409,
                code("ALERT_STATUS_CONFLICT")));
        return cases;
    }

    private List<Case> auditCases() {
        List<Case> cases = new ArrayList<>();
        cases.addAll(row("GET /institutions/{id}/verify", "GET", () -> API + "/institutions/" + institution + "/verify",
                () -> null,
                allow(Caller.REGULATOR_NATIONAL, 200).then(valid()),
                allow(Caller.REGULATOR_IN_REGION, 200).then(valid()),
                allow(Caller.AUDITOR, 200).then(valid())));
        cases.addAll(row("GET /institutions/{id}/history", "GET", () -> API + "/institutions/" + institution + "/history",
                () -> null,
                allow(Caller.REGULATOR_NATIONAL, 200).then(history()),
                allow(Caller.REGULATOR_IN_REGION, 200).then(history()),
                allow(Caller.AUDITOR, 200).then(history())));
        cases.addAll(row("GET /accounts/{id}/balance", "GET", () -> API + "/accounts/" + account + "/balance",
                () -> null,
                allow(Caller.REGULATOR_NATIONAL, 200).then(field("balance", () -> "0.00")),
                allow(Caller.REGULATOR_IN_REGION, 200).then(field("balance", () -> "0.00")),
                allow(Caller.AUDITOR, 200).then(field("balance", () -> "0.00"))));
        cases.addAll(row("POST /audit/replays {institutionId}", "POST", () -> API + "/audit/replays",
                () -> json("institutionId", institution),
                allow(Caller.REGULATOR_NATIONAL, 202).then(hasText("replayId")),
                allow(Caller.REGULATOR_IN_REGION, 202).then(hasText("replayId")),
                allow(Caller.AUDITOR, 202).then(hasText("replayId"))));
        return cases;
    }

    private List<Case> deadLetterCases() {
        List<Case> cases = new ArrayList<>();
        cases.addAll(row("GET /dead-letters", "GET", () -> API + "/dead-letters", () -> null,
                allow(Caller.REGULATOR_NATIONAL, 200).then(answer -> assertThat(answer.json().has("parked")).isTrue())));
        cases.addAll(row("POST /dead-letters/retry", "POST", () -> API + "/dead-letters/retry", () -> null,
                allow(Caller.REGULATOR_NATIONAL, 200).then(answer -> assertThat(answer.json().has("retried")).isTrue())));
        return cases;
    }

    // ------------------------------------------------------------------------------------------ running

    private static Consumer<Answer> field(String name, Supplier<String> value) {
        return answer -> assertThat(answer.json().get(name).asString()).as(name).isEqualTo(value.get());
    }

    private static Consumer<Answer> hasText(String name) {
        return answer -> assertThat(answer.json().get(name).asString()).as(name).isNotBlank();
    }

    private static Consumer<Answer> isPage() {
        return answer -> {
            assertThat(answer.json().get("content").isArray()).as("content is a list").isTrue();
            assertThat(answer.json().has("totalElements")).as("totalElements").isTrue();
        };
    }

    private static Consumer<Answer> valid() {
        return answer -> {
            assertThat(answer.json().get("valid").asBoolean()).as("valid").isTrue();
            assertThat(answer.json().get("eventsChecked").asLong()).as("eventsChecked").isPositive();
        };
    }

    private Consumer<Answer> history() {
        return answer -> {
            assertThat(answer.contentType()).startsWith("application/x-ndjson");
            assertThat(answer.body()).contains(institution).contains(account);
        };
    }

    /** The alerts of the page, exactly these ids. */
    private static Consumer<Answer> alertIds(Set<String> expected) {
        return answer -> {
            Set<String> ids = new HashSet<>();
            answer.json().get("content").forEach(alert -> ids.add(alert.get("alertId").asString()));
            assertThat(ids).isEqualTo(expected);
        };
    }

    /**
     * Across every page of the caller's list: the institutions that must and must not be there, and every
     * institution in the caller's region prefix (for regulators).
     */
    private Consumer<Answer> sees(String key, Set<String> present, Set<String> absent, String regionPrefix) {
        return first -> {
            Set<String> ids = new HashSet<>();
            JsonNode page = first.json();
            for (int n = 1; ; n++) {
                page.get("content").forEach(institution -> {
                    ids.add(institution.get("institutionId").asString());
                    assertThat(institution.get("regionCode").asString()).as("regionCode of %s", institution)
                            .startsWith(regionPrefix);
                });
                if ((long) n * 500 >= page.get("totalElements").asLong()) {
                    break;
                }
                Answer next = http.get(key, API + "/institutions?size=500&page=" + n);
                assertThat(next.status()).isEqualTo(200);
                page = next.json();
            }
            assertThat(ids).containsAll(present);
            absent.forEach(outOfScope -> assertThat(ids).as("institutions listed").doesNotContain(outOfScope));
        };
    }

    // ------------------------------------------------------------------------------------------ the fixture

    private void buildFixture() {
        Http.Opened opened = http.openActiveAccount("AMR-ACC");
        institution = opened.institution();
        account = opened.account();
        secondAccount = TestLedger.unique("AMR-ACC");
        expect(http.post(Http.BANK, API + "/accounts", json("accountId", secondAccount, "institutionId", institution,
                "bankAccountNo", "6222000011112222")), 201);

        abcInstitution = TestLedger.newInstitutionId().value();
        expect(http.post(Http.ZHEJIANG, API + "/institutions", json("institutionId", abcInstitution,
                "name", "访问矩阵读取学校", "regionCode", "330106", "category", "NON_SUBJECT",
                "supervisionMode", "FULL_CUSTODY")), 201);
        expect(http.post(Http.ZHEJIANG, API + "/institutions/" + abcInstitution + "/approve", null), 200);
        expect(http.post(Http.OTHER_BANK, API + "/accounts", json("accountId", TestLedger.unique("AMR-ABC"),
                "institutionId", abcInstitution, "bankAccountNo", "6228000033334444")), 201);

        // a release for an order the account never had: refused (422), and the refusal raises an alert
        for (String refusedOn : List.of(account, secondAccount)) {
            expect(http.post(Http.BANK, API + "/accounts/" + refusedOn + "/transactions", json(
                    "bankTxnId", TestLedger.unique("AMR-REL"), "type", "RELEASE", "amount", "10.00",
                    "currency", "CNY", "occurredAt", occurredAt, "orderId", "NO-SUCH-ORDER")), 422);
        }
        Map<String, String> alertByAccount = new java.util.HashMap<>();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode content = http.get(Http.ZHEJIANG, API + "/alerts?institutionId=" + institution
                    + "&code=REJECTED_OUTFLOW").json().get("content");
            content.forEach(found -> alertByAccount.put(found.get("accountId").asString(),
                    found.get("alertId").asString()));
            assertThat(alertByAccount).containsKeys(account, secondAccount);
        });
        alert = alertByAccount.get(account);
        nationalAlert = alertByAccount.get(secondAccount);

        // the lists read the read model: wait until it holds both institutions and their accounts
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(http.get(Http.BANK, API + "/institutions/" + institution).status()).isEqualTo(200);
            assertThat(http.get(Http.OTHER_BANK, API + "/institutions/" + abcInstitution).status()).isEqualTo(200);
            assertThat(http.get(Http.BANK, API + "/institutions?size=500").body()).contains(institution);
            assertThat(http.get(Http.OTHER_BANK, API + "/institutions?size=500").body()).contains(abcInstitution);
        });
    }

}
