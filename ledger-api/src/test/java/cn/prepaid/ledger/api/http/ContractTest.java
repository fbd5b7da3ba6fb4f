package cn.prepaid.ledger.api.http;

import cn.prepaid.ledger.api.support.Contract;
import cn.prepaid.ledger.api.support.Http.Answer;
import cn.prepaid.ledger.api.support.Http;
import cn.prepaid.ledger.api.support.LedgerIntegrationTest;
import cn.prepaid.ledger.store.support.TestLedger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.URI;
import java.util.List;
import java.util.Map;

import static cn.prepaid.ledger.api.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The contract check ({@link Contract}) that every HTTP test's answers pass through: that it can fail,
 * and the answers no other suite asks for (a wrong media type, every read without a key, with the wrong
 * role and for an unknown id, the audit answers, the stream's refusals).
 */
@LedgerIntegrationTest
class ContractTest {

    private static final String POSTINGS = "/api/v1/accounts/ACC-1/transactions";
    private static final Map<String, List<String>> JSON_ANSWER = Map.of("Content-Type", List.of("application/json"));
    private static final Map<String, List<String>> PROBLEM_ANSWER =
            Map.of("Content-Type", List.of("application/problem+json"));

    @LocalServerPort
    int port;
    Http http;

    @BeforeEach
    void setUp() {
        http = new Http(port);
    }

    @Test
    void theCheckAcceptsAnAnswerTheDocumentDeclares() {
        assertThatCode(() -> check(new Answer(201, """
                {"postingId": "ACC-1.P1", "bankTxnId": "T-1", "status": "RECORDED", "balance": "10.00"}""",
                JSON_ANSWER))).doesNotThrowAnyException();
    }

    @Test
    void theCheckFailsOnAStatusTheDocumentDoesNotDeclare() {
        assertThatThrownBy(() -> check(new Answer(418, problem(418, "TEAPOT"), PROBLEM_ANSWER)))
                .hasMessageContaining("validation.response.status.unknown");
    }

    @Test
    void theCheckFailsOnAMediaTypeTheDocumentDoesNotDeclare() {
        assertThatThrownBy(() -> check(new Answer(201, "RECORDED", Map.of("Content-Type", List.of("text/plain")))))
                .hasMessageContaining("validation.response.contentType.notAllowed");
    }

    @Test
    void theCheckFailsOnAShapeTheDocumentDoesNotDeclare() {
        assertThatThrownBy(() -> check(new Answer(201, """
                {"postingId": "ACC-1.P1", "bankTxnId": "T-1", "status": "RECORDED", "balance": 10.5}""",
                JSON_ANSWER))).hasMessageContaining("/balance");
        assertThatThrownBy(() -> check(new Answer(201, """
                {"postingId": "ACC-1.P1", "bankTxnId": "T-1", "status": "RECORDED", "balance": "10.00", "extra": 1}""",
                JSON_ANSWER))).hasMessageContaining("extra");
        assertThatThrownBy(() -> check(new Answer(422, """
                {"type": "/problems/x", "title": "Unprocessable Content", "status": 422, "detail": "no"}""",
                PROBLEM_ANSWER))).hasMessageContaining("code");
    }

    @Test
    void aBodyThatIsNotJsonIsAnsweredWithTheDeclaredProblem() {
        Http.Opened opened = http.openActiveAccount("CT");
        Answer answer = http.send(Http.BANK, "POST", "/api/v1/accounts/" + opened.account() + "/transactions",
                "<posting/>", "application/xml");
        assertThat(answer.status()).isEqualTo(415);
        assertThat(answer.json().get("code").asString()).isEqualTo("UNSUPPORTED_MEDIA_TYPE");
    }

    @Test
    void everyReadAnswersTheDeclaredProblemsWithoutAKeyWithTheWrongRoleAndForAnUnknownId() {
        String unknownInstitution = TestLedger.newInstitutionId().value();
        Map<String, String> readsByAuditor = Map.of(
                "/api/v1/institutions/" + unknownInstitution, "INSTITUTION_NOT_FOUND",
                "/api/v1/institutions/" + unknownInstitution + "/verify", "INSTITUTION_NOT_FOUND",
                "/api/v1/institutions/" + unknownInstitution + "/history", "INSTITUTION_NOT_FOUND",
                "/api/v1/accounts/NO-SUCH-ACCOUNT", "ACCOUNT_NOT_FOUND",
                "/api/v1/accounts/NO-SUCH-ACCOUNT/balance", "ACCOUNT_NOT_FOUND",
                "/api/v1/alerts/NO:SUCH:ALERT", "ALERT_NOT_FOUND",
                "/api/v1/audit/replays/" + TestLedger.unique("no-such-replay"), "REPLAY_NOT_FOUND",
                "/api/v1/institutions/" + unknownInstitution + "/refund-obligations", "INSTITUTION_NOT_FOUND");
        Map<String, String> readsByBank = Map.of(
                "/api/v1/held-outflows/NO-SUCH-ACCOUNT.H1", "HELD_OUTFLOW_NOT_FOUND",
                "/api/v1/webhooks/" + TestLedger.unique("no-such-webhook") + "/deliveries", "WEBHOOK_NOT_FOUND");
        Map.of(Http.AUDITOR, readsByAuditor, Http.BANK, readsByBank).forEach((key, reads) ->
                reads.forEach((path, code) -> {
                    assertThat(http.get(null, path).status()).as(path).isEqualTo(401);
                    Answer unknown = http.get(key, path);
                    assertThat(unknown.status()).as(path).isEqualTo(404);
                    assertThat(unknown.json().get("code").asString()).as(path).isEqualTo(code);
                }));
        Map<String, List<String>> readersAndOthers = Map.of(
                "/api/v1/held-outflows", List.of(Http.REGULATOR, Http.AUDITOR),
                "/api/v1/dead-letters", List.of(Http.REGULATOR, Http.BANK),
                "/api/v1/webhooks", List.of(Http.BANK, Http.REGULATOR));
        readersAndOthers.forEach((path, readerAndOther) -> {
            assertThat(http.get(readerAndOther.get(0), path).status()).as(path).isEqualTo(200);
            assertThat(http.get(readerAndOther.get(1), path).status()).as(path).isEqualTo(403);
        });
        assertThat(http.get(Http.REGULATOR, "/api/v1/institutions?size=0").status()).isEqualTo(400);
    }

    @Test
    void theAuditAnswersAreDeclared() {
        Http.Opened opened = http.openActiveAccount("CT-AUDIT");
        Answer started = http.post(Http.AUDITOR, "/api/v1/audit/replays", json("institutionId", opened.institution()));
        assertThat(started.status()).isEqualTo(202);
        Answer replay = http.get(Http.AUDITOR, "/api/v1/audit/replays/" + started.json().get("replayId").asString());
        assertThat(replay.status()).isEqualTo(200);
        Answer history = http.get(Http.AUDITOR, "/api/v1/institutions/" + opened.institution() + "/history");
        assertThat(history.status()).isEqualTo(200);
        assertThat(history.contentType()).startsWith("application/x-ndjson");
        Answer verified = http.get(Http.AUDITOR, "/api/v1/institutions/" + opened.institution() + "/verify");
        assertThat(verified.json().get("valid").asBoolean()).isTrue();
        Answer balance = http.get(Http.AUDITOR, "/api/v1/accounts/" + opened.account() + "/balance");
        assertThat(balance.json().get("balance").asString()).isEqualTo("0.00");
    }

    @Test
    void theStreamRefusesWithDeclaredProblems() {
        Answer invalid = http.get(Http.ZHEJIANG, "/api/v1/alerts/stream?regionCode=abc");
        assertThat(invalid.status()).isEqualTo(400);
        Answer outside = http.get(Http.ZHEJIANG, "/api/v1/alerts/stream?regionCode=11");
        assertThat(outside.status()).isEqualTo(403);
        assertThat(http.get(Http.BANK, "/api/v1/alerts/stream").status()).isEqualTo(403);
    }

    private void check(Answer answer) {
        Contract.check("http://localhost:" + port, ledger -> http.get(null, "/v3/api-docs").body(), "POST",
                URI.create("http://localhost:" + port + POSTINGS), answer);
    }

    private static String problem(int status, String code) {
        return json("type", "/problems/x", "title", "x", "status", status, "detail", "x", "code", code);
    }
}
