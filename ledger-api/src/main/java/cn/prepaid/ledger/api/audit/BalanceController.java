package cn.prepaid.ledger.api.audit;

import cn.prepaid.ledger.api.http.ApiProblem;
import cn.prepaid.ledger.api.http.WireFields;
import cn.prepaid.ledger.api.http.openapi.MoneyPatterns;
import cn.prepaid.ledger.api.http.openapi.ProblemAnswers;
import cn.prepaid.ledger.api.security.ApiPrincipal;
import cn.prepaid.ledger.api.security.Directory.AccountFacts;
import cn.prepaid.ledger.api.security.Scope;
import cn.prepaid.ledger.core.ids.AccountId;
import cn.prepaid.ledger.core.ids.ClientIds;
import cn.prepaid.ledger.core.ids.InstitutionId;
import cn.prepaid.ledger.core.institution.Institution;
import cn.prepaid.ledger.core.money.Money;
import cn.prepaid.ledger.core.policy.SupervisionPolicy;
import cn.prepaid.ledger.store.aggregates.AggregateStateReader;
import cn.prepaid.ledger.store.audit.BalanceAsOf;
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
import java.util.List;
import java.util.Optional;

/** Balances as of any time, as known at any time (bitemporal), for auditors and regulators in region. */
@RestController
@Tag(name = "Audit", description = "Tamper evidence and history")
public class BalanceController {

    private final BalanceAsOf balances;
    private final Scope scope;
    private final Clock clock;
    private final AggregateStateReader aggregates;

    public BalanceController(BalanceAsOf balances, Scope scope, Clock clock, AggregateStateReader aggregates) {
        this.balances = balances;
        this.scope = scope;
        this.clock = clock;
        this.aggregates = aggregates;
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
        AccountFacts facts = scope.toRead(principal, AccountId.of(id));
        WireFields fields = new WireFields(clock);
        Instant now = clock.instant();
        Instant as = asOf == null ? now : fields.instant("asOf", asOf);
        Instant known = knownAt == null ? now : fields.instant("knownAt", knownAt);
        fields.throwIfInvalid();
        BalanceAsOf.Answer answer = balances.of(id, as, known, !fullReplay)
                .orElseThrow(() -> ApiProblem.notFound("ACCOUNT_NOT_FOUND", "no account " + id));
        return new Balance(answer.balance().toWire(), answer.outstandingLiability().toWire(),
                answer.releasable().toWire(), floorShareAsOf(facts, answer, !fullReplay).toWire(),
                answer.asOf().toString(),
                answer.knownAt().toString(), answer.eventsApplied(), answer.checkpointSequence(),
                answer.eventsReplayed());
    }

    /**
     * The account's share of its institution's floor as of the same instants: the institution's floor
     * from the unearned tuition of all its accounts opened by then (each replayed as of those instants),
     * shared as {@code GET /accounts/{id}} shares it now (docs/domain.md, "The floor").
     */
    private Money floorShareAsOf(AccountFacts account, BalanceAsOf.Answer answer, boolean useCheckpoints) {
        List<String> accountIds = aggregates.institution(InstitutionId.of(account.institutionId()),
                Institution.State::accountIds).orElse(List.of());
        long institutionLiability = answer.outstandingLiability().fen();
        int opened = 1;
        for (String other : accountIds) {
            if (!other.equals(account.accountId())) {
                Optional<BalanceAsOf.Answer> then = balances.of(other, answer.asOf(), answer.knownAt(), useCheckpoints);
                if (then.isPresent()) {
                    institutionLiability += then.get().outstandingLiability().fen();
                    opened++;
                }
            }
        }
        Money institutionFloor = answer.policy().floor(Money.ofFen(institutionLiability));
        return SupervisionPolicy.floorShare(institutionFloor, answer.outstandingLiability().fen(),
                institutionLiability, opened);
    }
}
