package cn.prepaid.ledger.api.http.openapi;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.responses.ApiResponses;

/**
 * Adds the error answers that follow from how every request is handled, so no operation can forget
 * them: the key is checked first (401, 403), a body is size-limited and must be JSON (413, 415), a body
 * or a query parameter can be invalid (400), and the database can fail (503, 500). The answers that
 * depend on what an operation does (404, 409, 422, 429) are named on the operation itself.
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
        boolean hasInput = hasBody || operation.getParameters() != null && operation.getParameters().stream()
                .anyMatch(parameter -> !"path".equals(parameter.getIn()));
        if (hasInput) {
            addIfMissing(responses, "400", ProblemAnswers.BAD_REQUEST);
        }
        addIfMissing(responses, "401", ProblemAnswers.UNAUTHORIZED);
        addIfMissing(responses, "403", ProblemAnswers.FORBIDDEN);
        if (hasBody) {
            addIfMissing(responses, "413", ProblemAnswers.PAYLOAD_TOO_LARGE);
            addIfMissing(responses, "415", ProblemAnswers.UNSUPPORTED_MEDIA_TYPE);
        }
        addIfMissing(responses, "500", ProblemAnswers.INTERNAL_ERROR);
        addIfMissing(responses, "503", ProblemAnswers.STORAGE_UNAVAILABLE);
    }

    private static void addIfMissing(ApiResponses responses, String status, String ref) {
        responses.putIfAbsent(status, ProblemAnswers.reference(ref));
    }
}
