package cn.prepaid.ledger.api.http.edge;

import cn.prepaid.ledger.api.http.ApiProblem;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * Decides, before a write runs, whether its answer can be given at all. Spring negotiates the answer's
 * type only after the controller returns: a posting with {@code Accept: text/html} was stored and then
 * answered 406, so the bank believed it failed. Every write answers JSON (or problem+json), so an
 * {@code Accept} that allows neither is refused here. Every write reads JSON, so a body of any other
 * {@code Content-Type} is refused here too, before anything reads it: Spring fails with an internal error
 * on a wildcard type and on a form whose bytes are not UTF-8 (it reads forms through the container's
 * parameter parser). An empty body may say what it likes.
 */
public class WriteNegotiation implements HandlerInterceptor {

    private static final Set<String> READS = Set.of(HttpMethod.GET.name(), HttpMethod.HEAD.name(),
            HttpMethod.OPTIONS.name());
    private static final List<MediaType> ANSWERS = List.of(MediaType.APPLICATION_JSON, MediaType.APPLICATION_PROBLEM_JSON);

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod) || READS.contains(request.getMethod())) {
            return true;
        }
        if (request.getContentLengthLong() != 0) {
            checkContentType(request.getHeader(HttpHeaders.CONTENT_TYPE));
        }
        List<String> accepts = Collections.list(request.getHeaders(HttpHeaders.ACCEPT));
        checkAccept(accepts.isEmpty() ? null : String.join(",", accepts));
        return true;
    }

    private static void checkContentType(String contentType) {
        if (contentType == null) {
            return;
        }
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            boolean json = type.getType().equals("application")
                    && (type.getSubtype().equals("json") || type.getSubtype().endsWith("+json"));
            if (!json) {
                throw unsupported();
            }
        } catch (InvalidMediaTypeException unreadable) {
            throw unsupported();
        }
    }

    private static void checkAccept(String accept) {
        if (accept == null || accept.isBlank()) {
            return;
        }
        List<MediaType> acceptable;
        try {
            acceptable = MediaType.parseMediaTypes(accept);
        } catch (InvalidMediaTypeException unreadable) {
            throw notAcceptable();
        }
        boolean answerable = acceptable.stream().anyMatch(type -> type.getQualityValue() > 0
                && ANSWERS.stream().anyMatch(type::isCompatibleWith));
        if (!answerable) {
            throw notAcceptable();
        }
    }

    private static ApiProblem unsupported() {
        return ApiProblem.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_MEDIA_TYPE", "send application/json");
    }

    private static ApiProblem notAcceptable() {
        return ApiProblem.of(HttpStatus.NOT_ACCEPTABLE, "NOT_ACCEPTABLE",
                "this resource answers application/json or application/problem+json; nothing was stored");
    }
}
