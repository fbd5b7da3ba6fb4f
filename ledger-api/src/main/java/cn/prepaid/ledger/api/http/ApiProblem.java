package cn.prepaid.ledger.api.http;

import org.springframework.http.HttpStatus;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An answer other than success, as RFC 9457 problem details with a machine-readable {@code code}.
 * Thrown anywhere in request handling; {@link ApiExceptionHandler} writes it. Its text is written for
 * clients: it never carries a stack trace, SQL or a class name.
 */
public class ApiProblem extends RuntimeException {

    private final HttpStatus status;
    private final String code;
    private final Map<String, Object> extras;

    public ApiProblem(HttpStatus status, String code, String detail, Map<String, Object> extras) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
        this.extras = extras;
    }

    public static ApiProblem of(HttpStatus status, String code, String detail) {
        return new ApiProblem(status, code, detail, Map.of());
    }

    /** 400 for one or more invalid fields; the first field's code is the problem's code. */
    public static ApiProblem invalid(List<FieldProblem> errors) {
        Map<String, Object> extras = new LinkedHashMap<>();
        extras.put("errors", List.copyOf(errors));
        String detail = errors.size() == 1 ? errors.get(0).field() + ": " + errors.get(0).message()
                : errors.size() + " fields are invalid";
        return new ApiProblem(HttpStatus.BAD_REQUEST, errors.get(0).code(), detail, extras);
    }

    public static ApiProblem invalid(String field, String message, String code) {
        return invalid(List.of(new FieldProblem(field, message, code)));
    }

    public static ApiProblem notFound(String code, String detail) {
        return of(HttpStatus.NOT_FOUND, code, detail);
    }

    public static ApiProblem conflict(String code, String detail) {
        return of(HttpStatus.CONFLICT, code, detail);
    }

    /** 409: a client id was used again with another body. */
    public static ApiProblem idempotencyConflict() {
        return conflict("IDEMPOTENCY_CONFLICT", "this client id was already used with a different request body");
    }

    /** 429: lost the race for an account too often; the client should retry (Retry-After: 1). */
    public static ApiProblem busy() {
        return of(HttpStatus.TOO_MANY_REQUESTS, "BUSY", "the account is changing too fast to apply this now; retry");
    }

    public static ApiProblem forbidden(String detail) {
        return of(HttpStatus.FORBIDDEN, "FORBIDDEN", detail);
    }

    /** 422: a valid request the domain rules refuse, with the rule's reason at the top level. */
    public static ApiProblem refused(String code, String reason, String detail, Map<String, Object> more) {
        Map<String, Object> extras = new LinkedHashMap<>();
        extras.put("reason", reason);
        extras.putAll(more);
        return new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, code, detail, extras);
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Map<String, Object> extras() {
        return extras;
    }

    /** The problem+json body. */
    public Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "/problems/" + code.toLowerCase().replace('_', '-'));
        body.put("title", status.getReasonPhrase());
        body.put("status", status.value());
        body.put("detail", getMessage());
        body.put("code", code);
        body.putAll(extras);
        return body;
    }
}
