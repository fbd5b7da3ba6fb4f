package cn.prepaid.ledger.api.security;

import cn.prepaid.ledger.api.console.ConsoleSessions;
import cn.prepaid.ledger.api.console.ConsoleSessions.Session;
import cn.prepaid.ledger.api.http.ApiProblem;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.Set;

/**
 * The console's session cookie → the principal who signed in with it, for the API and the session
 * endpoint. A request that changes something must also carry the session's CSRF token in
 * {@value #CSRF_HEADER}: a page on another site can make a browser send the cookie (SameSite=Strict
 * already stops most of that) but cannot read the token. A bearer key, when sent, wins over the cookie.
 * A session acts as its principal as the principals file says now. A reload that removes or changes a
 * principal (its keys included) ends all its sessions; one that leaves it without a console role ends
 * them at the latest on their next use.
 */
public class ConsoleSessionFilter extends OncePerRequestFilter {

    public static final String COOKIE = "ledger_console";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    /** The request attribute holding the {@link Session} a request was authenticated by. */
    public static final String SESSION_ATTRIBUTE = ConsoleSessionFilter.class.getName() + ".session";

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private final ConsoleSessions sessions;
    private final PrincipalDirectory principals;
    private final JsonMapper json = JsonMapper.builder().build();

    public ConsoleSessionFilter(ConsoleSessions sessions, PrincipalDirectory principals) {
        this.sessions = sessions;
        this.principals = principals;
        // a key revoked (or any change to a principal) ends the sessions it may have opened
        principals.whenPrincipalsChange(sessions::endAllOf);
    }

    /** Who may use the console: regulators act, auditors read and verify. */
    public static boolean mayUseConsole(ApiPrincipal principal) {
        return principal.is(Role.REGULATOR) || principal.is(Role.AUDITOR);
    }

    public static Optional<String> sessionId(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return Optional.empty();
        }
        for (Cookie cookie : cookies) {
            if (COOKIE.equals(cookie.getName()) && !cookie.getValue().isEmpty()) {
                return Optional.of(cookie.getValue());
            }
        }
        return Optional.empty();
    }

    /** Static files need no session: only the API and the session endpoint look it up. */
    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return !path.startsWith("/api/") && !path.equals("/dashboard/session");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (SecurityContextHolder.getContext().getAuthentication() != null) {
            chain.doFilter(request, response);
            return;
        }
        Optional<String> sessionId = sessionId(request);
        Optional<Session> session = sessionId.flatMap(sessions::find);
        if (session.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        // the principals file as it is now: a reload may have removed the principal or changed its role
        Optional<ApiPrincipal> principal = principals.named(session.get().principalName())
                .filter(ConsoleSessionFilter::mayUseConsole);
        if (principal.isEmpty()) {
            sessions.end(sessionId.get());
            chain.doFilter(request, response);
            return;
        }
        if (!SAFE_METHODS.contains(request.getMethod())
                && !sameToken(request.getHeader(CSRF_HEADER), session.get().csrfToken())) {
            SecurityConfiguration.write(response, json, ApiProblem.of(HttpStatus.FORBIDDEN, "CSRF_TOKEN_INVALID",
                    "a console request that changes something needs the session's " + CSRF_HEADER + " header"));
            return;
        }
        request.setAttribute(SESSION_ATTRIBUTE, session.get());
        ApiKeyAuthenticationFilter.actAs(principal.get());
        chain.doFilter(request, response);
    }

    private static boolean sameToken(String presented, String expected) {
        return presented != null && MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8));
    }
}
