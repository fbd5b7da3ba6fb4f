package cn.prepaid.ledger.api.audit;

import cn.prepaid.ledger.api.http.ApiProblem;
import cn.prepaid.ledger.api.http.WireFields;
import cn.prepaid.ledger.api.http.openapi.ProblemAnswers;
import cn.prepaid.ledger.api.security.ApiPrincipal;
import cn.prepaid.ledger.api.security.Scope;
import cn.prepaid.ledger.core.ids.InstitutionId;
import cn.prepaid.ledger.core.institution.Institution;
import cn.prepaid.ledger.store.aggregates.AggregateStateReader;
import cn.prepaid.ledger.store.audit.HistoryExport;
import cn.prepaid.ledger.store.chain.ChainVerifier;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import java.time.Clock;
import java.time.Instant;

import java.util.ArrayList;
import java.util.List;

/** Auditors (and regulators in their region) check that an institution's history is unaltered. */
@RestController
@RequestMapping("/api/v1/institutions")
@Tag(name = "Audit", description = "Tamper evidence and history")
public class AuditController {

    private final ChainVerifier verifier;
    private final AggregateStateReader aggregates;
    private final Scope scope;

    private final HistoryExport history;
    private final Clock clock;

    public AuditController(ChainVerifier verifier, AggregateStateReader aggregates, Scope scope, HistoryExport history,
                           Clock clock) {
        this.history = history;
        this.clock = clock;
        this.verifier = verifier;
        this.aggregates = aggregates;
        this.scope = scope;
    }

    @Schema(name = "ChainVerification")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Verification(boolean valid, long eventsChecked, Long firstBrokenSequence, String aggregateId,
                               String detail) {
    }

    @GetMapping("/{id}/verify")
    @Operation(operationId = "verifyInstitution",
            summary = "Verify the hash chains of an institution and all its accounts",
            description = "valid: true with the number of events checked, or the first broken event: its global "
                    + "sequence, its aggregate and what is wrong.")
    @ApiResponse(responseCode = "200", description = "OK", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", ref = ProblemAnswers.NOT_FOUND)
    public Verification verify(@AuthenticationPrincipal ApiPrincipal principal, @PathVariable String id) {
        List<String> aggregatesToCheck = aggregatesOf(principal, id);
        ChainVerifier.Verdict verdict = verifier.verify(aggregatesToCheck);
        return new Verification(verdict.valid(), verdict.eventsChecked(), verdict.firstBrokenSequence(),
                verdict.aggregateId(), verdict.detail());
    }

    @GetMapping(value = "/{id}/history", produces = {"application/x-ndjson", "text/csv"})
    @Operation(operationId = "exportInstitutionHistory", summary = "Export an institution's complete history, streamed",
            description = "Every event of the institution and its accounts in recording order: NDJSON by default, "
                    + "CSV with Accept: text/csv or format=csv (for a plain download link; format=ndjson likewise). "
                    + "from/to (ISO-8601 instants) bound the recording time, [from, to).")
    @ApiResponse(responseCode = "200", description = "one event per line, in recording order", content = {
            @Content(mediaType = "application/x-ndjson", schema = @Schema(type = "string")),
            @Content(mediaType = "text/csv", schema = @Schema(type = "string"))})
    @ApiResponse(responseCode = "404", ref = ProblemAnswers.NOT_FOUND)
    public ResponseEntity<StreamingResponseBody> history(@AuthenticationPrincipal ApiPrincipal principal,
                                                         @PathVariable String id,
                                                         @RequestParam(required = false) String from,
                                                         @RequestParam(required = false) String to,
                                                         @RequestParam(required = false) String format,
                                                         @RequestHeader(value = "Accept", required = false) String accept) {
        List<String> ids = aggregatesOf(principal, id);
        WireFields fields = new WireFields(clock);
        Instant since = from == null ? null : fields.instant("from", from);
        Instant until = to == null ? null : fields.instant("to", to);
        if (format != null && !List.of("csv", "ndjson").contains(format)) {
            fields.problem("format", "must be csv or ndjson", "VALIDATION_FAILED");
        }
        fields.throwIfInvalid();
        boolean csv = format == null ? accept != null && accept.contains("text/csv") : format.equals("csv");
        HistoryExport.Format written = csv ? HistoryExport.Format.CSV : HistoryExport.Format.NDJSON;
        StreamingResponseBody body = out -> history.write(ids, since, until, written, out);
        return ResponseEntity.ok()
                .contentType(csv ? MediaType.parseMediaType("text/csv;charset=UTF-8")
                        : MediaType.parseMediaType("application/x-ndjson"))
                .header("Content-Disposition", "attachment; filename=\"history-" + id + (csv ? ".csv" : ".ndjson") + "\"")
                .body(body);
    }

    /** The institution itself and every account it ever linked. */
    List<String> aggregatesOf(ApiPrincipal principal, String id) {
        if (InstitutionId.problemWith(id) != null) {
            throw ApiProblem.notFound("INSTITUTION_NOT_FOUND", "no institution " + id);
        }
        InstitutionId institution = InstitutionId.of(id);
        scope.toReadInstitution(principal, institution);
        List<String> ids = new ArrayList<>();
        ids.add(id);
        ids.addAll(aggregates.institution(institution, Institution.State::accountIds).orElse(List.of()));
        return ids;
    }
}
