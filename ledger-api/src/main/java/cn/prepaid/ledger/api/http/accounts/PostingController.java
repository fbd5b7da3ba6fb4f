package cn.prepaid.ledger.api.http.accounts;

import cn.prepaid.ledger.api.http.ApiExceptionHandler;
import cn.prepaid.ledger.api.http.ApiProblem;
import cn.prepaid.ledger.api.http.WireFields;
import cn.prepaid.ledger.api.http.accounts.PostingAnswers.Answer;
import cn.prepaid.ledger.api.http.openapi.Problem;
import cn.prepaid.ledger.api.http.openapi.ProblemAnswers;
import cn.prepaid.ledger.api.security.ApiPrincipal;
import cn.prepaid.ledger.api.security.Scope;
import cn.prepaid.ledger.core.account.EscrowAccount;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.Posting;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.ReconcileStatement;
import cn.prepaid.ledger.core.account.PostingOutcome;
import cn.prepaid.ledger.core.account.StatementOutcome;
import cn.prepaid.ledger.core.ids.AccountId;
import cn.prepaid.ledger.core.money.Money;
import cn.prepaid.ledger.store.commands.ApplyPostingBatch.ItemOutcome;
import cn.prepaid.ledger.store.commands.ApplyPostingBatch;
import cn.prepaid.ledger.store.commands.CommandDispatcher.Outcome;
import cn.prepaid.ledger.store.commands.CommandDispatcher;
import cn.prepaid.ledger.store.commands.PostingGroupCommit;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Bank postings, single and in batches, and daily statements (BANK, own accounts only). */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "Bank postings", description = "What happens to the money, and the outflows the bank asks to authorise")
public class PostingController {

    public static final int MAX_BATCH = 1_000;

    private final CommandDispatcher commands;
    private final PostingGroupCommit singlePostings;
    private final Scope scope;
    private final PostingTranslator translator;
    private final Clock clock;
    private final JsonMapper json;

    public PostingController(CommandDispatcher commands, PostingGroupCommit singlePostings, Scope scope, Clock clock,
                             JsonMapper json) {
        this.commands = commands;
        this.singlePostings = singlePostings;
        this.json = json;
        this.scope = scope;
        this.translator = new PostingTranslator(clock);
        this.clock = clock;
    }

