package cn.prepaid.ledger.api.security;

import cn.prepaid.ledger.api.console.ConsoleSessions;
import cn.prepaid.ledger.api.http.ApiProblem;
import cn.prepaid.ledger.api.security.SecurityAudit.Action;
import cn.prepaid.ledger.api.security.SecurityAudit.Outcome;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.header.writers.ContentSecurityPolicyHeaderWriter;
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.util.Map;

import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.POST;
import static org.springframework.http.HttpMethod.PUT;

/**
 * Roles per endpoint (API.md). Scope within a role — a bank's own accounts, a regulator's region —
 * is checked by {@link Scope} once the target is known. Auditors never write: no write rule names them.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    private static final String API = "/api/v1";

    /**
     * The regulator console: its own scripts, styles, images and API calls only; no inline script, no
     * eval, no framing by another site, forms post only to the ledger.
     */
    static final String CONSOLE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
    /** JSON answers load nothing and are never framed. */
    static final String API_CSP = "default-src 'none'; frame-ancestors 'none'";

    /**
     * No observations of the security filters: with them every filter of every request is wrapped and
     * observed (measured as several percent of a posting's CPU). Requests are still timed as a whole
     * ({@code http.server.requests}).
     */
    @Bean
    static SecurityObservationSettings securityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    public SecurityFilterChain ledgerSecurity(HttpSecurity http, PrincipalDirectory principals, SecurityAudit audit,
                                              ConsoleSessions consoleSessions) throws Exception {
        JsonMapper json = JsonMapper.builder().build();
        http.csrf(csrf -> csrf.disable())
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .logout(logout -> logout.disable())
                .requestCache(cache -> cache.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .addFilterBefore(new ApiKeyAuthenticationFilter(principals, audit), AnonymousAuthenticationFilter.class)
                .addFilterAfter(new ConsoleSessionFilter(consoleSessions, principals), ApiKeyAuthenticationFilter.class)
                // Spring Security's defaults (nosniff, Cache-Control: no-store, X-Frame-Options, HSTS over
                // HTTPS) on every answer, and a Content-Security-Policy per kind of page
                .headers(headers -> headers
                        .addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(
                                PathPatternRequestMatcher.withDefaults().matcher("/dashboard/**"),
                                new ContentSecurityPolicyHeaderWriter(CONSOLE_CSP)))
                        .addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(
                                PathPatternRequestMatcher.withDefaults().matcher(API + "/**"),
                                new ContentSecurityPolicyHeaderWriter(API_CSP))))
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint((request, response, denied) -> {
                            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
                            write(response, json, ApiProblem.of(HttpStatus.UNAUTHORIZED, "UNAUTHORIZED",
                                    "send Authorization: Bearer <api key> with a known key"));
                        })
                        .accessDeniedHandler((request, response, denied) -> {
                            audit.record(Action.ACCESS_REFUSED, callerName(), Outcome.REFUSED, request.getRemoteAddr(),
                                    Map.of("reason", "role", "request", request.getMethod() + " " + request.getRequestURI()));
                            write(response, json, ApiProblem.forbidden("this principal's role may not do this"));
                        }))
                .authorizeHttpRequests(rules -> rules
                        // the request was authorised when it arrived; a streamed answer's completion is not a new request
                        .dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR).permitAll()
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/v3/api-docs", "/v3/api-docs/**",
                                "/swagger-ui.html", "/swagger-ui/**", "/docs/**", "/dashboard", "/dashboard/**",
                                "/error",
                                "/problems/**", "/webjars/**").permitAll()

                        .requestMatchers(POST, API + "/institutions", API + "/institutions/*/approve",
                                API + "/institutions/*/suspend", API + "/institutions/*/blacklist",
                                API + "/institutions/*/close").hasRole("REGULATOR")
                        .requestMatchers(PUT, API + "/institutions/*/policy").hasRole("REGULATOR")
                        .requestMatchers(GET, API + "/institutions/*/history", API + "/institutions/*/verify",
                                API + "/accounts/*/balance").hasAnyRole("AUDITOR", "REGULATOR")

                        .requestMatchers(POST, API + "/accounts").hasRole("BANK")
                        .requestMatchers(POST, API + "/accounts/*/freeze", API + "/accounts/*/unfreeze")
                        .hasRole("REGULATOR")
                        .requestMatchers(POST, API + "/accounts/*/transactions", API + "/transactions/batch",
                                API + "/accounts/*/statements").hasRole("BANK")
                        .requestMatchers(POST, API + "/accounts/*/orders/*/consumptions").hasRole("PLATFORM")
                        .requestMatchers(POST, API + "/accounts/*/orders/*/disputes").hasAnyRole("BANK", "PLATFORM")
                        .requestMatchers(POST, API + "/accounts/*/disputes/*/close").hasRole("REGULATOR")

                        .requestMatchers(GET, API + "/held-outflows", API + "/held-outflows/*")
                        .hasAnyRole("REGULATOR", "BANK")
                        .requestMatchers(API + "/held-outflows", API + "/held-outflows/**").hasRole("REGULATOR")
                        .requestMatchers(API + "/webhooks", API + "/webhooks/**").hasRole("BANK")
                        .requestMatchers(POST, API + "/alerts/**").hasRole("REGULATOR")
                        .requestMatchers(GET, API + "/alerts", API + "/alerts/**").hasAnyRole("REGULATOR", "AUDITOR")
                        .requestMatchers(API + "/audit/**").hasAnyRole("AUDITOR", "REGULATOR")
                        .requestMatchers(API + "/dead-letters", API + "/dead-letters/**").hasRole("REGULATOR")

                        .anyRequest().authenticated());
        return http.build();
    }

    private static String callerName() {
        Authentication caller = SecurityContextHolder.getContext().getAuthentication();
        return caller != null && caller.getPrincipal() instanceof ApiPrincipal principal ? principal.name() : null;
    }

    static void write(HttpServletResponse response, JsonMapper json, ApiProblem problem) throws IOException {
        response.setStatus(problem.status().value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getOutputStream().write(json.writeValueAsBytes(problem.body()));
    }
}
