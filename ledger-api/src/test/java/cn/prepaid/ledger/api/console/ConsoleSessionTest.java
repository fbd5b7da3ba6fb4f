package cn.prepaid.ledger.api.console;

import cn.prepaid.ledger.api.security.PrincipalDirectory;
import cn.prepaid.ledger.api.support.Http;
import cn.prepaid.ledger.api.support.Http.Answer;
import cn.prepaid.ledger.api.support.Http.Opened;
import cn.prepaid.ledger.api.support.LedgerIntegrationTest;
import cn.prepaid.ledger.api.support.TestLedger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static cn.prepaid.ledger.api.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's sessions over plain HTTP: a key exchanged for a cookie, the cookie standing in for
 * the key on the API, CSRF tokens on changes, sign-out, and what the database keeps of a session.
 */
@LedgerIntegrationTest
class ConsoleSessionTest {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ConsoleSessions sessions;

    private Http http;

    @BeforeEach
    void setUp() {
        http = new Http(port);
    }

    @Test
    void aRegulatorsKeyIsExchangedForAnHttpOnlyStrictCookieThatStandsInForTheKey() {
        Answer signedIn = signIn(Http.ZHEJIANG);

        assertThat(signedIn.status()).isEqualTo(200);
        String cookie = signedIn.header("Set-Cookie");
        assertThat(cookie).startsWith("ledger_console=").contains("HttpOnly").contains("SameSite=Strict")
                .contains("Path=/").contains("Max-Age=14400").doesNotContain("Secure");
        assertThat(signedIn.json().get("name").asString()).isEqualTo("zhejiang-education");
        assertThat(signedIn.json().get("role").asString()).isEqualTo("REGULATOR");
        assertThat(signedIn.json().get("regionPrefix").asString()).isEqualTo("33");
        assertThat(signedIn.body()).doesNotContain(Http.ZHEJIANG);
        String session = cookieValue(cookie);

        Answer current = send("GET", "/dashboard/session", session, null, null);
        assertThat(current.status()).isEqualTo(200);
        assertThat(current.json().get("csrfToken").asString()).isEqualTo(signedIn.json().get("csrfToken").asString());

        // the region scope is the API's: Zhejiang's regulator does not see Beijing
        Opened zhejiang = http.openActiveAccount("CONSOLE-ZJ");
        assertThat(send("GET", "/api/v1/institutions/" + zhejiang.institution(), session, null, null).status())
                .isEqualTo(200);
        String beijing = registerInBeijing();
        assertThat(send("GET", "/api/v1/institutions/" + beijing, session, null, null).status()).isEqualTo(403);
    }

    @Test
    void aChangeWithoutTheSessionsCsrfTokenIsRefusedAndChangesNothing() {
        Opened opened = http.openActiveAccount("CONSOLE-CSRF");
        Answer signedIn = signIn(Http.REGULATOR);
        String session = cookieValue(signedIn.header("Set-Cookie"));
        String token = signedIn.json().get("csrfToken").asString();
        String freeze = "/api/v1/accounts/" + opened.account() + "/freeze";

        Answer withoutToken = send("POST", freeze, session, null, json("reason", "no token"));
        Answer wrongToken = send("POST", freeze, session, "not-" + token, json("reason", "wrong token"));

        assertThat(withoutToken.status()).isEqualTo(403);
        assertThat(withoutToken.json().get("code").asString()).isEqualTo("CSRF_TOKEN_INVALID");
        assertThat(wrongToken.status()).isEqualTo(403);
        assertThat(http.get(Http.AUDITOR, "/api/v1/accounts/" + opened.account()).json().get("frozen").asBoolean())
                .isFalse();

        Answer withToken = send("POST", freeze, session, token, json("reason", "console test"));
        assertThat(withToken.status()).isEqualTo(200);
        assertThat(withToken.json().get("frozen").asBoolean()).isTrue();
    }

    @Test
    void aWrongKeyIsAnsweredPlainlyAfterADelayAndOtherRolesAreToldTheConsoleIsNotForThem() {
        Instant before = Instant.now();
        Answer wrong = signIn("not-a-key-anyone-holds-0123456789");
        Duration waited = Duration.between(before, Instant.now());

        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.contentType()).startsWith("application/problem+json");
        assertThat(wrong.json().get("code").asString()).isEqualTo("CONSOLE_KEY_UNKNOWN");
        assertThat(wrong.header("Set-Cookie")).isNull();
        assertThat(waited).isGreaterThanOrEqualTo(Duration.ofMillis(900));

