package cn.prepaid.ledger.api.http.openapi;

import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;


/**
 * The error answers as reusable responses ({@code #/components/responses/...}), each problem+json with
 * the {@link Problem} schema. Operations name the ones specific to them with
 * {@code @ApiResponse(responseCode = "404", ref = ProblemAnswers.NOT_FOUND)};
 * {@link CommonAnswers} adds those every operation shares.
 */
public final class ProblemAnswers {

    public static final String PROBLEM_JSON = "application/problem+json";

    private static final String RESPONSES = "#/components/responses/";
    public static final String BAD_REQUEST = RESPONSES + "BadRequest";
    public static final String UNAUTHORIZED = RESPONSES + "Unauthorized";
    public static final String FORBIDDEN = RESPONSES + "Forbidden";
    public static final String NOT_ACCEPTABLE = RESPONSES + "NotAcceptable";
    public static final String REQUEST_TIMEOUT = RESPONSES + "RequestTimeout";
    public static final String URI_TOO_LONG = RESPONSES + "UriTooLong";
    public static final String HEADERS_TOO_LARGE = RESPONSES + "HeadersTooLarge";
    public static final String OVERLOADED = RESPONSES + "Overloaded";
    public static final String NOT_FOUND = RESPONSES + "NotFound";
    public static final String CONFLICT = RESPONSES + "Conflict";
    public static final String PAYLOAD_TOO_LARGE = RESPONSES + "PayloadTooLarge";
    public static final String UNSUPPORTED_MEDIA_TYPE = RESPONSES + "UnsupportedMediaType";
    public static final String REFUSED = RESPONSES + "Refused";
    public static final String BUSY = RESPONSES + "Busy";
    public static final String INTERNAL_ERROR = RESPONSES + "InternalError";
    public static final String STORAGE_UNAVAILABLE = RESPONSES + "StorageUnavailable";

    private ProblemAnswers() {
    }

    /** Adds the Problem schema and every error response to the document's components. */
    static void register(Components components) {
        ModelConverters.getInstance().readAll(Problem.class).forEach(components::addSchemas);
        Header retryAfter = new Header().description("seconds to wait before retrying").schema(new IntegerSchema());
        Header challenge = new Header().description("Bearer").schema(new StringSchema());
        add(components, BAD_REQUEST, problem("A field, parameter or body is invalid (VALIDATION_FAILED, "
                + "UNKNOWN_FIELD, MALFORMED_JSON, AMOUNT_INVALID, TEXT_UNSTORABLE, …), with one `errors` entry per "
                + "invalid field; or the request line, path or headers are malformed (MALFORMED_REQUEST). Nothing "
                + "was stored."));
        add(components, UNAUTHORIZED, problem("No API key, or an unknown one (UNAUTHORIZED).")
                .addHeaderObject("WWW-Authenticate", challenge));
        add(components, FORBIDDEN, problem("The key's role may not do this, or its scope (bank, region) does not "
                + "reach the target (FORBIDDEN)."));
        add(components, NOT_FOUND, problem("The target does not exist (INSTITUTION_NOT_FOUND, ACCOUNT_NOT_FOUND, "
                + "ORDER_NOT_FOUND, HELD_OUTFLOW_NOT_FOUND, ALERT_NOT_FOUND, REPLAY_NOT_FOUND, WEBHOOK_NOT_FOUND, "
                + "DELIVERY_NOT_FOUND)."));
        add(components, CONFLICT, problem("The id was used before with another body (IDEMPOTENCY_CONFLICT), or the "
                + "target's state does not allow this (ILLEGAL_STATUS_TRANSITION, INSTITUTION_CLOSED, …). "
                + "Nothing was stored."));
        add(components, NOT_ACCEPTABLE, problem("The Accept header allows neither application/json nor "
                + "application/problem+json (NOT_ACCEPTABLE). Nothing was stored."));
        add(components, REQUEST_TIMEOUT, problem("The body arrived too slowly (REQUEST_TIMEOUT). Nothing was "
                + "stored."));
        add(components, URI_TOO_LONG, problem("The request line is too long (URI_TOO_LONG)."));
        add(components, HEADERS_TOO_LARGE, problem("The request headers are too large (HEADERS_TOO_LARGE)."));
        add(components, OVERLOADED, problem("The ledger is answering as many requests as it may at once "
                + "(OVERLOADED); nothing was stored, retry.").addHeaderObject("Retry-After", retryAfter));
        add(components, PAYLOAD_TOO_LARGE, problem("The body is over 1 MiB (PAYLOAD_TOO_LARGE)."));
        add(components, UNSUPPORTED_MEDIA_TYPE, problem("The body is not application/json (UNSUPPORTED_MEDIA_TYPE)."));
        add(components, REFUSED, problem("A valid request the domain rules refuse, with the rule in `reason`."));
        add(components, BUSY, problem("The account changed too fast to apply this now (BUSY), or the ledger is "
                + "answering as many requests as it may at once (OVERLOADED); nothing was stored, retry.")
                .addHeaderObject("Retry-After", retryAfter));
        add(components, INTERNAL_ERROR, problem("The ledger failed unexpectedly (INTERNAL_ERROR), with a "
                + "`reference`."));
        add(components, STORAGE_UNAVAILABLE, problem("The database cannot be reached (STORAGE_UNAVAILABLE: nothing "
                + "was stored), or it failed while a write was being stored (OUTCOME_UNKNOWN: it may have been; "
                + "sending it again with the same id is safe), with a `reference`; or the ledger cannot answer now "
                + "(UNAVAILABLE). Retry.").addHeaderObject("Retry-After", retryAfter));
    }

    private static void add(Components components, String ref, ApiResponse response) {
        components.addResponses(ref.substring(RESPONSES.length()), response);
    }

    static ApiResponse reference(String ref) {
        return new ApiResponse().$ref(ref);
    }

    private static ApiResponse problem(String description) {
        return new ApiResponse().description(description).content(new Content().addMediaType(PROBLEM_JSON,
                new MediaType().schema(new Schema<>().$ref("#/components/schemas/Problem"))));
    }
}
