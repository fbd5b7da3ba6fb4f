package cn.prepaid.ledger.api.security;

import cn.prepaid.ledger.api.security.SecurityAudit.Action;
import cn.prepaid.ledger.api.security.SecurityAudit.Outcome;
import cn.prepaid.ledger.api.support.Http.Answer;
import cn.prepaid.ledger.api.support.Http;
import cn.prepaid.ledger.api.support.LedgerIntegrationTest;
import cn.prepaid.ledger.store.support.TestLedger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static cn.prepaid.ledger.api.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every security-relevant action leaves one JSON line in the security audit file, with who, what, when
 * and from where, and nothing of it in the application log; a refused key is never written down.
 */
@LedgerIntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class SecurityAuditTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;
    @Value("${ledger.security-audit.file}")
    Path auditFile;
    @Autowired
    SecurityAudit audit;
    Http http;
    final String consumedAt = Instant.now().minus(1, ChronoUnit.DAYS).atOffset(ZoneOffset.ofHours(8)).toString();

    @BeforeEach
    void setUp() {
        http = new Http(port);
    }

    @Test
    void aRefusedKeyIsRecordedWithWhereItCameFromButNotTheKey(CapturedOutput applicationLog) throws IOException {
        String wrongKey = TestLedger.unique("not-a-key-0123456789");
        String path = "/api/v1/accounts/" + TestLedger.unique("AUDIT-NOKEY");
        assertThat(http.get(wrongKey, path).status()).isEqualTo(401);

        JsonNode line = onlyLine(Action.API_KEY_REFUSED, "GET " + path);
        assertThat(line.get("outcome").asString()).isEqualTo("REFUSED");
        assertThat(line.get("principal").isNull()).isTrue();
        assertThat(line.get("remoteAddress").asString()).isEqualTo("127.0.0.1");
        assertThat(Instant.parse(line.get("time").asString())).isBetween(Instant.now().minusSeconds(60), Instant.now());
        assertThat(Files.readString(auditFile)).doesNotContain(wrongKey);
        assertThat(applicationLog.getAll()).doesNotContain("API_KEY_REFUSED");
    }

    @Test
    void refusalsByRoleAndByScopeAndAFreezeAndUnfreezeAreRecorded(CapturedOutput applicationLog) throws IOException {
        String account = http.openActiveAccount("AUDIT-FRZ").account();
        String freeze = "/api/v1/accounts/" + account + "/freeze";

        assertThat(http.post(Http.AUDITOR, freeze, json("reason", "auditors do not freeze")).status()).isEqualTo(403);
        assertThat(http.post(Http.BEIJING, freeze, json("reason", "not my region")).status()).isEqualTo(403);
        assertThat(http.post(Http.ZHEJIANG, freeze, json("reason", "complaints about refunds")).status())
                .isEqualTo(200);
        assertThat(http.post(Http.ZHEJIANG, "/api/v1/accounts/" + account + "/unfreeze",
                json("reason", "refunds resumed")).status()).isEqualTo(200);

        JsonNode byRole = onlyLine(Action.ACCESS_REFUSED, "POST " + freeze, "audit-office");
        assertThat(byRole.get("details").get("reason").asString()).isEqualTo("role");
        JsonNode byScope = onlyLine(Action.ACCESS_REFUSED, "POST " + freeze, "beijing-education");
        assertThat(byScope.get("details").get("reason").asString()).isEqualTo("scope");
        assertThat(byScope.get("details").get("detail").asString()).contains(account);

        JsonNode frozen = onlyLine(Action.ACCOUNT_FROZEN, account);
        assertThat(frozen.get("principal").asString()).isEqualTo("zhejiang-education");
        assertThat(frozen.get("outcome").asString()).isEqualTo("SUCCEEDED");
        assertThat(frozen.get("remoteAddress").asString()).isEqualTo("127.0.0.1");
        assertThat(frozen.get("details").get("reason").asString()).isEqualTo("complaints about refunds");
        assertThat(onlyLine(Action.ACCOUNT_UNFROZEN, account).get("details").get("reason").asString())
                .isEqualTo("refunds resumed");
        assertThat(applicationLog.getAll()).doesNotContain("ACCOUNT_FROZEN").doesNotContain("ACCESS_REFUSED");
    }

    @Test
    void aPolicyChangeAndTheApprovalAndRejectionOfHeldOutflowsAreRecorded() throws IOException {
        Http.Opened opened = http.openActiveAccount("AUDIT-HELD");
        String account = opened.account();
        Answer changed = http.put(Http.ZHEJIANG, "/api/v1/institutions/" + opened.institution() + "/policy",
                json("minimumBalance", "0.00", "liabilityRatio", "0.20", "largeTransferThreshold", "40000.00",
                        "largeTransferRatio", "0.30", "largeTransferRatioFrom", "10000.00"));
        assertThat(changed.status()).isEqualTo(200);
        JsonNode policy = onlyLine(Action.POLICY_CHANGED, opened.institution());
        assertThat(policy.get("principal").asString()).isEqualTo("zhejiang-education");
        assertThat(policy.get("details").get("to").asString()).contains("4000000");

        assertThat(http.post(Http.BANK, "/api/v1/accounts/" + account + "/transactions", json("bankTxnId",
                TestLedger.unique("AUDIT-DEP"), "type", "DEPOSIT", "amount", "300000.00", "currency", "CNY",
                "occurredAt", consumedAt, "orderId", "ORD-BIG", "studentRef", "stu-1", "lessons", 60,
                "lessonPrice", "5000.00", "courseStart", "2026-03-02", "courseEnd", "2026-05-31")).status())
                .isEqualTo(201);
        assertThat(http.post(Http.PLATFORM, "/api/v1/accounts/" + account + "/orders/ORD-BIG/consumptions",
                json("consumptionId", TestLedger.unique("AUDIT-CONS"), "lessons", 60, "occurredAt", consumedAt))
                .status()).isEqualTo(201);
        String approved = heldRelease(account);
        String rejected = heldRelease(account);
        assertThat(http.post(Http.REGULATOR, "/api/v1/held-outflows/" + approved + "/approve",
                json("note", "term delivered")).status()).isEqualTo(200);
        assertThat(http.post(Http.ZHEJIANG, "/api/v1/held-outflows/" + rejected + "/reject",
                json("reason", "too early in the term")).status()).isEqualTo(200);

        JsonNode approval = onlyLine(Action.HELD_OUTFLOW_APPROVED, approved);
        assertThat(approval.get("principal").asString()).isEqualTo("ministry");
        assertThat(approval.get("details").get("accountId").asString()).isEqualTo(account);
        JsonNode rejection = onlyLine(Action.HELD_OUTFLOW_REJECTED, rejected);
        assertThat(rejection.get("principal").asString()).isEqualTo("zhejiang-education");
        assertThat(rejection.get("details").get("reason").asString()).isEqualTo("too early in the term");
    }

    @Test
    void theConsoleSignInIsOneCallThatWritesOneLine() throws IOException {
        String marker = TestLedger.unique("console-session");
        audit.record(Action.CONSOLE_SIGN_IN, "zhejiang-education", Outcome.SUCCEEDED, "10.1.2.3",
                Map.of("session", marker));
        JsonNode line = onlyLine(Action.CONSOLE_SIGN_IN, marker);
        assertThat(line.get("principal").asString()).isEqualTo("zhejiang-education");
        assertThat(line.get("remoteAddress").asString()).isEqualTo("10.1.2.3");
        assertThat(line.get("outcome").asString()).isEqualTo("SUCCEEDED");
    }

    private String heldRelease(String account) {
        Answer held = http.post(Http.BANK, "/api/v1/accounts/" + account + "/transactions", json("bankTxnId",
                TestLedger.unique("AUDIT-REL"), "type", "RELEASE", "amount", "50000.00", "currency", "CNY",
                "occurredAt", consumedAt, "orderId", "ORD-BIG"));
        assertThat(held.status()).as(held.body()).isEqualTo(202);
        return held.json().get("heldOutflowId").asString();
    }

    /** The one line of this action that mentions {@code marker} (and was done by {@code principal}, if given). */
    private JsonNode onlyLine(Action action, String marker, String... principal) throws IOException {
        List<JsonNode> lines = Files.readAllLines(auditFile).stream().filter(line -> line.contains(marker))
                .map(JSON::readTree).filter(line -> line.get("action").asString().equals(action.name()))
                .filter(line -> principal.length == 0 || principal[0].equals(line.get("principal").asString()))
                .toList();
        assertThat(lines).as("%s lines mentioning %s", action, marker).hasSize(1);
        return lines.get(0);
    }
}
