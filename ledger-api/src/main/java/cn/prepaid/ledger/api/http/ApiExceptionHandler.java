package cn.prepaid.ledger.api.http;

import cn.prepaid.ledger.core.idempotency.IdempotencyConflictException;
import cn.prepaid.ledger.core.ids.InvalidIdentifierException;
import cn.prepaid.ledger.core.money.MoneyFormatException;
import cn.prepaid.ledger.core.rules.LedgerRuleException;
import jakarta.servlet.http.HttpServletRequest;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

import java.util.Map;
import java.util.UUID;

/**
 * Turns every failure into problem+json with a {@code code}. Unexpected failures are logged with a
 * reference the client also gets; their text never reaches the client.
 */
@RestControllerAdvice
public class ApiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);
    public static final MediaType PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON;

    @ExceptionHandler(ApiProblem.class)
    public ResponseEntity<Map<String, Object>> problem(ApiProblem problem) {
        return respond(problem);
    }

    @ExceptionHandler(LedgerRuleException.class)
    public ResponseEntity<Map<String, Object>> rule(LedgerRuleException refused) {
        return respond(DomainProblems.of(refused));
    }

    @ExceptionHandler(IdempotencyConflictException.class)
    public ResponseEntity<Map<String, Object>> idempotencyConflict(IdempotencyConflictException conflict) {
        return respond(ApiProblem.idempotencyConflict());
    }

    @ExceptionHandler(MoneyFormatException.class)
    public ResponseEntity<Map<String, Object>> money(MoneyFormatException invalid) {
        return respond(ApiProblem.invalid("amount", invalid.getMessage(), "AMOUNT_INVALID"));
    }

    @ExceptionHandler(InvalidIdentifierException.class)
    public ResponseEntity<Map<String, Object>> identifier(InvalidIdentifierException invalid) {
        return respond(ApiProblem.invalid(invalid.field(), invalid.getMessage(),
                "institutionId".equals(invalid.field()) ? "INSTITUTION_ID_INVALID" : "VALIDATION_FAILED"));
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    public ResponseEntity<Map<String, Object>> unreadable(HttpMessageNotReadableException unreadable) {
        Throwable cause = unreadable.getCause();
        ApiProblem refusedBody = BodySizeLimitFilter.refusal(unreadable);
        if (refusedBody != null) {
            return respond(refusedBody);
        }
        return respond(problemFor(cause, ""));
    }

    /** The 400 for a body Jackson could not bind; {@code prefix} names where the body sits (a batch item). */
    public static ApiProblem problemFor(Throwable cause, String prefix) {
        if (cause instanceof UnrecognizedPropertyException unknown) {
            String field = unknown.getPath().isEmpty() ? unknown.getPropertyName() : JsonPaths.of(unknown.getPath());
            return ApiProblem.invalid(prefix + field, "unknown field; see the API for this request's fields",
                    "UNKNOWN_FIELD");
        }
        if (cause instanceof StorableTextDeserializer.UnstorableTextException unstorable) {
            return ApiProblem.invalid(prefix + JsonPaths.of(unstorable.getPath()), "holds a character the ledger "
                    + "cannot keep (U+0000 or an unpaired surrogate)", "TEXT_UNSTORABLE");
        }
        if (cause instanceof DatabindException mismatch && !mismatch.getPath().isEmpty()) {
            String field = JsonPaths.of(mismatch.getPath());
            return ApiProblem.invalid(prefix + field, "has the wrong JSON type or form", WireFields.codeFor(field));
        }
        return ApiProblem.of(HttpStatus.BAD_REQUEST, "MALFORMED_JSON",
                "the request body is missing or is not well-formed JSON");
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    public ResponseEntity<Map<String, Object>> missingParameter(MissingServletRequestParameterException missing) {
        return respond(ApiProblem.invalid(missing.getParameterName(), "is required", "VALIDATION_FAILED"));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    public ResponseEntity<Map<String, Object>> parameterType(MethodArgumentTypeMismatchException mismatch) {
        return respond(ApiProblem.invalid(mismatch.getName(), "has the wrong form", "VALIDATION_FAILED"));
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    public ResponseEntity<Map<String, Object>> mediaType(HttpMediaTypeNotSupportedException unsupported) {
        return respond(ApiProblem.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_MEDIA_TYPE",
                "send application/json"));
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    public ResponseEntity<Map<String, Object>> notAcceptable(HttpMediaTypeNotAcceptableException unacceptable) {
        return respond(ApiProblem.of(HttpStatus.NOT_ACCEPTABLE, "NOT_ACCEPTABLE", "this resource answers JSON"));
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    public ResponseEntity<Map<String, Object>> method(HttpRequestMethodNotSupportedException unsupported) {
        return respond(ApiProblem.of(HttpStatus.METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED",
                unsupported.getMethod() + " is not supported here"));
    }

    @ExceptionHandler(NoResourceFoundException.class)
    public ResponseEntity<Map<String, Object>> noResource(NoResourceFoundException missing) {
        return respond(ApiProblem.notFound("NOT_FOUND", "no such resource"));
    }

    @ExceptionHandler(ConcurrencyException.class)
    public ResponseEntity<Map<String, Object>> contention(ConcurrencyException contention) {
        ResponseEntity<Map<String, Object>> answer = respond(ApiProblem.busy());
        return ResponseEntity.status(answer.getStatusCode()).headers(answer.getHeaders())
                .header(HttpHeaders.RETRY_AFTER, "1").body(answer.getBody());
    }

    /**
     * The database cannot be reached, gives no connection in time, or failed while a request was being
     * stored. Only a transaction that never began (Spring's {@link CannotCreateTransactionException}: an
     * overloaded pool, a database that is down) is certain to have stored nothing; a failure after that,
     * a commit whose connection died included, may have stored it or not ({@link StorageFailure}).
     */
    @ExceptionHandler({CannotGetJdbcConnectionException.class, CannotCreateTransactionException.class,
            DataAccessResourceFailureException.class, TransientDataAccessException.class, EventStoreException.class,
            TransactionSystemException.class})
    public ResponseEntity<Map<String, Object>> storage(Exception unavailable, HttpServletRequest request) {
        String reference = UUID.randomUUID().toString();
        log.error("storage unavailable (reference {})", reference, unavailable);
        return respond(StorageFailure.problem(unavailable, request.getMethod(), reference));
    }

    /**
     * The client went away (a closed alert stream, a dropped connection): nobody is left to answer, and
     * it is not a failure of the ledger, so no error is logged and nothing is written.
     */
    @ExceptionHandler(AsyncRequestNotUsableException.class)
    public void clientGone(AsyncRequestNotUsableException gone) {
        log.debug("client disconnected: {}", gone.getMessage());
    }

    @ExceptionHandler(Exception.class)
    public ResponseEntity<Map<String, Object>> unexpected(Exception failure, HttpServletRequest request) {
        if (StorageFailure.lostConnection(failure)) {
            return storage(failure, request);
        }
        String reference = UUID.randomUUID().toString();
        log.error("unexpected failure (reference {})", reference, failure);
        return respond(new ApiProblem(HttpStatus.INTERNAL_SERVER_ERROR, "INTERNAL_ERROR",
                "the ledger failed unexpectedly; nothing more is said here", Map.of("reference", reference)));
    }

    static ResponseEntity<Map<String, Object>> respond(ApiProblem problem) {
        ResponseEntity.BodyBuilder answer = ResponseEntity.status(problem.status()).contentType(PROBLEM_JSON);
        if (problem instanceof StorageFailure retryLater) {
            answer.header(HttpHeaders.RETRY_AFTER, retryLater.retryAfterSeconds());
        }
        return answer.body(problem.body());
    }
}
