package cn.prepaid.ledger.api.security;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The security audit log: one JSON line per security-relevant action (who, what, when, from where,
 * with what outcome), written through the logger {@value #LOGGER}, which logback-spring.xml sends to
 * its own file ({@code ledger.security-audit.file}, default {@code ./data/security-audit.log}) and
 * nowhere else. Callers never pass a key or a password: a refused key is recorded as refused, not
 * quoted.
 */
@Component
public class SecurityAudit {

    public static final String LOGGER = "ledger.security-audit";

    /** What happened. */
    public enum Action {
        API_KEY_REFUSED, CERTIFICATE_REFUSED, ACCESS_REFUSED, ACCOUNT_FROZEN, ACCOUNT_UNFROZEN,
        HELD_OUTFLOW_APPROVED, HELD_OUTFLOW_REJECTED, POLICY_CHANGED, PRINCIPALS_RELOADED, CONSOLE_SIGN_IN,
        CONSOLE_SIGN_OUT
    }

    /** How it ended. */
    public enum Outcome {
        SUCCEEDED, REFUSED, FAILED
    }

    private static final Logger audit = LoggerFactory.getLogger(LOGGER);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Clock clock;

    public SecurityAudit(Clock clock) {
        this.clock = clock;
    }

    /**
     * Writes one line. {@code principal} is the principal's name (null: nobody signed in);
     * {@code remoteAddress} the client's address (null: not in a request); {@code details} what the
     * action touched (ids, reasons), never a secret.
     */
    public void record(Action action, String principal, Outcome outcome, String remoteAddress, Map<String, ?> details) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", clock.instant().toString());
        line.put("action", action.name());
        line.put("outcome", outcome.name());
        line.put("principal", principal);
        line.put("remoteAddress", remoteAddress);
        line.put("details", details);
        audit.info(JSON.writeValueAsString(line));
    }

    /** {@link #record} for an action taken in the request being handled on this thread. */
    public void recordInRequest(Action action, ApiPrincipal principal, Outcome outcome, Map<String, ?> details) {
        HttpServletRequest request = currentRequest();
        Map<String, Object> withRequest = new LinkedHashMap<>(details);
        if (request != null) {
            withRequest.put("request", request.getMethod() + " " + request.getRequestURI());
        }
        record(action, principal == null ? null : principal.name(), outcome,
                request == null ? null : request.getRemoteAddr(), withRequest);
    }

    private static HttpServletRequest currentRequest() {
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes
                ? attributes.getRequest() : null;
    }
}
