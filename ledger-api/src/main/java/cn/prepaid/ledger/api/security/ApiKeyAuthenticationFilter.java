package cn.prepaid.ledger.api.security;

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
import java.util.List;

/**
 * {@code Authorization: Bearer <api key>} → the principal holding that key. A missing or unknown key
 * leaves the request anonymous; the security rules then answer 401 wherever a principal is needed.
 */
public class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

    private static final String BEARER = "Bearer ";

    private final PrincipalDirectory principals;

    public ApiKeyAuthenticationFilter(PrincipalDirectory principals) {
        this.principals = principals;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            principals.authenticate(header.substring(BEARER.length()).trim())
                    .ifPresent(ApiKeyAuthenticationFilter::actAs);
        }
        chain.doFilter(request, response);
    }

    /** This request acts as the principal, with its role's authority. */
    static void actAs(ApiPrincipal principal) {
        var authentication = new PreAuthenticatedAuthenticationToken(principal, null,
                List.of(new SimpleGrantedAuthority(principal.role().authority())));
        SecurityContextHolder.getContext().setAuthentication(authentication);
    }
}
