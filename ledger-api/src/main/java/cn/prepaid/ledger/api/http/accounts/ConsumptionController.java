package cn.prepaid.ledger.api.http.accounts;

import cn.prepaid.ledger.api.http.ApiProblem;
import cn.prepaid.ledger.api.http.WireFields;
import cn.prepaid.ledger.api.http.openapi.ProblemAnswers;
import cn.prepaid.ledger.api.security.ApiPrincipal;
import cn.prepaid.ledger.api.security.Scope;
import cn.prepaid.ledger.core.account.ConsumptionOutcome;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.ConsumeLessons;
import cn.prepaid.ledger.core.ids.AccountId;
import cn.prepaid.ledger.core.ids.ClientIds;
import cn.prepaid.ledger.core.ids.ConsumptionId;
import cn.prepaid.ledger.core.ids.OrderId;
import cn.prepaid.ledger.store.commands.CommandDispatcher.Outcome;
import cn.prepaid.ledger.store.commands.CommandDispatcher;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.Instant;

/** Lesson consumption (消课) confirmed by the service platform. */
@RestController
@Tag(name = "Lesson consumption", description = "Delivered lessons make tuition releasable (消拨同步)")
public class ConsumptionController {

    private final CommandDispatcher commands;
    private final Scope scope;
    private final Clock clock;

    public ConsumptionController(CommandDispatcher commands, Scope scope, Clock clock) {
        this.commands = commands;
        this.scope = scope;
        this.clock = clock;
    }

    @PostMapping("/api/v1/accounts/{id}/orders/{orderId}/consumptions")
    @Operation(operationId = "confirmConsumption", summary = "Confirm lessons delivered for an order",
            description = "201 with the order's consumed and remaining lessons and what may now be released; "
                    + "more lessons than remain → 422 LESSONS_EXCEED_REMAINING.")
    @ApiResponse(responseCode = "201",
            description = "the order's consumed and remaining lessons",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = AccountViews.Consumption.class)))
    @ApiResponse(responseCode = "404", ref = ProblemAnswers.NOT_FOUND)
    @ApiResponse(responseCode = "409", ref = ProblemAnswers.CONFLICT)
    @ApiResponse(responseCode = "422", ref = ProblemAnswers.REFUSED)
    @ApiResponse(responseCode = "429", ref = ProblemAnswers.BUSY)
    public ResponseEntity<AccountViews.Consumption> consume(@AuthenticationPrincipal ApiPrincipal principal,
                                                            @PathVariable String id, @PathVariable String orderId,
                                                            @RequestBody AccountRequests.Consumption body) {
        AccountId account = AccountController.parse(id);
        scope.platformAccount(principal, account);
        if (!ClientIds.isValid(orderId)) {
            throw ApiProblem.notFound("ORDER_NOT_FOUND", "no order " + orderId);
        }
        WireFields fields = new WireFields(clock);
        String consumptionId = fields.clientId("consumptionId", body.consumptionId());
        Integer lessons = fields.positiveInt("lessons", body.lessons(), PostingTranslator.MAX_LESSONS_PER_ORDER);
        Instant occurredAt = fields.occurredAt("occurredAt", body.occurredAt());
        fields.throwIfInvalid();
        Outcome<ConsumptionOutcome> outcome = commands.dispatch(new ConsumeLessons(account, OrderId.of(orderId),
                ConsumptionId.of(consumptionId), lessons, occurredAt));
        ResponseEntity.BodyBuilder answer = ResponseEntity.status(HttpStatus.CREATED);
        if (outcome.replayed()) {
            answer.header(PostingAnswers.REPLAY_HEADER, "true");
        }
        return answer.body(AccountViews.Consumption.of(outcome.payload()));
    }
}
