package cn.prepaid.ledger.api.security;

import cn.prepaid.ledger.api.security.PrincipalDirectory.Verdict;
import cn.prepaid.ledger.api.security.SecurityAudit.Outcome;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.authentication.preauth.PreAuthenticatedAuthenticationToken;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

/**
 * {@code Authorization: Bearer <api key>} and/or a TLS client certificate → the principal they prove.
 * Missing or refused credentials leave the request anonymous; the security rules then answer 401
 * wherever a principal is needed. A refusal goes to the security audit log, without the key.
 */
public class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

    private static final String BEARER = "Bearer ";
    /** Where the servlet container puts the client's certificate chain after a mutual TLS handshake. */
    private static final String CLIENT_CERTIFICATES = "jakarta.servlet.request.X509Certificate";

    private final PrincipalDirectory principals;
    private final SecurityAudit audit;

    public ApiKeyAuthenticationFilter(PrincipalDirectory principals, SecurityAudit audit) {
        this.principals = principals;
        this.audit = audit;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        String key = header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? header.substring(BEARER.length()).trim() : null;
        Verdict verdict = principals.authenticate(key, clientCertificate(request));
        if (verdict.principal() != null) {
            actAs(verdict.principal());
        } else if (verdict.refusal() != null) {
            audit.record(verdict.refusal(), null, Outcome.REFUSED, request.getRemoteAddr(), Map.of(
                    "reason", verdict.reason(), "request", request.getMethod() + " " + request.getRequestURI()));
        }
        chain.doFilter(request, response);
    }

    /** This request acts as the principal, with its role's authority. */
    static void actAs(ApiPrincipal principal) {
        var authentication = new PreAuthenticatedAuthenticationToken(principal, null,
                List.of(new SimpleGrantedAuthority(principal.role().authority())));
        SecurityContextHolder.getContext().setAuthentication(authentication);
    }

    private static X509Certificate clientCertificate(HttpServletRequest request) {
        return request.getAttribute(CLIENT_CERTIFICATES) instanceof X509Certificate[] chain && chain.length > 0
                ? chain[0] : null;
    }
}
