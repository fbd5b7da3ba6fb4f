package cn.prepaid.ledger.api.http.edge;

import cn.prepaid.ledger.api.http.ApiProblem;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Past {@code maxInFlight} requests being worked on at once, a new one is answered 429 with
 * {@code Retry-After} at once instead of waiting: beyond what the connection pool can serve, waiting
 * requests only queue into timeouts, and every client of an overloaded ledger fails slowly instead of
 * some failing fast. The operator's endpoints (health, metrics) are never shed, so a load balancer and
 * Prometheus can still see the node. A streamed answer counts only while a thread works on it.
 *
 * <p>The count is this process's own: it protects this process's threads and pool, whatever the other
 * nodes do.
 */
public class LoadShedding extends OncePerRequestFilter {

    static final String RETRY_AFTER_SECONDS = "1";

    private final int maxInFlight;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Counter shed;

    public LoadShedding(int maxInFlight, MeterRegistry meters) {
        this.maxInFlight = maxInFlight;
        this.shed = Counter.builder("ledger.http.requests.shed")
                .description("requests answered 429 at once because too many were in flight").register(meters);
        Gauge.builder("ledger.http.requests.in.flight", inFlight, AtomicInteger::get)
                .description("requests being worked on now (operator endpoints excepted)").register(meters);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return request.getRequestURI().startsWith("/actuator/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (inFlight.incrementAndGet() > maxInFlight) {
            inFlight.decrementAndGet();
            shed.increment();
            ApiProblem problem = ApiProblem.of(HttpStatus.TOO_MANY_REQUESTS, "OVERLOADED", "the ledger is working on "
                    + "as many requests as it can; nothing was done with this one, send it again shortly");
            response.setStatus(problem.status().value());
            response.setHeader(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.getOutputStream().write(StatusProblems.body(problem));
            return;
        }
        try {
            chain.doFilter(request, response);
        } finally {
            inFlight.decrementAndGet();
        }
    }
}
