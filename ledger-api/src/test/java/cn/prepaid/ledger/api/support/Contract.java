package cn.prepaid.ledger.api.support;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * "The document never lies": every answer the ledger gives a test is checked against the OpenAPI document
 * the same ledger serves, with Atlassian's swagger-request-validator. An answer whose status, media type,
 * headers or body the document does not declare fails the test that received it. Requests are not judged:
 * the document may ask more of a client than the ledger tolerates (an instant without seconds, which
 * RFC 3339 date-time refuses). Requests to paths or methods the document does not name (a test of 404
 * for an unknown path, of 405) are outside the contract.
 */
public final class Contract {

    private static final Set<String> OUTSIDE_THE_CONTRACT = Set.of("validation.request.path.missing",
            "validation.request.operation.notAllowed");

    /** One validator per ledger (base URL): each test context serves its own document. */
    private static final Map<String, OpenApiInteractionValidator> VALIDATORS = new ConcurrentHashMap<>();

    private Contract() {
    }

    /**
     * Throws an AssertionError naming every way the answer departs from the document.
     *
     * @param document fetches the ledger's live document (called once per base URL)
     */
    public static void check(String base, Function<String, String> document, String method, URI uri,
                             Http.Answer answer) {
        String path = uri.getPath();
        if (!path.startsWith("/api/")) {
            return;
        }
        OpenApiInteractionValidator validator = VALIDATORS.computeIfAbsent(base, ledger ->
                OpenApiInteractionValidator.createForInlineApiSpecification(document.apply(ledger)).build());
        Request.Method verb = Request.Method.valueOf(method);
        SimpleResponse.Builder response = new SimpleResponse.Builder(answer.status());
        answer.headers().forEach((name, values) -> response.withHeader(name, values));
        if (!answer.body().isEmpty()) {
            response.withBody(answer.body());
        }
        ValidationReport report = validator.validateResponse(path, verb, response.build());
        List<String> lies = report.getMessages().stream()
                .filter(message -> message.getLevel() == ValidationReport.Level.ERROR)
                .filter(message -> !OUTSIDE_THE_CONTRACT.contains(message.getKey()))
                .map(message -> message.getKey() + ": " + message.getMessage())
                .toList();
        if (!lies.isEmpty()) {
            throw new AssertionError("the OpenAPI document does not declare this exchange: " + method + " " + uri
                    + " answered " + answer.status() + " " + answer.contentType() + " " + answer.body() + "\n  "
                    + String.join("\n  ", lies));
        }
    }
}
