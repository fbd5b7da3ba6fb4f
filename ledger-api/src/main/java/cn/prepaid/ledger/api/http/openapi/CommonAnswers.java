package cn.prepaid.ledger.api.http.openapi;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.responses.ApiResponses;

/**
 * Adds the error answers that follow from how every request is handled, so no operation can forget
 * them: the container refuses a malformed or oversized request line or headers (400, 414, 431), the
 * ledger sheds requests past its in-flight limit (429), the key is checked first (401, 403), the answer
 * must be acceptable to the client (406), a body is size-limited, must arrive in time and must be JSON
 * (413, 408, 415), a body or a query parameter can be invalid (400), and the database can fail (503,
 * 500). The answers that depend on what an operation does (404, 409, 422, and 429 BUSY) are named on the
 * operation itself.
 */
final class CommonAnswers {

    private CommonAnswers() {
    }

    static void addTo(OpenAPI openApi) {
        openApi.getPaths().values().forEach(path -> path.readOperations().forEach(CommonAnswers::addTo));
    }

    private static void addTo(Operation operation) {
        ApiResponses responses = operation.getResponses();
        boolean hasBody = operation.getRequestBody() != null;
        addIfMissing(responses, "400", ProblemAnswers.BAD_REQUEST);
        addIfMissing(responses, "401", ProblemAnswers.UNAUTHORIZED);
        addIfMissing(responses, "403", ProblemAnswers.FORBIDDEN);
        addIfMissing(responses, "406", ProblemAnswers.NOT_ACCEPTABLE);
        if (hasBody) {
            addIfMissing(responses, "408", ProblemAnswers.REQUEST_TIMEOUT);
            addIfMissing(responses, "413", ProblemAnswers.PAYLOAD_TOO_LARGE);
            addIfMissing(responses, "415", ProblemAnswers.UNSUPPORTED_MEDIA_TYPE);
        }
        addIfMissing(responses, "414", ProblemAnswers.URI_TOO_LONG);
        addIfMissing(responses, "429", ProblemAnswers.OVERLOADED);
        addIfMissing(responses, "431", ProblemAnswers.HEADERS_TOO_LARGE);
        addIfMissing(responses, "500", ProblemAnswers.INTERNAL_ERROR);
        addIfMissing(responses, "503", ProblemAnswers.STORAGE_UNAVAILABLE);
    }

    private static void addIfMissing(ApiResponses responses, String status, String ref) {
        responses.putIfAbsent(status, ProblemAnswers.reference(ref));
    }
}
