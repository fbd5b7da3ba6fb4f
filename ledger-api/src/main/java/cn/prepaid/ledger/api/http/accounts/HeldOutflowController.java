package cn.prepaid.ledger.api.http.accounts;

import cn.prepaid.ledger.api.http.ApiProblem;
import cn.prepaid.ledger.api.http.PageView;
import cn.prepaid.ledger.api.http.ReadYourWrites;
import cn.prepaid.ledger.api.http.Viewers;
import cn.prepaid.ledger.api.http.WireFields;
import cn.prepaid.ledger.api.http.openapi.ProblemAnswers;
import cn.prepaid.ledger.api.security.ApiPrincipal;
import cn.prepaid.ledger.api.security.Scope;
import cn.prepaid.ledger.api.security.SecurityAudit.Action;
import cn.prepaid.ledger.api.security.SecurityAudit.Outcome;
import cn.prepaid.ledger.api.security.SecurityAudit;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.ApproveHeldOutflow;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.RejectHeldOutflow;
import cn.prepaid.ledger.core.account.HeldOutflowDecision;
import cn.prepaid.ledger.core.ids.HeldOutflowId;
import cn.prepaid.ledger.core.ids.InvalidIdentifierException;
import cn.prepaid.ledger.projections.query.ReadModelQueries;
import cn.prepaid.ledger.store.commands.CommandDispatcher;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.util.Map;
import java.util.Set;

/** A regulator's decision on a large outflow the ledger held (大额资金异动管控). */
@RestController
@RequestMapping("/api/v1/held-outflows")
@Tag(name = "Held outflows", description = "Large outflows waiting for a regulator's decision")
public class HeldOutflowController {

    private final CommandDispatcher commands;
    private final Scope scope;
    private final Clock clock;
    private final ReadModelQueries queries;
    private final ReadYourWrites readYourWrites;
    private final SecurityAudit audit;

    public HeldOutflowController(CommandDispatcher commands, Scope scope, Clock clock, ReadModelQueries queries,
                                 ReadYourWrites readYourWrites, SecurityAudit audit) {
        this.audit = audit;
        this.queries = queries;
        this.readYourWrites = readYourWrites;
        this.commands = commands;
        this.scope = scope;
        this.clock = clock;
    }

    @GetMapping
    @Operation(operationId = "listHeldOutflows", summary = "List held outflows in scope",
            description = "A regulator sees its region, a bank its own accounts. status: PENDING, APPROVED or "
                    + "REJECTED (all when left out); institutionId narrows to one institution. Oldest first. Paged.")
    public PageView<AccountViews.Held> list(@AuthenticationPrincipal ApiPrincipal principal,
                                            @RequestParam(required = false) String status,
                                            @RequestParam(required = false) String institutionId,
                                            @RequestParam(required = false) Integer page,
                                            @RequestParam(required = false) Integer size) {
        WireFields fields = new WireFields(clock);
        if (status != null && !Set.of("PENDING", "APPROVED", "REJECTED").contains(status)) {
            fields.problem("status", "must be one of PENDING, APPROVED, REJECTED", "VALIDATION_FAILED");
        }
        PageView.Request paging = PageView.Request.of(fields, page, size);
        fields.throwIfInvalid();
        return PageView.of(queries.heldOutflows(Viewers.of(principal), status, institutionId, paging.page(),
                paging.size()), AccountViews.Held::of);
    }

