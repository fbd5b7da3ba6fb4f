package cn.prepaid.ledger.api.http.accounts;

import cn.prepaid.ledger.api.commands.CommandDispatcher;
import cn.prepaid.ledger.api.http.ApiProblem;
import cn.prepaid.ledger.api.http.PageView;
import cn.prepaid.ledger.api.http.Viewers;
import cn.prepaid.ledger.api.http.WireFields;
import cn.prepaid.ledger.projections.query.ReadModelQueries;
import cn.prepaid.ledger.api.security.ApiPrincipal;
import cn.prepaid.ledger.api.security.Scope;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.ApproveHeldOutflow;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.RejectHeldOutflow;
import cn.prepaid.ledger.core.account.HeldOutflowDecision;
import cn.prepaid.ledger.core.ids.HeldOutflowId;
import cn.prepaid.ledger.core.ids.InvalidIdentifierException;
import io.swagger.v3.oas.annotations.Operation;
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

/** A regulator's decision on a large outflow the ledger held (大额资金异动管控). */
@RestController
@RequestMapping("/api/v1/held-outflows")
@Tag(name = "Held outflows", description = "Large outflows waiting for a regulator's decision")
public class HeldOutflowController {

    private final CommandDispatcher commands;
    private final Scope scope;
    private final Clock clock;
    private final ReadModelQueries queries;

    public HeldOutflowController(CommandDispatcher commands, Scope scope, Clock clock, ReadModelQueries queries) {
        this.queries = queries;
        this.commands = commands;
        this.scope = scope;
        this.clock = clock;
    }

    @GetMapping
    @Operation(summary = "List held outflows in the regulator's region",
            description = "status: PENDING, APPROVED or REJECTED (all when left out); institutionId narrows to one "
                    + "institution. Oldest first. Paged.")
    public PageView<AccountViews.Held> list(@AuthenticationPrincipal ApiPrincipal principal,
                                            @RequestParam(required = false) String status,
                                            @RequestParam(required = false) String institutionId,
                                            @RequestParam(required = false) Integer page,
                                            @RequestParam(required = false) Integer size) {
        WireFields fields = new WireFields(clock);
        if (status != null && !java.util.Set.of("PENDING", "APPROVED", "REJECTED").contains(status)) {
            fields.problem("status", "must be one of PENDING, APPROVED, REJECTED", "VALIDATION_FAILED");
        }
        PageView.Request paging = PageView.Request.of(fields, page, size);
        fields.throwIfInvalid();
        return PageView.of(queries.heldOutflows(Viewers.of(principal), status, institutionId, paging.page(), paging.size()),
                AccountViews.Held::of);
    }

    @PostMapping("/{id}/approve")
    @Operation(summary = "Approve a held outflow: it is paid now",
            description = "200 with the posting it produced; deciding twice → 409 HELD_OUTFLOW_ALREADY_DECIDED.")
    public AccountViews.HeldDecision approve(@AuthenticationPrincipal ApiPrincipal principal, @PathVariable String id,
                                             @RequestBody(required = false) AccountRequests.Note body) {
        HeldOutflowId held = parse(id);
        scope.regulatedAccount(principal, held.accountId());
        String note = WireFields.optionalNote("note", body == null ? null : body.note());
        HeldOutflowDecision decision = commands.<HeldOutflowDecision>dispatch(
                new ApproveHeldOutflow(held.accountId(), held, principal.name(), note, clock.instant())).payload();
        return AccountViews.HeldDecision.of(decision);
    }

    @PostMapping("/{id}/reject")
    @Operation(summary = "Reject a held outflow: its reserved amount is freed")
    public AccountViews.HeldDecision reject(@AuthenticationPrincipal ApiPrincipal principal, @PathVariable String id,
                                            @RequestBody(required = false) AccountRequests.Reason body) {
        HeldOutflowId held = parse(id);
        scope.regulatedAccount(principal, held.accountId());
        String reason = WireFields.requiredNote("reason", body == null ? null : body.reason());
        HeldOutflowDecision decision = commands.<HeldOutflowDecision>dispatch(
                new RejectHeldOutflow(held.accountId(), held, principal.name(), reason, clock.instant())).payload();
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
