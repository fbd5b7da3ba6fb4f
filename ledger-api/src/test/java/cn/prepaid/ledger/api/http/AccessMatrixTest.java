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
import tools.jackson.databind.json.JsonMapper;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static cn.prepaid.ledger.api.http.AccessMatrix.allow;
import static cn.prepaid.ledger.api.http.AccessMatrix.expect;
import static cn.prepaid.ledger.api.http.AccessMatrix.row;
import static cn.prepaid.ledger.api.support.Http.json;
import static cn.prepaid.ledger.api.support.ProblemChecks.code;
import static cn.prepaid.ledger.api.support.ProblemChecks.forbidden;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The access matrix of API.md: every write and read endpoint that exists, called by every kind of
 * caller. Missing or unknown key → 401 (problem+json, code UNAUTHORIZED, WWW-Authenticate); a known key
 * out of role or out of scope → 403 (code FORBIDDEN); an allowed caller gets the success status, or the
 * domain's own answer where the domain refuses (e.g. deciding twice → 409). Every request body is valid,
 * so access is the only reason for a refusal. Refused writes must store nothing, which the last checks
 * confirm on the targets the refused writes aimed at.
 *
 * <p>Each endpoint is one row: the request every caller sends, and the callers allowed to send it (with
 * their expected answer, and a fresh target where a success changes state). Every caller not named is
 * expected to be refused: 401 without a known key, 403 otherwise. The cases run in the order listed.
 */
@LedgerIntegrationTest
class AccessMatrixTest {

    private static final String API = "/api/v1";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final String REGION = "330106";           // Hangzhou Xihu: Zhejiang ("33"), not Beijing ("11")

    @LocalServerPort
    int port;
    Http http;

    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private final String depositedAt = at(now.minus(2, ChronoUnit.DAYS));
    private final String consumedAt = at(now.minus(1, ChronoUnit.DAYS));
    private final LocalDate courseStart = LocalDate.ofInstant(now, SHANGHAI).minusDays(5);

    // the fixture
    private String institution;        // 330106, registered and approved by Zhejiang; holds the ICBC accounts
    private String account;            // ICBC-HZ: deposits, consumed lessons, held releases
    private String pendingInstitution; // 330106, registered only: target of the refused institution writes
    private String spareInstitution;   // 330106, active: where banks open accounts during the matrix
    private String unfrozenAccount;    // ICBC-HZ on institution: target of the refused freezes
    private String frozenAccount;      // ICBC-HZ on institution, frozen: target of the refused unfreezes
    private String heldForNational;    // held releases on account, one per successful decision...
    private String heldForZhejiang;
    private String heldToRejectNational;
    private String heldToRejectZhejiang;
    private String heldUntouched;      // ...and one only refused callers try to decide
    private JsonNode accountBefore;