    @GetMapping("/{id}")
    @Operation(operationId = "getHeldOutflow", summary = "Read one held outflow and its decision",
            description = "A bank reads those of its own accounts, a regulator those of its region; any other → 404. "
                    + "Reflects every decision answered before the request.")
    @ApiResponse(responseCode = "200", description = "OK", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", ref = ProblemAnswers.NOT_FOUND)
    public AccountViews.Held get(@AuthenticationPrincipal ApiPrincipal principal, @PathVariable String id) {
        HeldOutflowId held = parse(id);
        ReadModelQueries.Viewer viewer = Viewers.of(principal);
        // a held outflow changes only with its account's events: once the account's view is current, so is it
        String accountId = held.accountId().value();
        readYourWrites.await(accountId, () -> queries.account(accountId).orElse(null),
                account -> account == null ? -1 : account.lastSequence());
        return queries.heldOutflow(held.value())
                .filter(found -> viewer.bankCode() == null || viewer.bankCode().equals(found.bankCode()))
                .filter(found -> viewer.regionPrefix() == null || found.regionCode().startsWith(viewer.regionPrefix()))
                .map(AccountViews.Held::of)
                .orElseThrow(() -> ApiProblem.notFound("HELD_OUTFLOW_NOT_FOUND", "no held outflow " + id));
    }

    @PostMapping("/{id}/approve")
    @Operation(operationId = "approveHeldOutflow", summary = "Approve a held outflow: it is paid now",
            description = "200 with the posting it produced; deciding twice → 409 HELD_OUTFLOW_ALREADY_DECIDED.")
    @ApiResponse(responseCode = "200", description = "OK", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", ref = ProblemAnswers.NOT_FOUND)
    @ApiResponse(responseCode = "409", ref = ProblemAnswers.CONFLICT)
    @ApiResponse(responseCode = "422", ref = ProblemAnswers.REFUSED)
    @ApiResponse(responseCode = "429", ref = ProblemAnswers.BUSY)
    public AccountViews.HeldDecision approve(@AuthenticationPrincipal ApiPrincipal principal, @PathVariable String id,
                                             @RequestBody(required = false) AccountRequests.Note body) {
        HeldOutflowId held = parse(id);
        scope.regulatedAccount(principal, held.accountId());
        String note = WireFields.optionalNote("note", body == null ? null : body.note());
        HeldOutflowDecision decision = commands.<HeldOutflowDecision>dispatch(
                new ApproveHeldOutflow(held.accountId(), held, principal.name(), note, clock.instant())).payload();
        audit.recordInRequest(Action.HELD_OUTFLOW_APPROVED, principal, Outcome.SUCCEEDED,
                Map.of("heldOutflowId", id, "accountId", held.accountId().value()));
        return AccountViews.HeldDecision.of(decision);
    }

    @PostMapping("/{id}/reject")
    @Operation(operationId = "rejectHeldOutflow", summary = "Reject a held outflow: its reserved amount is freed")
    @ApiResponse(responseCode = "200", description = "OK", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", ref = ProblemAnswers.NOT_FOUND)
    @ApiResponse(responseCode = "409", ref = ProblemAnswers.CONFLICT)
    @ApiResponse(responseCode = "429", ref = ProblemAnswers.BUSY)
    public AccountViews.HeldDecision reject(@AuthenticationPrincipal ApiPrincipal principal, @PathVariable String id,
                                            @RequestBody(required = false) AccountRequests.Reason body) {
        HeldOutflowId held = parse(id);
        scope.regulatedAccount(principal, held.accountId());
        String reason = WireFields.requiredNote("reason", body == null ? null : body.reason());
        HeldOutflowDecision decision = commands.<HeldOutflowDecision>dispatch(
                new RejectHeldOutflow(held.accountId(), held, principal.name(), reason, clock.instant())).payload();
        audit.recordInRequest(Action.HELD_OUTFLOW_REJECTED, principal, Outcome.SUCCEEDED,
                Map.of("heldOutflowId", id, "accountId", held.accountId().value(), "reason", reason));
        return AccountViews.HeldDecision.of(decision);
    }

    private static HeldOutflowId parse(String id) {
        try {
            return HeldOutflowId.of(id);
        } catch (InvalidIdentifierException notOurs) {
            throw ApiProblem.notFound("HELD_OUTFLOW_NOT_FOUND", "no held outflow " + id);
        }
    }
}
