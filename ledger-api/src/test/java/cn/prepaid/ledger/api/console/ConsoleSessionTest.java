package cn.prepaid.ledger.api.console;

import cn.prepaid.ledger.api.security.ApiPrincipal;
import cn.prepaid.ledger.api.security.ConsoleSessionFilter;
import cn.prepaid.ledger.api.security.PrincipalDirectory;
import cn.prepaid.ledger.api.security.SecurityAudit;
import cn.prepaid.ledger.api.support.Http.Answer;
import cn.prepaid.ledger.api.support.Http.Opened;
import cn.prepaid.ledger.api.support.Http;
import cn.prepaid.ledger.api.support.LedgerIntegrationTest;
import cn.prepaid.ledger.api.support.LogLines;
import cn.prepaid.ledger.store.support.TestLedger;
import jakarta.servlet.http.Cookie;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static cn.prepaid.ledger.api.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The console's sessions over plain HTTP: a key exchanged for a cookie, the cookie standing in for
 * the key on the API, CSRF tokens on changes, sign-out, what the database keeps of a session, what the
 * security audit log says of it, and sessions whose principal a reloaded principals file took away.
 */
@LedgerIntegrationTest
class ConsoleSessionTest {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ConsoleSessions sessions;
    @Autowired
    SecurityAudit audit;

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String REVIEWER_A = "{\"name\": \"reviewer-a\", \"role\": \"REGULATOR\", "
            + "\"regionPrefix\": \"33\", \"apiKey\": \"reviewer-a-key-0123456789\"}";
    private static final String REVIEWER_B = "{\"name\": \"reviewer-b\", \"role\": \"AUDITOR\", "
            + "\"apiKey\": \"reviewer-b-key-0123456789\"}";

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

    @Test
    void signInsRefusalsAndSignOutsAreInTheSecurityAuditLogWithoutKeysOrSessionIds() {
        String wrongKey = TestLedger.unique("not-a-key-anyone-holds");
        List<JsonNode> lines;
        Answer signedIn;
        String session;
        try (LogLines auditLog = new LogLines(SecurityAudit.LOGGER)) {
            assertThat(signIn(wrongKey).status()).isEqualTo(401);
            assertThat(signIn(Http.BANK).status()).isEqualTo(403);
            signedIn = signIn(Http.ZHEJIANG);
            session = cookieValue(signedIn.header("Set-Cookie"));
            assertThat(send("DELETE", "/dashboard/session", session, signedIn.json().get("csrfToken").asString(),
                    null).status()).isEqualTo(204);

            assertThat(String.join("\n", auditLog.messages())).doesNotContain(wrongKey).doesNotContain(Http.BANK)
                    .doesNotContain(Http.ZHEJIANG).doesNotContain(session)
                    .doesNotContain(signedIn.json().get("csrfToken").asString());
            lines = auditLog.messages().stream().map(JSON::readTree)
                    .filter(line -> line.get("action").asString().startsWith("CONSOLE_")).toList();
        }

        assertThat(lines).extracting(line -> line.get("action").asString() + " " + line.get("outcome").asString()
                        + " " + (line.get("principal").isNull() ? "nobody" : line.get("principal").asString()))
                .containsExactly("CONSOLE_SIGN_IN REFUSED nobody", "CONSOLE_SIGN_IN REFUSED icbc-hangzhou",
                        "CONSOLE_SIGN_IN SUCCEEDED zhejiang-education", "CONSOLE_SIGN_OUT SUCCEEDED zhejiang-education");
        assertThat(lines).allSatisfy(line -> assertThat(line.get("remoteAddress").asString()).isEqualTo("127.0.0.1"));
        assertThat(lines.get(0).get("details").get("reason").asString()).isEqualTo("no principal holds this key");
        assertThat(lines.get(1).get("details").get("role").asString()).isEqualTo("BANK");
        assertThat(lines.get(2).get("details").get("role").asString()).isEqualTo("REGULATOR");
        assertThat(Instant.parse(lines.get(2).get("details").get("expiresAt").asString()))
                .isEqualTo(Instant.parse(signedIn.json().get("expiresAt").asString()));
    }