    @TestFactory
    Stream<DynamicTest> everyCallerGetsTheDocumentedAnswerOnEveryEndpoint() {
        http = new Http(port);
        buildFixture();

        List<Case> cases = new ArrayList<>();
        cases.addAll(institutionCases());
        cases.addAll(accountCases());
        cases.addAll(postingCases());
        cases.addAll(consumptionAndHeldOutflowCases());

        Stream<DynamicTest> matrix = cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> AccessMatrix.run(http, c)));
        return Stream.concat(matrix, refusedWritesStoredNothing());
    }

    // ------------------------------------------------------------------------------------------ the rows

    private List<Case> institutionCases() {
        List<Case> cases = new ArrayList<>();
        cases.addAll(row("POST /institutions", "POST", () -> API + "/institutions", () -> registration(REGION),
                allow(Caller.REGULATOR_NATIONAL, 201).then(registered()),
                allow(Caller.REGULATOR_IN_REGION, 201).then(registered())));
        cases.add(single("POST /institutions (region 110105)", Caller.REGULATOR_OUT_OF_REGION, "POST",
                () -> API + "/institutions", () -> registration("110105"), 201, registered()));
        cases.add(single("POST /institutions (region 110105)", Caller.REGULATOR_IN_REGION, "POST",
                () -> API + "/institutions", () -> registration("110105"), 403, forbidden()));

        cases.addAll(row("POST /institutions/{id}/approve", "POST",
                () -> institutionPath(pendingInstitution) + "/approve", () -> null,
                allow(Caller.REGULATOR_NATIONAL, 200).at(() -> institutionPath(registeredInstitution()) + "/approve")
                        .then(status("ACTIVE")),
                allow(Caller.REGULATOR_IN_REGION, 200).at(() -> institutionPath(registeredInstitution()) + "/approve")
                        .then(status("ACTIVE"))));
        cases.add(single("POST /institutions/{id}/approve (already active)", Caller.REGULATOR_IN_REGION, "POST",
                () -> institutionPath(institution) + "/approve", () -> null, 409, code("ILLEGAL_STATUS_TRANSITION")));

        for (String[] change : new String[][]{{"suspend", "SUSPENDED"}, {"blacklist", "BLACKLISTED"},
                {"close", "CLOSED"}}) {
            String verb = change[0];
            cases.addAll(row("POST /institutions/{id}/" + verb, "POST",
                    () -> institutionPath(pendingInstitution) + "/" + verb, () -> json("reason", "access matrix"),
                    allow(Caller.REGULATOR_NATIONAL, 200).at(() -> institutionPath(activeInstitution()) + "/" + verb)
                            .then(status(change[1])),
                    allow(Caller.REGULATOR_IN_REGION, 200).at(() -> institutionPath(activeInstitution()) + "/" + verb)
                            .then(status(change[1]))));
        }

        cases.addAll(row("PUT /institutions/{id}/policy", "PUT",
                () -> institutionPath(pendingInstitution) + "/policy", AccessMatrixTest::strictPolicy,
                allow(Caller.REGULATOR_NATIONAL, 200).at(() -> institutionPath(activeInstitution()) + "/policy")
                        .then(minimumBalance("1000.00")),
                allow(Caller.REGULATOR_IN_REGION, 200).at(() -> institutionPath(activeInstitution()) + "/policy")
                        .then(minimumBalance("1000.00"))));

        // a bank reads an institution only while it holds one of its accounts: ICBC does, ABC does not
        cases.addAll(row("GET /institutions/{id}", "GET", () -> institutionPath(institution), () -> null,
                allow(Caller.BANK_OWN, 200).then(field("institutionId", institution)),
                allow(Caller.PLATFORM, 200),
                allow(Caller.REGULATOR_NATIONAL, 200),
                allow(Caller.REGULATOR_IN_REGION, 200),
                allow(Caller.AUDITOR, 200)));
        return cases;
    }

    private List<Case> accountCases() {
        List<Case> cases = new ArrayList<>();
        // the bank code comes from the key, so either bank may open an account (for the spare institution)
        cases.addAll(row("POST /accounts", "POST", () -> API + "/accounts", () -> opening(spareInstitution),
                allow(Caller.BANK_OWN, 201).then(field("bankCode", "ICBC-HZ")),
                allow(Caller.BANK_OTHER, 201).then(field("bankCode", "ABC-HZ"))));
        cases.add(single("GET /institutions/{id} (after ABC opened an account there)", Caller.BANK_OTHER, "GET",
                () -> institutionPath(spareInstitution), () -> null, 200, field("institutionId", spareInstitution)));
        cases.add(single("POST /accounts (ICBC's account id, same body)", Caller.BANK_OTHER, "POST",
                () -> API + "/accounts", () -> json("accountId", account, "institutionId", institution,
                        "bankAccountNo", "1202021109900012345"), 409, code("IDEMPOTENCY_CONFLICT")));

        cases.addAll(row("GET /accounts/{id}", "GET", () -> accountPath(account), () -> null,
                allow(Caller.BANK_OWN, 200).then(field("accountId", account)),
                allow(Caller.PLATFORM, 200),
                allow(Caller.REGULATOR_NATIONAL, 200),
                allow(Caller.REGULATOR_IN_REGION, 200),
                allow(Caller.AUDITOR, 200)));

        // every success freezes (or unfreezes) an account of its own, so no success depends on another
        cases.addAll(row("POST /accounts/{id}/freeze", "POST", () -> accountPath(unfrozenAccount) + "/freeze",
                () -> json("reason", "access matrix"),
                allow(Caller.REGULATOR_NATIONAL, 200).at(() -> accountPath(openAccount()) + "/freeze").then(frozen(true)),
                allow(Caller.REGULATOR_IN_REGION, 200).at(() -> accountPath(openAccount()) + "/freeze").then(frozen(true))));
        cases.add(single("POST /accounts/{id}/freeze (already frozen)", Caller.REGULATOR_IN_REGION, "POST",
                () -> accountPath(frozenAccount) + "/freeze", () -> json("reason", "again"), 409,
                code("ACCOUNT_ALREADY_FROZEN")));
        cases.addAll(row("POST /accounts/{id}/unfreeze", "POST", () -> accountPath(frozenAccount) + "/unfreeze",
                () -> json("reason", "access matrix"),
                allow(Caller.REGULATOR_NATIONAL, 200).at(() -> accountPath(frozenNewAccount()) + "/unfreeze")
                        .then(frozen(false)),
                allow(Caller.REGULATOR_IN_REGION, 200).at(() -> accountPath(frozenNewAccount()) + "/unfreeze")
                        .then(frozen(false))));
        return cases;
    }

    private List<Case> postingCases() {
        List<Case> cases = new ArrayList<>();
        cases.addAll(row("POST /accounts/{id}/transactions", "POST", () -> accountPath(account) + "/transactions",
                () -> write(deposit(null)),
                allow(Caller.BANK_OWN, 201).then(field("status", "RECORDED"))));

        // a batch is answered 200 with each item's own answer: the other bank's item is refused in the item
        cases.addAll(row("POST /transactions/batch", "POST", () -> API + "/transactions/batch",
                () -> json("transactions", List.of(deposit(account))),
                allow(Caller.BANK_OWN, 200).then(item(201, "status", "RECORDED")),
                allow(Caller.BANK_OTHER, 200).then(item(403, "code", "FORBIDDEN"))));

        String statementDate = OffsetDateTime.parse(depositedAt).atZoneSameInstant(SHANGHAI).toLocalDate().toString();
        cases.addAll(row("POST /accounts/{id}/statements", "POST", () -> accountPath(account) + "/statements",
                () -> json("statementId", TestLedger.unique("AM-ST"), "statementDate", statementDate,
                        "closingBalance", "304000.00", "transactionCount", 2),
                allow(Caller.BANK_OWN, 200).then(answer -> assertThat(answer.json().get("result").asString())
                        .isIn("RECONCILED", "MISMATCHED"))));
        return cases;
    }

    private List<Case> consumptionAndHeldOutflowCases() {
        List<Case> cases = new ArrayList<>();
        cases.addAll(row("POST /accounts/{id}/orders/{orderId}/consumptions", "POST",
                () -> accountPath(account) + "/orders/ORD-OPEN/consumptions",
                () -> json("consumptionId", TestLedger.unique("AM-CONS"), "lessons", 1, "occurredAt", consumedAt),
                allow(Caller.PLATFORM, 201).then(field("orderId", "ORD-OPEN"))));

        cases.addAll(row("POST /held-outflows/{id}/approve", "POST", () -> heldPath(heldUntouched) + "/approve",
                () -> json("note", "access matrix"),
                allow(Caller.REGULATOR_NATIONAL, 200).at(() -> heldPath(heldForNational) + "/approve")
                        .then(field("status", "APPROVED")),
                allow(Caller.REGULATOR_IN_REGION, 200).at(() -> heldPath(heldForZhejiang) + "/approve")
                        .then(field("status", "APPROVED"))));
        cases.add(single("POST /held-outflows/{id}/approve (decided twice)", Caller.REGULATOR_IN_REGION, "POST",
                () -> heldPath(heldForNational) + "/approve", () -> json("note", "again"), 409,
                code("HELD_OUTFLOW_ALREADY_DECIDED")));

        cases.addAll(row("POST /held-outflows/{id}/reject", "POST", () -> heldPath(heldUntouched) + "/reject",
                () -> json("reason", "access matrix"),
                allow(Caller.REGULATOR_NATIONAL, 200).at(() -> heldPath(heldToRejectNational) + "/reject")
                        .then(field("status", "REJECTED")),
                allow(Caller.REGULATOR_IN_REGION, 200).at(() -> heldPath(heldToRejectZhejiang) + "/reject")
                        .then(field("status", "REJECTED"))));
        cases.add(single("POST /held-outflows/{id}/reject (decided twice)", Caller.REGULATOR_NATIONAL, "POST",
                () -> heldPath(heldForZhejiang) + "/reject", () -> json("reason", "again"), 409,
                code("HELD_OUTFLOW_ALREADY_DECIDED")));
        return cases;
    }

    /**
     * After the matrix: the targets of the refused writes are as the fixture left them, apart from what
     * the allowed callers did (on the main account: one single and one batch deposit of 100.00 each, and
     * two approved releases of 50,000.00).
     */
    private Stream<DynamicTest> refusedWritesStoredNothing() {
        return Stream.of(
                DynamicTest.dynamicTest("refused postings and decisions stored nothing: account balance and orders", () -> {
                    JsonNode after = http.get(Http.AUDITOR, accountPath(account)).json();
                    assertThat(after.get("orderCount").asInt())
                            .as("orderCount: %d before + 2 allowed deposits", accountBefore.get("orderCount").asInt())
                            .isEqualTo(accountBefore.get("orderCount").asInt() + 2);
                    assertThat(new BigDecimal(after.get("balance").asString()))
                            .as("balance: %s before + 2 x 100.00 deposited - 2 x 50,000.00 approved",
                                    accountBefore.get("balance").asString())
                            .isEqualByComparingTo(new BigDecimal(accountBefore.get("balance").asString())
                                    .add(new BigDecimal("200.00")).subtract(new BigDecimal("100000.00")));
                    assertThat(after.get("frozen").asBoolean()).isFalse();
                }),
                DynamicTest.dynamicTest("refused institution writes stored nothing: status, policy, accounts", () -> {
                    JsonNode pending = http.get(Http.AUDITOR, institutionPath(pendingInstitution)).json();
                    assertThat(pending.get("status").asString()).isEqualTo("REGISTERED");
                    assertThat(pending.get("policy").get("minimumBalance").asString()).isEqualTo("0.00");
                    assertThat(pending.get("policy").get("largeTransferThreshold").asString()).isEqualTo("50000.00");
                    assertThat(pending.get("accountIds")).isEmpty();
                    JsonNode active = http.get(Http.AUDITOR, institutionPath(institution)).json();
                    assertThat(active.get("status").asString()).isEqualTo("ACTIVE");
                }),
                DynamicTest.dynamicTest("refused freezes and unfreezes stored nothing", () -> {
                    assertThat(http.get(Http.AUDITOR, accountPath(unfrozenAccount)).json().get("frozen").asBoolean())
                            .as("the account refused callers tried to freeze").isFalse();
                    assertThat(http.get(Http.AUDITOR, accountPath(frozenAccount)).json().get("frozen").asBoolean())
                            .as("the account refused callers tried to unfreeze").isTrue();
                }),
                DynamicTest.dynamicTest("refused decisions stored nothing: the held outflow is still pending", () -> {
                    Answer decided = http.post(Http.ZHEJIANG, heldPath(heldUntouched) + "/approve",
                            json("note", "after the matrix"));
                    assertThat(decided.status()).as(decided.body()).isEqualTo(200);
                    assertThat(decided.json().get("status").asString()).isEqualTo("APPROVED");
                }));
    }

    // ------------------------------------------------------------------------------------------ running

    private static Case single(String endpoint, Caller caller, String method, Supplier<String> path,
                               Supplier<String> body, int expected, Consumer<Answer> check) {
        return new Case(endpoint, caller, method, path, body, expected, check);
    }

    private static Consumer<Answer> field(String name, String value) {
        return answer -> assertThat(answer.json().get(name).asString()).as(name).isEqualTo(value);
    }

    private static Consumer<Answer> status(String institutionStatus) {
        return field("status", institutionStatus);
    }

    private static Consumer<Answer> registered() {
        return status("REGISTERED");
    }

    private static Consumer<Answer> frozen(boolean frozen) {
        return answer -> assertThat(answer.json().get("frozen").asBoolean()).as("frozen").isEqualTo(frozen);
    }

    private static Consumer<Answer> minimumBalance(String value) {
        return answer -> assertThat(answer.json().get("policy").get("minimumBalance").asString()).isEqualTo(value);
    }

    /** The first (only) batch item's status, and one field of its body. */
    private static Consumer<Answer> item(int status, String field, String value) {
        return answer -> {
            JsonNode result = answer.json().get("results").get(0);
            assertThat(result.get("status").asInt()).as("item status: %s", result).isEqualTo(status);
            assertThat(result.get("body").get(field).asString()).as("item %s", field).isEqualTo(value);
        };
    }

    // ------------------------------------------------------------------------------------------ the fixture

    private void buildFixture() {
        institution = activeInstitution();
        pendingInstitution = registeredInstitution();
        spareInstitution = activeInstitution();

        account = TestLedger.unique("AM-ACC");
        expect(http.post(Http.BANK, API + "/accounts", json("accountId", account, "institutionId", institution,
                "bankAccountNo", "1202021109900012345")), 201);
        // 60 lessons x 5,000.00, all delivered: 300,000.00 releasable; 40 x 100.00 with 1 lesson delivered
        expect(post(account, deposit("ORD-BIG", 60, "5000.00")), 201);
        expect(post(account, deposit("ORD-OPEN", 40, "100.00")), 201);
        expect(http.post(Http.PLATFORM, accountPath(account) + "/orders/ORD-BIG/consumptions",
                json("consumptionId", TestLedger.unique("AM-CONS"), "lessons", 60, "occurredAt", consumedAt)), 201);
        expect(http.post(Http.PLATFORM, accountPath(account) + "/orders/ORD-OPEN/consumptions",
                json("consumptionId", TestLedger.unique("AM-CONS"), "lessons", 1, "occurredAt", consumedAt)), 201);
        // releases of 50,000.00 reach the large-transfer threshold: each is held for a regulator
        heldForNational = heldRelease();
        heldForZhejiang = heldRelease();
        heldToRejectNational = heldRelease();
        heldToRejectZhejiang = heldRelease();
        heldUntouched = heldRelease();

        unfrozenAccount = openAccount();
        frozenAccount = frozenNewAccount();
        accountBefore = http.get(Http.AUDITOR, accountPath(account)).json();
    }

    private String heldRelease() {
        Answer held = expect(post(account, write(Map.of("bankTxnId", TestLedger.unique("AM-REL"), "type", "RELEASE",
                "amount", "50000.00", "currency", "CNY", "occurredAt", consumedAt, "orderId", "ORD-BIG"))), 202);
        return held.json().get("heldOutflowId").asString();
    }

    private String registeredInstitution() {
        Answer registered = expect(http.post(Http.ZHEJIANG, API + "/institutions", registration(REGION)), 201);
        return registered.json().get("institutionId").asString();
    }

    private String activeInstitution() {
        String id = registeredInstitution();
        expect(http.post(Http.ZHEJIANG, institutionPath(id) + "/approve", null), 200);
        return id;
    }

    /** A new, empty ICBC-HZ account of the main institution. */
    private String openAccount() {
        Answer opened = expect(http.post(Http.BANK, API + "/accounts", opening(institution)), 201);
        return opened.json().get("accountId").asString();
    }

    private String frozenNewAccount() {
        String id = openAccount();
        expect(http.post(Http.ZHEJIANG, accountPath(id) + "/freeze", json("reason", "fixture")), 200);
        return id;
    }

    private Answer post(String accountId, String posting) {
        return http.post(Http.BANK, accountPath(accountId) + "/transactions", posting);
    }


    // ------------------------------------------------------------------------------------------ bodies and paths

    private static String registration(String region) {
        return json("institutionId", TestLedger.newInstitutionId().value(), "name", "访问矩阵培训学校",
                "regionCode", region, "category", "NON_SUBJECT", "supervisionMode", "FULL_CUSTODY");
    }

    /** A valid policy that differs from the defaults, so a wrongly accepted change would show. */
    private static String strictPolicy() {
        return json("minimumBalance", "1000.00", "liabilityRatio", "0.25", "largeTransferThreshold", "40000.00",
                "largeTransferRatio", "0.30", "largeTransferRatioFrom", "10000.00");
    }

    private static String opening(String institutionId) {
        return json("accountId", TestLedger.unique("AM-ACC"), "institutionId", institutionId,
                "bankAccountNo", "62220000" + TestLedger.unique("9").replace("-", ""));
    }

    /** A one-lesson deposit of 100.00 on a new order, with a new bankTxnId; accountId only for batch items. */
    private Map<String, Object> deposit(String accountIdForBatch) {
        Map<String, Object> deposit = new LinkedHashMap<>();
        if (accountIdForBatch != null) {
            deposit.put("accountId", accountIdForBatch);
        }
        deposit.putAll(depositFields(TestLedger.unique("AM-ORD"), 1, "100.00"));
        return deposit;
    }

    private String deposit(String orderId, int lessons, String lessonPrice) {
        return write(depositFields(orderId, lessons, lessonPrice));
    }

    private Map<String, Object> depositFields(String orderId, int lessons, String lessonPrice) {
        Map<String, Object> deposit = new LinkedHashMap<>();
        deposit.put("bankTxnId", TestLedger.unique("AM-DEP"));
        deposit.put("type", "DEPOSIT");
        deposit.put("amount", new BigDecimal(lessonPrice).multiply(BigDecimal.valueOf(lessons)).toPlainString());
        deposit.put("currency", "CNY");
        deposit.put("occurredAt", depositedAt);
        deposit.put("orderId", orderId);
        deposit.put("studentRef", "stu-" + orderId);
        deposit.put("lessons", lessons);
        deposit.put("lessonPrice", lessonPrice);
        deposit.put("courseStart", courseStart.toString());
        deposit.put("courseEnd", courseStart.plusMonths(2).toString());
        return deposit;
    }

    private static String write(Map<String, Object> body) {
        return JSON.writeValueAsString(body);
    }

    private static String institutionPath(String id) {
        return API + "/institutions/" + id;
    }

    private static String accountPath(String id) {
        return API + "/accounts/" + id;
    }

    private static String heldPath(String id) {
        return API + "/held-outflows/" + id;
    }

    private static String at(Instant instant) {
        return instant.atOffset(ZoneOffset.ofHours(8)).toString();
    }
}
