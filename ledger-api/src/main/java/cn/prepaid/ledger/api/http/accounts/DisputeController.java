package cn.prepaid.ledger.api.http.accounts;

import cn.prepaid.ledger.api.http.ApiProblem;
import cn.prepaid.ledger.api.http.WireFields;
import cn.prepaid.ledger.api.http.openapi.ProblemAnswers;
import cn.prepaid.ledger.api.security.ApiPrincipal;
import cn.prepaid.ledger.api.security.Role;
import cn.prepaid.ledger.api.security.Scope;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.CloseRefundDispute;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.OpenRefundDispute;
import cn.prepaid.ledger.core.ids.AccountId;
import cn.prepaid.ledger.core.ids.ClientIds;
import cn.prepaid.ledger.core.ids.DisputeId;
import cn.prepaid.ledger.core.ids.OrderId;
import cn.prepaid.ledger.store.commands.CommandDispatcher.Outcome;
import cn.prepaid.ledger.store.commands.CommandDispatcher;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.Instant;

/**
 * Refund disputes (退费争议): a bank (its own accounts) or the platform opens one on an order, and the
 * order's earned value stays in escrow (releases refused ORDER_IN_DISPUTE) until a regulator of the
 * account's region closes it. Refunds still pass.
 */
@RestController
@Tag(name = "Refund disputes", description = "A disputed refund postpones the order's releases")
public class DisputeController {

    private final CommandDispatcher commands;
    private final Scope scope;
    private final Clock clock;

    public DisputeController(CommandDispatcher commands, Scope scope, Clock clock) {
        this.commands = commands;
        this.scope = scope;
        this.clock = clock;
    }

    @Schema(name = "OpenRefundDisputeRequest", description = "A refund dispute on one order.")
    public record Open(@Schema(example = "DSP-2026-0001") String disputeId,
                       @Schema(example = "family contests the refund amount") String reason,
                       @Schema(example = "2026-03-08T18:00:00+08:00") String occurredAt) {
    }

    @Schema(name = "CloseRefundDisputeRequest", description = "How a regulator resolved the dispute.")
    public record Close(@Schema(example = "refund amount confirmed by the bureau") String resolution) {
    }

    @Schema(name = "RefundDispute", description = "A refund dispute and whether it is still open.")
    public record Dispute(String disputeId, String accountId, String orderId, String status) {
    }

    @PostMapping("/api/v1/accounts/{id}/orders/{orderId}/disputes")
    @Operation(operationId = "openRefundDispute",
            summary = "Open a refund dispute on an order (BANK for its accounts, PLATFORM)",
            description = "201; while it is open the order's releases are refused with reason ORDER_IN_DISPUTE and "
                    + "transfers do not take its earned value; refunds still pass. A repeat with the same disputeId "
                    + "and body answers again with Idempotent-Replay: true.")
    @ApiResponse(responseCode = "201", description = "the dispute, open; a repeat answers it again with "
            + "Idempotent-Replay: true", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", ref = ProblemAnswers.NOT_FOUND)
    @ApiResponse(responseCode = "409", ref = ProblemAnswers.CONFLICT)
    @ApiResponse(responseCode = "429", ref = ProblemAnswers.BUSY)
    public ResponseEntity<Dispute> open(@AuthenticationPrincipal ApiPrincipal principal, @PathVariable String id,
                                        @PathVariable String orderId, @RequestBody Open body) {
        AccountId account = AccountController.parse(id);
        if (principal.is(Role.BANK)) {
            scope.bankAccount(principal, account);
        } else {
            scope.platformAccount(principal, account);
        }
        if (!ClientIds.isValid(orderId)) {
            throw ApiProblem.notFound("ORDER_NOT_FOUND", "no order " + orderId);
        }
        WireFields fields = new WireFields(clock);
        String disputeId = fields.clientId("disputeId", body.disputeId());
        Instant occurredAt = fields.occurredAt("occurredAt", body.occurredAt());
        String reason = WireFields.requiredNote("reason", body.reason());
        fields.throwIfInvalid();
        Outcome<String> outcome = commands.dispatch(new OpenRefundDispute(account, OrderId.of(orderId),
                DisputeId.of(disputeId), principal.name(), reason, occurredAt));
        ResponseEntity.BodyBuilder answer = ResponseEntity.status(HttpStatus.CREATED);
        if (outcome.replayed()) {
            answer.header(PostingAnswers.REPLAY_HEADER, "true");
        }
        return answer.body(new Dispute(outcome.payload(), account.value(), orderId, "OPEN"));
    }

    @PostMapping("/api/v1/accounts/{id}/disputes/{disputeId}/close")
    @Operation(operationId = "closeRefundDispute", summary = "Close a refund dispute (REGULATOR of the account's region)",
            description = "200; the order's earned value may be released again. Closing twice → 409 "
                    + "DISPUTE_ALREADY_CLOSED; an unknown dispute → 404 DISPUTE_NOT_FOUND.")
    @ApiResponse(responseCode = "200", description = "the dispute, closed", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", ref = ProblemAnswers.NOT_FOUND)
    @ApiResponse(responseCode = "409", ref = ProblemAnswers.CONFLICT)
    @ApiResponse(responseCode = "429", ref = ProblemAnswers.BUSY)
    public Dispute close(@AuthenticationPrincipal ApiPrincipal principal, @PathVariable String id,
                         @PathVariable String disputeId, @RequestBody(required = false) Close body) {
        AccountId account = AccountController.parse(id);
        scope.regulatedAccount(principal, account);
        if (!ClientIds.isValid(disputeId)) {
            throw ApiProblem.notFound("DISPUTE_NOT_FOUND", "no dispute " + disputeId);
        }
        String resolution = WireFields.requiredNote("resolution", body == null ? null : body.resolution());
        String orderId = commands.<String>dispatch(new CloseRefundDispute(account, DisputeId.of(disputeId),
                principal.name(), resolution, clock.instant())).payload();
        return new Dispute(disputeId, account.value(), orderId, "CLOSED");
    }
}
