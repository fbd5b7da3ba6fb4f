package cn.prepaid.ledger.api.audit;

import cn.prepaid.ledger.api.http.ApiProblem;
import cn.prepaid.ledger.api.http.WireFields;
import cn.prepaid.ledger.api.http.openapi.MoneyPatterns;
import cn.prepaid.ledger.api.http.openapi.ProblemAnswers;
import cn.prepaid.ledger.api.security.ApiPrincipal;
import cn.prepaid.ledger.api.security.Scope;
import cn.prepaid.ledger.core.ids.AccountId;
import cn.prepaid.ledger.core.ids.ClientIds;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.Instant;

/** Balances as of any time, as known at any time (bitemporal), for auditors and regulators in region. */
@RestController
@Tag(name = "Audit", description = "Tamper evidence and history")
public class BalanceController {

    private final BalanceAsOf balances;
    private final Scope scope;
    private final Clock clock;

    public BalanceController(BalanceAsOf balances, Scope scope, Clock clock) {
        this.balances = balances;
        this.scope = scope;
        this.clock = clock;
    }

    /**
     * {@code checkpointSequence} (the account sequence the answer started from, null for none) and
     * {@code eventsReplayed} (events read and applied for this answer) are additions to API.md's fields.
     */
    @Schema(name = "BalanceAsOf")
    public record Balance(@Schema(pattern = MoneyPatterns.ANSWER) String balance,
                          @Schema(pattern = MoneyPatterns.ANSWER) String outstandingLiability,
                          @Schema(pattern = MoneyPatterns.ANSWER) String releasable,
                          @Schema(pattern = MoneyPatterns.ANSWER) String floor, String asOf, String knownAt,
                          long eventsApplied, @Schema(nullable = true) Long checkpointSequence, long eventsReplayed) {
    }

    @GetMapping("/api/v1/accounts/{id}/balance")
    @Operation(operationId = "getBalanceAsOf",
            summary = "An account's balance, liability, releasable and floor as of an instant, as known at another",
            description = "asOf: what had happened by then (occurredAt); knownAt: what the ledger had recorded by then "
                    + "(default now). A late posting makes the two differ. fullReplay=true ignores checkpoints and replays from "
                    + "the first event: the same answer, slower (a cross-check).")
    @ApiResponse(responseCode = "200", description = "OK", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", ref = ProblemAnswers.NOT_FOUND)
    public Balance balance(@AuthenticationPrincipal ApiPrincipal principal, @PathVariable String id,
                           @RequestParam(required = false) String asOf,
                           @RequestParam(required = false) String knownAt,
                           @RequestParam(defaultValue = "false") boolean fullReplay) {
        if (!ClientIds.isValid(id)) {
            throw ApiProblem.notFound("ACCOUNT_NOT_FOUND", "no account " + id);
        }
        scope.toRead(principal, AccountId.of(id));
        WireFields fields = new WireFields(clock);
        Instant now = clock.instant();
        Instant as = asOf == null ? now : fields.instant("asOf", asOf);
        Instant known = knownAt == null ? now : fields.instant("knownAt", knownAt);
        fields.throwIfInvalid();
        BalanceAsOf.Answer answer = balances.of(id, as, known, !fullReplay)
                .orElseThrow(() -> ApiProblem.notFound("ACCOUNT_NOT_FOUND", "no account " + id));
        return new Balance(answer.balance().toWire(), answer.outstandingLiability().toWire(),
                answer.releasable().toWire(), answer.floor().toWire(), answer.asOf().toString(),
                answer.knownAt().toString(), answer.eventsApplied(), answer.checkpointSequence(),
                answer.eventsReplayed());
    }
}