    @PostMapping("/accounts/{id}/transactions")
    @Operation(operationId = "postTransaction", summary = "Post one bank transaction",
            description = "201 recorded/released/refunded · 202 held for a regulator (large outflow) · 422 "
                    + "OUTFLOW_REJECTED with a reason (the refusal is recorded). A repeat with the same bankTxnId "
                    + "and body answers the first answer again with Idempotent-Replay: true.")
    @ApiResponse(responseCode = "201",
            description = "recorded, released or refunded (a repeat: Idempotent-Replay: true)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = AccountViews.Posting.class)))
    @ApiResponse(responseCode = "202",
            description = "held for a regulator's decision (a large outflow): heldOutflowId, no "
                    + "postingId",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = AccountViews.Posting.class)))
    @ApiResponse(responseCode = "404", ref = ProblemAnswers.NOT_FOUND)
    @ApiResponse(responseCode = "409", ref = ProblemAnswers.CONFLICT)
    @ApiResponse(responseCode = "422", ref = ProblemAnswers.REFUSED)
    @ApiResponse(responseCode = "429", ref = ProblemAnswers.BUSY)
    public ResponseEntity<Object> post(@AuthenticationPrincipal ApiPrincipal principal, @PathVariable String id,
                                       @RequestBody AccountRequests.Posting body) {
        AccountId account = AccountController.parse(id);
        scope.bankAccount(principal, account);
        if (body.accountId() != null && !body.accountId().equals(id)) {
            throw ApiProblem.invalid("accountId", "differs from the account in the path", "VALIDATION_FAILED");
        }
        Posting command = translator.toCommand(account, body, "");
        // concurrent single postings share a transaction and its commit; each keeps its own answer
        Outcome<PostingOutcome> outcome = singlePostings.post(command);
        return respond(PostingAnswers.of(outcome));
    }

    @Schema(name = "BatchItemResult")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ItemResult(int index, int status,
                             @Schema(description = "what the single-posting endpoint would have answered: a "
                                     + "PostingResult when status is 201 or 202, a Problem otherwise",
                                     oneOf = {AccountViews.Posting.class, Problem.class}) Object body,
                             @Schema(description = "present (true) when the item repeated an earlier posting")
                             Boolean replayed) {
    }

    @Schema(name = "PostingBatchResult")
    public record BatchResult(List<ItemResult> results) {
    }

    @PostMapping("/transactions/batch")
    @Operation(operationId = "postTransactionBatch", summary = "Post up to 1,000 bank transactions",
            description = "200 with one result per item, in request order; each item's status and body are what "
                    + "the single-posting endpoint would have answered for it. Idempotency holds per item.")
    public BatchResult batch(@AuthenticationPrincipal ApiPrincipal principal,
                             @RequestBody AccountRequests.Batch body) {
        if (body.transactions() == null) {
            throw ApiProblem.invalid("transactions", "is required", "VALIDATION_FAILED");
        }
        if (body.transactions().size() > MAX_BATCH) {
            throw ApiProblem.invalid("transactions", "holds " + body.transactions().size()
                    + " items; a batch holds at most " + MAX_BATCH, "BATCH_TOO_LARGE");
        }
        int size = body.transactions().size();
        Answer[] answers = new Answer[size];
        List<Integer> indexes = new ArrayList<>(size);
        List<Posting> postings = new ArrayList<>(size);
        Map<AccountId, RuntimeException> outOfScope = new HashMap<>();
        for (int index = 0; index < size; index++) {
            String prefix = "transactions[" + index + "].";
            try {
                AccountRequests.Posting item = readItem(body.transactions().get(index), index, prefix);
                AccountId account = PostingTranslator.batchAccount(item, prefix);
                RuntimeException refused = outOfScope.computeIfAbsent(account, id -> scopeProblem(principal, id));
                if (refused != null) {
                    throw refused;
                }
                postings.add(translator.toCommand(account, item, prefix));
                indexes.add(index);
            } catch (RuntimeException failure) {
                answers[index] = PostingAnswers.failure(failure);
            }
        }
        // One command, one transaction for every account's postings: one aggregate load per account.
        if (!postings.isEmpty()) {
            try {
                List<ItemOutcome> outcomes = commands.<List<ItemOutcome>>dispatch(new ApplyPostingBatch(postings)).payload();
                for (int i = 0; i < indexes.size(); i++) {
                    answers[indexes.get(i)] = PostingAnswers.of(outcomes.get(i));
                }
            } catch (RuntimeException failure) {
                Answer answer = PostingAnswers.failure(failure);
                indexes.forEach(index -> answers[index] = answer);
            }
        }
        List<ItemResult> results = new ArrayList<>(size);
        for (int index = 0; index < size; index++) {
            Answer answer = answers[index];
            results.add(new ItemResult(index, answer.status(), answer.body(), answer.replayed() ? Boolean.TRUE : null));
        }
        return new BatchResult(results);
    }

    /** One batch item, read as strictly as a single posting body, its problems named with the item's prefix. */
    private AccountRequests.Posting readItem(JsonNode item, int index, String prefix) {
        if (item == null || !item.isObject()) {
            throw ApiProblem.invalid("transactions[" + index + "]", "must be a posting object", "VALIDATION_FAILED");
        }
        try {
            return json.treeToValue(item, AccountRequests.Posting.class);
        } catch (JacksonException unreadable) {
            throw ApiExceptionHandler.problemFor(unreadable, prefix);
        }
    }

    /** Null when the principal may post to the account; the refusal otherwise. */
    private RuntimeException scopeProblem(ApiPrincipal principal, AccountId account) {
        try {
            scope.bankAccount(principal, account);
            return null;
        } catch (ApiProblem refused) {
            return refused;
        }
    }

    @PostMapping("/accounts/{id}/statements")
    @Operation(operationId = "postStatement", summary = "Post the bank's daily statement",
            description = "MISMATCHED when the closing balance differs from the ledger's balance at the end of that "
                    + "day (by occurredAt, Asia/Shanghai) or the posting counts differ.")
    @ApiResponse(responseCode = "200", description = "OK", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", ref = ProblemAnswers.NOT_FOUND)
    @ApiResponse(responseCode = "409", ref = ProblemAnswers.CONFLICT)
    @ApiResponse(responseCode = "429", ref = ProblemAnswers.BUSY)
    public ResponseEntity<AccountViews.Statement> statement(@AuthenticationPrincipal ApiPrincipal principal,
                                                            @PathVariable String id,
                                                            @RequestBody AccountRequests.Statement body) {
        AccountId account = AccountController.parse(id);
        scope.bankAccount(principal, account);
        WireFields fields = new WireFields(clock);
        String statementId = fields.clientId("statementId", body.statementId());
        LocalDate date = fields.date("statementDate", body.statementDate());
        Money closing = fields.decimal("closingBalance", body.closingBalance());
        Integer count = fields.nonNegativeInt("transactionCount", body.transactionCount(), 10_000_000);
        if (date != null && date.isAfter(LocalDate.now(clock.withZone(EscrowAccount.LEDGER_ZONE)))) {
            fields.problem("statementDate", "lies in the future", "VALIDATION_FAILED");
        }
        fields.throwIfInvalid();
        Outcome<StatementOutcome> outcome = commands.dispatch(
                new ReconcileStatement(account, statementId, date, closing, count));
        ResponseEntity.BodyBuilder answer = ResponseEntity.ok();
        if (outcome.replayed()) {
            answer.header(PostingAnswers.REPLAY_HEADER, "true");
        }
        return answer.body(AccountViews.Statement.of(outcome.payload()));
    }

    private static ResponseEntity<Object> respond(Answer answer) {
        ResponseEntity.BodyBuilder builder = ResponseEntity.status(answer.status());
        if (answer.status() >= 400) {
            builder.contentType(ApiExceptionHandler.PROBLEM_JSON);
        } else {
            builder.contentType(MediaType.APPLICATION_JSON);
        }
        if (answer.replayed()) {
            builder.header(PostingAnswers.REPLAY_HEADER, "true");
        }
        return builder.body(answer.body());
    }
}