        Answer bank = signIn(Http.BANK);
        assertThat(bank.status()).isEqualTo(403);
        assertThat(bank.json().get("code").asString()).isEqualTo("CONSOLE_NOT_FOR_ROLE");
        assertThat(bank.json().get("role").asString()).isEqualTo("BANK");
        assertThat(bank.header("Set-Cookie")).isNull();

        // a form on another site can post only form or text bodies: those sign no one in
        Answer fromAForm = http.send(null, "POST", "/dashboard/session", "apiKey=" + Http.AUDITOR,
                Map.of("Content-Type", "application/x-www-form-urlencoded"));
        assertThat(fromAForm.status()).isEqualTo(415);
        assertThat(fromAForm.header("Set-Cookie")).isNull();

        Answer auditor = signIn(Http.AUDITOR);
        assertThat(auditor.status()).isEqualTo(200);
        assertThat(auditor.json().get("role").asString()).isEqualTo("AUDITOR");
    }

    @Test
    void signingOutEndsTheSessionEverywhereAndTheDatabaseKeepsOnlyTheIdsHash() {
        Answer signedIn = signIn(Http.AUDITOR);
        String session = cookieValue(signedIn.header("Set-Cookie"));
        String token = signedIn.json().get("csrfToken").asString();

        List<byte[]> stored = jdbc.queryForList("select id_hash from console_session where csrf_token = ?",
                byte[].class, token);
        assertThat(stored).hasSize(1);
        assertThat(stored.get(0)).isEqualTo(PrincipalDirectory.sha256(session));
        assertThat(jdbc.queryForObject("select count(*) from console_session where id_hash = ?", Long.class,
                (Object) session.getBytes(StandardCharsets.UTF_8))).isZero();
        // another node reads the same table: a fresh store on this database knows the session
        assertThat(new ConsoleSessions(jdbc, Clock.systemUTC(), Duration.ofHours(4)).find(session))
                .get().extracting(ConsoleSessions.Session::principalName).isEqualTo("audit-office");

        assertThat(send("DELETE", "/dashboard/session", session, null, null).status()).isEqualTo(403);
        Answer signedOut = send("DELETE", "/dashboard/session", session, token, null);

        assertThat(signedOut.status()).isEqualTo(204);
        assertThat(signedOut.header("Set-Cookie")).contains("Max-Age=0");
        assertThat(sessions.find(session)).isEmpty();
        assertThat(send("GET", "/api/v1/institutions", session, null, null).status()).isEqualTo(401);
        assertThat(send("GET", "/dashboard/session", session, null, null).status()).isEqualTo(401);
    }

    @Test
    void anExpiredSessionSignsNoOneIn() {
        Answer signedIn = signIn(Http.AUDITOR);
        String session = cookieValue(signedIn.header("Set-Cookie"));
        jdbc.update("update console_session set expires_at = now() - interval '1 second' where csrf_token = ?",
                signedIn.json().get("csrfToken").asString());

        assertThat(send("GET", "/api/v1/institutions", session, null, null).status()).isEqualTo(401);
    }

    private String registerInBeijing() {
        String institution = TestLedger.newInstitutionId().value();
        assertThat(http.post(Http.BEIJING, "/api/v1/institutions", json("institutionId", institution, "name",
                "北京测试学校", "regionCode", "110105", "category", "SUBJECT", "supervisionMode", "FULL_CUSTODY"))
                .status()).isEqualTo(201);
        return institution;
    }

    private Answer signIn(String key) {
        return send("POST", "/dashboard/session", null, null, json("apiKey", key));
    }

    private static String cookieValue(String setCookie) {
        return setCookie.substring("ledger_console=".length(), setCookie.indexOf(';'));
    }

    private Answer send(String method, String path, String session, String csrfToken, String body) {
        Map<String, String> headers = new HashMap<>();
        if (session != null) {
            headers.put("Cookie", "ledger_console=" + session);
        }
        if (csrfToken != null) {
            headers.put("X-CSRF-Token", csrfToken);
        }
        return http.send(null, method, path, body, headers);
    }
}
