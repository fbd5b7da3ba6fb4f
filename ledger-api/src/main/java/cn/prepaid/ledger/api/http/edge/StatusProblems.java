package cn.prepaid.ledger.api.http.edge;

import cn.prepaid.ledger.api.http.ApiProblem;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.json.JsonMapper;

/**
 * The problem for a request refused before any controller saw it (by the servlet container, the
 * firewall or the dispatcher), known only by its status. Says what a client can fix, never why the
 * container thought so.
 */
public final class StatusProblems {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private StatusProblems() {
    }

    public static ApiProblem of(int statusCode) {
        HttpStatus status = HttpStatus.resolve(statusCode);
        if (status == null || !status.isError()) {
            status = HttpStatus.INTERNAL_SERVER_ERROR;
        }
        return switch (status) {
            case BAD_REQUEST -> ApiProblem.of(status, "MALFORMED_REQUEST", "the request line, its path or its headers "
                    + "are malformed or too large (paths may not hold '..', '//', ';' or bad percent-encoding; the "
                    + "request line and headers together hold at most 8 KB)");
            case NOT_FOUND -> ApiProblem.notFound("NOT_FOUND", "no such resource");
            case METHOD_NOT_ALLOWED -> ApiProblem.of(status, "METHOD_NOT_ALLOWED", "this method is not supported here");
            case CONTENT_TOO_LARGE -> ApiProblem.of(status, "PAYLOAD_TOO_LARGE", "the request body is too large");
            case URI_TOO_LONG -> ApiProblem.of(status, "URI_TOO_LONG", "the request line is too long");
            case REQUEST_HEADER_FIELDS_TOO_LARGE -> ApiProblem.of(status, "HEADERS_TOO_LARGE",
                    "the request headers are too large");
            case SERVICE_UNAVAILABLE -> ApiProblem.of(status, "UNAVAILABLE", "the ledger cannot answer now; retry later");
            default -> status.is4xxClientError()
                    ? ApiProblem.of(status, status.name(), status.getReasonPhrase().toLowerCase())
                    : ApiProblem.of(status, "INTERNAL_ERROR", "the ledger failed unexpectedly; nothing more is said here");
        };
    }

    /** The problem+json body of {@link #of}, for writers below Spring MVC. */
    public static byte[] body(ApiProblem problem) {
        return JSON.writeValueAsBytes(problem.body());
    }
}
