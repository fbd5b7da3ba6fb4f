package cn.prepaid.ledger.api.audit;

import cn.prepaid.ledger.api.http.ApiProblem;
import cn.prepaid.ledger.api.http.openapi.ProblemAnswers;
import cn.prepaid.ledger.api.security.ApiPrincipal;
import cn.prepaid.ledger.api.security.Role;
import cn.prepaid.ledger.api.security.Scope;
import cn.prepaid.ledger.core.ids.InstitutionId;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Proving the regulators' views agree with the events: rebuild and compare. */
@RestController
@RequestMapping("/api/v1/audit/replays")
@Tag(name = "Audit", description = "Tamper evidence and history")
public class ReplayController {

    private final ReplayVerification replays;
    private final Scope scope;

    public ReplayController(ReplayVerification replays, Scope scope) {
        this.replays = replays;
        this.scope = scope;
    }

    @Schema(name = "StartReplayRequest")
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Request(@Schema(example = "91330106MA27XK8G6H", description = "leave out for all institutions")
                          String institutionId) {
    }

    @Schema(name = "ReplayStarted")
    public record Started(String replayId) {
    }

    @PostMapping
    @Operation(operationId = "startReplay",
            summary = "Rebuild read models from the event store into scratch tables and compare with the live ones",
            description = "202 with a replayId; follow it with GET /audit/replays/{id}.")
    @ApiResponse(responseCode = "202",
            description = "the replay started; follow it with getReplay",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = Started.class)))
    public ResponseEntity<Started> start(@AuthenticationPrincipal ApiPrincipal principal,
                                         @RequestBody(required = false) Request body) {
        String institutionId = body == null ? null : body.institutionId();
        if (institutionId != null) {
            if (InstitutionId.problemWith(institutionId) != null) {
                throw ApiProblem.invalid("institutionId", InstitutionId.problemWith(institutionId), "INSTITUTION_ID_INVALID");
            }
            scope.toReadInstitution(principal, InstitutionId.of(institutionId));
        } else if (!seesWholeLedger(principal)) {
            throw ApiProblem.forbidden("a principal bound to a region or institutions replays one of its "
                    + "institutions at a time");
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .body(new Started(replays.start(institutionId, principal.name())));
    }

    @GetMapping("/{id}")
    @Operation(operationId = "getReplay",
            summary = "Progress and outcome of a replay: RUNNING, DONE (matches and differences) or FAILED")
    @ApiResponse(responseCode = "200", description = "OK", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", ref = ProblemAnswers.NOT_FOUND)
    public ReplayVerification.Status status(@AuthenticationPrincipal ApiPrincipal principal, @PathVariable String id) {
        ReplayVerification.Status status = replays.status(id)
                .orElseThrow(() -> ApiProblem.notFound("REPLAY_NOT_FOUND", "no replay " + id));
        // scoped like the replay it reports: its institution, or the whole ledger
        if (status.institutionId() != null) {
            scope.toReadInstitution(principal, InstitutionId.of(status.institutionId()));
        } else if (!seesWholeLedger(principal)) {
            throw ApiProblem.forbidden("replay " + id + " covers the whole ledger, beyond this principal's scope");
        }
        return status;
    }

    /** A national regulator, or an auditor bound to nothing. */
    private static boolean seesWholeLedger(ApiPrincipal principal) {
        return principal.is(Role.REGULATOR) ? principal.regionPrefix().isEmpty() : !principal.isBound();
    }
}
