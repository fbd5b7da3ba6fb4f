package cn.prepaid.ledger.api.console;

import cn.prepaid.ledger.api.console.ConsoleSessions.Session;
import cn.prepaid.ledger.api.http.ApiProblem;
import cn.prepaid.ledger.api.security.ApiPrincipal;
import cn.prepaid.ledger.api.security.ConsoleSessionFilter;
import cn.prepaid.ledger.api.security.PrincipalDirectory;
import cn.prepaid.ledger.api.security.PrincipalDirectory.Verdict;
import cn.prepaid.ledger.api.security.SecurityAudit;
import cn.prepaid.ledger.api.security.SecurityAudit.Action;
import cn.prepaid.ledger.api.security.SecurityAudit.Outcome;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Signing in to the console: a regulator's or auditor's API key, sent once in a JSON body, is exchanged
 * for a session cookie ({@code HttpOnly}, {@code SameSite=Strict}, {@code Secure} over TLS). The key is
 * never stored or logged; sign-ins, refusals and sign-outs go to the {@link SecurityAudit} log.
 */
@RestController
@RequestMapping("/dashboard/session")
@Tag(name = "Console", description = "Sessions of the /dashboard web page")
public class ConsoleSessionController {

    public record SignIn(String apiKey) {
    }

    /** Who is signed in, and the token the page sends back in X-CSRF-Token on every change. */
    public record SessionView(String name, String role, String regionPrefix, String csrfToken, Instant expiresAt) {

        static SessionView of(ApiPrincipal principal, Session session) {
            return new SessionView(principal.name(), principal.role().name(), principal.regionPrefix(),
                    session.csrfToken(), session.expiresAt());
        }
    }

    private final PrincipalDirectory principals;
    private final ConsoleSessions sessions;
    private final SecurityAudit audit;
    private final Duration refusalDelay;

    public ConsoleSessionController(PrincipalDirectory principals, ConsoleSessions sessions, SecurityAudit audit,
                                    @Value("${ledger.console.refused-sign-in-delay:1s}") Duration refusalDelay) {
        this.principals = principals;
        this.sessions = sessions;
        this.audit = audit;
        this.refusalDelay = refusalDelay;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Sign in to the console with a REGULATOR or AUDITOR API key",
            description = "200 with the session (and its cookie); an unknown key is answered 401 "
                    + "CONSOLE_KEY_UNKNOWN after a short delay; other roles 403 CONSOLE_NOT_FOR_ROLE.")
    public CompletableFuture<ResponseEntity<?>> signIn(@RequestBody(required = false) SignIn body,
                                                       HttpServletRequest request) {
        String from = request.getRemoteAddr();
        String key = body == null ? null : body.apiKey();
        // the key alone: a bank bound to its client certificate has no business here anyway
        Verdict verdict = principals.authenticate(key == null || key.isEmpty() ? null : key, null);
        if (verdict.principal() == null) {
            audit.record(Action.CONSOLE_SIGN_IN, null, Outcome.REFUSED, from,
                    Map.of("reason", verdict.reason() == null ? "no key sent" : verdict.reason()));
            ResponseEntity<?> refusal = problem(ApiProblem.of(HttpStatus.UNAUTHORIZED, "CONSOLE_KEY_UNKNOWN",
                    "this key is not known"));
            // slows guessing down without holding a request thread while it waits
            return CompletableFuture.supplyAsync(() -> refusal,
                    CompletableFuture.delayedExecutor(refusalDelay.toMillis(), TimeUnit.MILLISECONDS));
        }
        ApiPrincipal principal = verdict.principal();
        if (!ConsoleSessionFilter.mayUseConsole(principal)) {
            audit.record(Action.CONSOLE_SIGN_IN, principal.name(), Outcome.REFUSED, from,
                    Map.of("reason", "role", "role", principal.role().name()));
            return CompletableFuture.completedFuture(problem(new ApiProblem(HttpStatus.FORBIDDEN,
                    "CONSOLE_NOT_FOR_ROLE", "the console is for regulators and auditors; a "
                            + principal.role() + " key works with the API only", Map.of("role", principal.role().name()))));
        }
        ConsoleSessions.Started started = sessions.start(principal.name());
        audit.record(Action.CONSOLE_SIGN_IN, principal.name(), Outcome.SUCCEEDED, from,
                Map.of("role", principal.role().name(), "expiresAt", started.session().expiresAt().toString()));
        ResponseCookie cookie = cookie(request, started.sessionId(), sessions.lifetime());
        return CompletableFuture.completedFuture(ResponseEntity.ok().header(HttpHeaders.SET_COOKIE, cookie.toString())
                .body(SessionView.of(principal, started.session())));
    }

    @GetMapping
    @Operation(summary = "The console session this browser holds", description = "401 when there is none.")
    public SessionView current(@AuthenticationPrincipal ApiPrincipal principal, HttpServletRequest request) {
        if (principal == null || !(request.getAttribute(ConsoleSessionFilter.SESSION_ATTRIBUTE) instanceof Session session)) {
            throw ApiProblem.of(HttpStatus.UNAUTHORIZED, "CONSOLE_SIGNED_OUT", "no console session; sign in");
        }
        return SessionView.of(principal, session);
    }

    @DeleteMapping
    @Operation(summary = "Sign out: the session ends on every node and its cookie is cleared")
    public ResponseEntity<Void> signOut(@AuthenticationPrincipal ApiPrincipal principal, HttpServletRequest request) {
        if (request.getAttribute(ConsoleSessionFilter.SESSION_ATTRIBUTE) != null) {
            ConsoleSessionFilter.sessionId(request).ifPresent(sessions::end);
            audit.record(Action.CONSOLE_SIGN_OUT, principal.name(), Outcome.SUCCEEDED, request.getRemoteAddr(),
                    Map.of());
        }
        return ResponseEntity.noContent().header(HttpHeaders.SET_COOKIE, cookie(request, "", Duration.ZERO).toString())
                .build();
    }

    /** The session cookie; {@code Secure} when the request came over TLS (or a proxy said so). */
    static ResponseCookie cookie(HttpServletRequest request, String value, Duration maxAge) {
        return ResponseCookie.from(ConsoleSessionFilter.COOKIE, value).httpOnly(true).sameSite("Strict")
                .secure(request.isSecure()).path("/").maxAge(maxAge).build();
    }

    private static ResponseEntity<?> problem(ApiProblem problem) {
        return ResponseEntity.status(problem.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem.body());
    }
}
