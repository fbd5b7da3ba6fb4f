package cn.prepaid.ledger.api.support;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * "The document never lies": every answer the ledger gives a test is checked against the OpenAPI document
 * the same ledger serves, with Atlassian's swagger-request-validator. An answer whose status, media type,
 * headers or body the document does not declare fails the test that received it. A request the ledger
 * accepted (2xx; for a batch, every item too) must be one the document accepts. Requests to paths or
 * methods the document does not name (a test of 404 for an unknown path, of 405) are outside the contract.
 */
public final class Contract {

    private static final Set<String> OUTSIDE_THE_CONTRACT = Set.of("validation.request.path.missing",
            "validation.request.operation.notAllowed");
    private static final String BATCH = "/api/v1/transactions/batch";

    /** One validator per ledger (base URL): each test context serves its own document. */
    private static final Map<String, OpenApiInteractionValidator> VALIDATORS = new ConcurrentHashMap<>();

    private Contract() {
    }

    /**
     * Throws an AssertionError naming every way the exchange departs from the document.
     *
     * @param document fetches the ledger's live document (called once per base URL)
     */
    public static void check(String base, Function<String, String> document, String method, URI uri,
                      Map<String, String> requestHeaders, String requestBody, Http.Answer answer) {
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
        if (accepted(path, answer)) {
            report = report.merge(validator.validateRequest(request(verb, uri, requestHeaders, requestBody)));
        }
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

    /** The ledger took the request as valid: a success, and for a batch every item a success too. */
    private static boolean accepted(String path, Http.Answer answer) {
        if (answer.status() >= 300) {
            return false;
        }
        if (!path.equals(BATCH)) {
            return true;
        }
        JsonNode results = answer.json().get("results");
        return results.valueStream().allMatch(result -> result.get("status").asInt() < 300);
    }

    private static Request request(Request.Method verb, URI uri, Map<String, String> headers, String body) {
        SimpleRequest.Builder request = new SimpleRequest.Builder(verb, uri.getPath());
        headers.forEach(request::withHeader);
        if (body != null) {
            request.withBody(body);
        }
        if (uri.getRawQuery() != null) {
            Map<String, List<String>> parameters = Arrays.stream(uri.getRawQuery().split("&"))
                    .map(pair -> pair.split("=", 2))
                    .collect(Collectors.groupingBy(pair -> decode(pair[0]),
                            Collectors.mapping(pair -> pair.length > 1 ? decode(pair[1]) : "", Collectors.toList())));
            parameters.forEach(request::withQueryParam);
        }
        return request.build();
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
}