    @Test
    void aSessionEndsOnceAReloadedPrincipalsFileRemovesItsPrincipalOrGivesItARoleNotForTheConsole(
            @TempDir Path dir) throws Exception {
        Path file = dir.resolve("principals.json");
        try (PrincipalDirectory principals = reviewers(file)) {
            ConsoleSessionFilter filter = new ConsoleSessionFilter(sessions, principals);
            String regulatorSession = sessions.start("reviewer-a").sessionId();
            String auditorSession = sessions.start("reviewer-b").sessionId();
            assertThat(actingAs(filter, regulatorSession)).contains("reviewer-a");
            assertThat(actingAs(filter, auditorSession)).contains("reviewer-b");

            // reviewer-a is made a bank, reviewer-b is gone
            replace(file, "[" + REVIEWER_A.replace("\"REGULATOR\", \"regionPrefix\": \"33\"",
                    "\"BANK\", \"bankCode\": \"ICBC-HZ\"") + "]");
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(actingAs(filter, regulatorSession)).isEmpty();
                assertThat(actingAs(filter, auditorSession)).isEmpty();
            });
            assertThat(sessions.find(regulatorSession)).isEmpty();
            assertThat(sessions.find(auditorSession)).isEmpty();

            // putting them back does not revive the sessions
            replace(file, "[" + REVIEWER_A + ", " + REVIEWER_B + "]");
            await().atMost(Duration.ofSeconds(5)).until(() -> principals.named("reviewer-b").isPresent());
            assertThat(actingAs(filter, regulatorSession)).isEmpty();
            assertThat(actingAs(filter, auditorSession)).isEmpty();
        }
    }

    @Test
    void aReloadThatChangesAPrincipalsKeysEndsItsSessionsAndNoOneElses(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("principals.json");
        try (PrincipalDirectory principals = reviewers(file)) {
            ConsoleSessionFilter filter = new ConsoleSessionFilter(sessions, principals);
            String revoked = sessions.start("reviewer-a").sessionId();
            String kept = sessions.start("reviewer-b").sessionId();

            // reviewer-a's key may have leaked: the file now gives it another
            replace(file, "[" + REVIEWER_A.replace("reviewer-a-key-", "reviewer-a-key-2026-") + ", " + REVIEWER_B + "]");

            // ended in the database, for every node, before anyone uses it again
            await().atMost(Duration.ofSeconds(5)).until(() -> sessions.find(revoked).isEmpty());
            assertThat(actingAs(filter, revoked)).isEmpty();
            assertThat(actingAs(filter, kept)).contains("reviewer-b");
        }
    }

    /** A principals file of reviewer-a and reviewer-b, read again within 50 ms of a change. */
    private PrincipalDirectory reviewers(Path file) throws Exception {
        Files.writeString(file, "[" + REVIEWER_A + ", " + REVIEWER_B + "]");
        return new PrincipalDirectory(file.toString(), "", 50, audit);
    }

    /** Whom the filter lets a GET to the API act as, with this session's cookie. */
    private static Optional<String> actingAs(ConsoleSessionFilter filter, String session) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/institutions");
        request.setCookies(new Cookie(ConsoleSessionFilter.COOKIE, session));
        AtomicReference<String> actor = new AtomicReference<>();
        try {
            filter.doFilter(request, new MockHttpServletResponse(), (passed, answered) -> {
                Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
                if (authentication != null && authentication.getPrincipal() instanceof ApiPrincipal principal) {
                    actor.set(principal.name());
                }
            });
        } finally {
            SecurityContextHolder.clearContext();
        }
        return Optional.ofNullable(actor.get());
    }

    /** As an operator should: a new file moved over the old one. */
    private static void replace(Path file, String content) throws Exception {
        Path next = Files.writeString(file.resolveSibling(file.getFileName() + ".next"), content);
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
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
