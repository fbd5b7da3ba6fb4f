package cn.prepaid.ledger.api.http;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.time.Duration;

/**
 * Refuses request bodies over the limit with 413 before anything reads them: by Content-Length when
 * the client declares it, and by counting bytes as they are read when it streams without one. Refuses
 * with 408 a body still arriving after {@code maxReadTime}: a client trickling a body in a byte at a
 * time would otherwise hold a request thread for as long as it likes (the container's connection
 * timeout only bounds the silence between two packets).
 */
public class BodySizeLimitFilter extends OncePerRequestFilter {

    private final long maxBytes;
    private final Duration maxReadTime;
    private final JsonMapper json = JsonMapper.builder().build();

    public BodySizeLimitFilter(long maxBytes, Duration maxReadTime) {
        this.maxBytes = maxBytes;
        this.maxReadTime = maxReadTime;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > maxBytes) {
            tooLarge(response);
            return;
        }
        try {
            chain.doFilter(new LimitedRequest(request, maxBytes, System.nanoTime() + maxReadTime.toNanos()), response);
        } catch (BodyRefusedException | ServletException e) {
            ApiProblem refusal = refusal(e);
            if (refusal == null) {
                throw e;
            }
            if (!response.isCommitted()) {
                response.reset();
                write(response, refusal);
            }
        }
    }

    /** The answer for a failure caused by a body this filter refused, or null when it was not. */
    static ApiProblem refusal(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof BodyRefusedException refused) {
                return refused.problem;
            }
        }
        return null;
    }

    private void tooLarge(HttpServletResponse response) throws IOException {
        write(response, tooLarge(maxBytes));
    }

    private static ApiProblem tooLarge(long maxBytes) {
        return ApiProblem.of(HttpStatus.CONTENT_TOO_LARGE, "PAYLOAD_TOO_LARGE",
                "the request body is larger than " + maxBytes + " bytes");
    }

    private void write(HttpServletResponse response, ApiProblem problem) throws IOException {
        response.setStatus(problem.status().value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getOutputStream().write(json.writeValueAsBytes(problem.body()));
    }

    /** Thrown from a read of the body; the reader's failure carries it to {@link #refusal}. */
    public static final class BodyRefusedException extends IOException {
        private final transient ApiProblem problem;

        BodyRefusedException(ApiProblem problem) {
            super(problem.getMessage());
            this.problem = problem;
        }
    }

    private static final class LimitedRequest extends HttpServletRequestWrapper {
        private final long maxBytes;
        private final long readDeadlineNanos;
        private ServletInputStream limited;

        LimitedRequest(HttpServletRequest request, long maxBytes, long readDeadlineNanos) {
            super(request);
            this.maxBytes = maxBytes;
            this.readDeadlineNanos = readDeadlineNanos;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (limited == null) {
                ServletInputStream in = super.getInputStream();
                limited = new ServletInputStream() {
                    private long read;

                    @Override
                    public int read() throws IOException {
                        int b = in.read();
                        if (b >= 0) {
                            count(1);
                        }
                        return b;
                    }

                    @Override
                    public int read(byte[] buffer, int offset, int length) throws IOException {
                        int n = in.read(buffer, offset, length);
                        if (n > 0) {
                            count(n);
                        }
                        return n;
                    }

                    private void count(int n) throws BodyRefusedException {
                        read += n;
                        if (read > maxBytes) {
                            throw new BodyRefusedException(tooLarge(maxBytes));
                        }
                        if (System.nanoTime() - readDeadlineNanos > 0) {
                            throw new BodyRefusedException(ApiProblem.of(HttpStatus.REQUEST_TIMEOUT,
                                    "REQUEST_TIMEOUT", "the request body arrived too slowly; send it at once"));
                        }
                    }

                    @Override
                    public boolean isFinished() {
                        return in.isFinished();
                    }

                    @Override
                    public boolean isReady() {
                        return in.isReady();
                    }

                    @Override
                    public void setReadListener(ReadListener listener) {
                        in.setReadListener(listener);
                    }
                };
            }
            return limited;
        }
    }
}
