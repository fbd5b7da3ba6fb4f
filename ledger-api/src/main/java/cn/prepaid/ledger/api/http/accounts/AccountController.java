package cn.prepaid.ledger.api.http.accounts;

import cn.prepaid.ledger.api.http.ApiProblem;
import cn.prepaid.ledger.api.http.PageView;
import cn.prepaid.ledger.api.http.ReadYourWrites;
import cn.prepaid.ledger.api.http.WireFields;
import cn.prepaid.ledger.api.http.openapi.ProblemAnswers;
import cn.prepaid.ledger.api.security.ApiPrincipal;
import cn.prepaid.ledger.api.security.Directory;
import cn.prepaid.ledger.api.security.Scope;
import cn.prepaid.ledger.api.security.SecurityAudit.Action;
import cn.prepaid.ledger.api.security.SecurityAudit.Outcome;
import cn.prepaid.ledger.api.security.SecurityAudit;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.FreezeAccount;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.UnfreezeAccount;
import cn.prepaid.ledger.core.ids.AccountId;
import cn.prepaid.ledger.core.ids.BankCode;
import cn.prepaid.ledger.core.ids.ClientIds;
import cn.prepaid.ledger.core.ids.InstitutionId;
import cn.prepaid.ledger.core.institution.Institution;
import cn.prepaid.ledger.core.money.Money;
import cn.prepaid.ledger.core.policy.SupervisionPolicy;
import cn.prepaid.ledger.core.rules.LedgerRejection;
import cn.prepaid.ledger.core.rules.LedgerRuleException;
import cn.prepaid.ledger.core.supervision.SupervisionService;
import cn.prepaid.ledger.projections.query.AccountSummary;
import cn.prepaid.ledger.projections.query.ReadModelQueries;
import cn.prepaid.ledger.store.aggregates.AggregateStateReader;
import cn.prepaid.ledger.store.commands.CommandDispatcher;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Opening (BANK), reading (all in scope) and freezing (REGULATOR in region) escrow accounts. */
@RestController
@RequestMapping("/api/v1/accounts")
@Tag(name = "Escrow accounts", description = "Supervised prepaid-tuition accounts (预收费资金专户)")
public class AccountController {

    private final SupervisionService supervision;
    private final CommandDispatcher commands;
    private final AggregateStateReader aggregates;
    private final Directory directory;
    private final Scope scope;
    private final Clock clock;
    private final ReadModelQueries queries;
    private final ReadYourWrites readYourWrites;
    private final SecurityAudit audit;

    public AccountController(SupervisionService supervision, CommandDispatcher commands,
                             AggregateStateReader aggregates, Directory directory, Scope scope, Clock clock,
                             ReadModelQueries queries, ReadYourWrites readYourWrites, SecurityAudit audit) {
        this.audit = audit;
        this.queries = queries;
        this.readYourWrites = readYourWrites;
        this.supervision = supervision;
        this.commands = commands;
        this.aggregates = aggregates;
        this.directory = directory;
        this.scope = scope;
        this.clock = clock;
    }

    @PostMapping
    @Operation(operationId = "openAccount", summary = "Open an escrow account at the calling bank",
            description = "201 with the account. The same accountId with the same body answers it again with "
                    + "Idempotent-Replay: true; with another body, 409 IDEMPOTENCY_CONFLICT.")
    @ApiResponse(responseCode = "201",
            description = "the account; the same opening repeated answers it again with "
                    + "Idempotent-Replay: true",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = AccountViews.Account.class)))
    @ApiResponse(responseCode = "404", ref = ProblemAnswers.NOT_FOUND)
    @ApiResponse(responseCode = "409", ref = ProblemAnswers.CONFLICT)
    @ApiResponse(responseCode = "422", ref = ProblemAnswers.REFUSED)
    @ApiResponse(responseCode = "429", ref = ProblemAnswers.BUSY)
    public ResponseEntity<AccountViews.Account> open(@AuthenticationPrincipal ApiPrincipal principal,
                                                     @RequestBody AccountRequests.Open body) {
        WireFields fields = new WireFields(clock);
        String accountId = fields.clientId("accountId", body.accountId());
        InstitutionId institution = fields.institutionId("institutionId", body.institutionId());
        String bankAccountNo = fields.text("bankAccountNo", body.bankAccountNo(), 64);
        fields.throwIfInvalid();
        AccountId account = AccountId.of(accountId);
        if (directory.institutionRegion(institution).isEmpty()) {
            throw ApiProblem.notFound("INSTITUTION_NOT_FOUND", "no institution " + institution);
        }
        if (directory.account(account).isEmpty()) {
            try {
                supervision.openAccount(account, institution, BankCode.of(principal.bankCode()), bankAccountNo,
                        clock.instant());
                return ResponseEntity.status(HttpStatus.CREATED).body(view(account));
            } catch (AggregateStreamCreationException raced) {
                // opened meanwhile, by this request's twin or someone else: judged below
            } catch (LedgerRuleException refused) {
                if (refused.rejection() != LedgerRejection.ACCOUNT_ALREADY_EXISTS) {
                    throw refused;
                }
            }
        }
        boolean sameAccount = aggregates.account(account, existing ->
                existing.institutionId().equals(institution.value())
                        && existing.bankCode().equals(principal.bankCode())
                        && Objects.equals(existing.bankAccountNo(), bankAccountNo)).orElse(false);
        if (!sameAccount) {
            throw ApiProblem.conflict("IDEMPOTENCY_CONFLICT", "account " + account + " already exists with other details");
        }
        return ResponseEntity.status(HttpStatus.CREATED).header(PostingAnswers.REPLAY_HEADER, "true").body(view(account));
    }

    @GetMapping("/{id}")
    @Operation(operationId = "getAccount", summary = "Read an account: balance, floor, releasable, liability")
    @ApiResponse(responseCode = "200", description = "OK", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", ref = ProblemAnswers.NOT_FOUND)
    public AccountViews.Account get(@AuthenticationPrincipal ApiPrincipal principal, @PathVariable String id) {
        AccountId account = parse(id);
        scope.toRead(principal, account);
        AccountSummary summary = readYourWrites.await(id, () -> queries.account(id).orElse(null),
                found -> found == null ? -1 : found.lastSequence());
        if (summary == null) {
            throw ApiProblem.notFound("ACCOUNT_NOT_FOUND", "no account " + id);
        }
        return AccountViews.Account.of(summary);
    }

    @GetMapping("/{id}/orders")
    @Operation(operationId = "listAccountOrders", summary = "An account's tuition orders, newest deposit first",
            description = "Paged; each order with its lessons, price, what was paid, consumed, released and refunded; "
                    + "after the read model has applied the account's latest events.")
    @ApiResponse(responseCode = "200", description = "OK", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", ref = ProblemAnswers.NOT_FOUND)
    public PageView<AccountViews.Order> orders(@AuthenticationPrincipal ApiPrincipal principal, @PathVariable String id,
                                               @RequestParam(required = false) Integer page,
                                               @RequestParam(required = false) Integer size) {
        AccountId account = parse(id);
        scope.toRead(principal, account);
        WireFields fields = new WireFields(clock);
        PageView.Request paging = PageView.Request.of(fields, page, size);
        fields.throwIfInvalid();
        // orders change in the same read-model transaction as their account: once it has caught up, so have they
        readYourWrites.await(id, () -> queries.account(id).orElse(null), found -> found == null ? -1 : found.lastSequence());
        return PageView.of(queries.ordersOf(id, paging.page(), paging.size()), AccountViews.Order::of);
    }

    @PostMapping("/{id}/freeze")
    @Operation(operationId = "freezeAccount", summary = "Freeze an account: nothing but refunds leaves it")
    @ApiResponse(responseCode = "200", description = "OK", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", ref = ProblemAnswers.NOT_FOUND)
    @ApiResponse(responseCode = "409", ref = ProblemAnswers.CONFLICT)
    @ApiResponse(responseCode = "429", ref = ProblemAnswers.BUSY)
    public AccountViews.Account freeze(@AuthenticationPrincipal ApiPrincipal principal, @PathVariable String id,
                                       @RequestBody(required = false) AccountRequests.Reason body) {
        AccountId account = parse(id);
        scope.regulatedAccount(principal, account);
        String reason = reason(body);
        commands.dispatch(new FreezeAccount(account, reason, principal.name(), clock.instant()));
        audit.recordInRequest(Action.ACCOUNT_FROZEN, principal, Outcome.SUCCEEDED,
                Map.of("accountId", account.value(), "reason", reason));
        return view(account);
    }

    @PostMapping("/{id}/unfreeze")
    @Operation(operationId = "unfreezeAccount", summary = "Unfreeze an account")
    @ApiResponse(responseCode = "200", description = "OK", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", ref = ProblemAnswers.NOT_FOUND)
    @ApiResponse(responseCode = "409", ref = ProblemAnswers.CONFLICT)
    @ApiResponse(responseCode = "429", ref = ProblemAnswers.BUSY)
    public AccountViews.Account unfreeze(@AuthenticationPrincipal ApiPrincipal principal, @PathVariable String id,
                                         @RequestBody(required = false) AccountRequests.Reason body) {
        AccountId account = parse(id);
        scope.regulatedAccount(principal, account);
        String reason = reason(body);
        commands.dispatch(new UnfreezeAccount(account, reason, principal.name(), clock.instant()));
        audit.recordInRequest(Action.ACCOUNT_UNFROZEN, principal, Outcome.SUCCEEDED,
                Map.of("accountId", account.value(), "reason", reason));
        return view(account);
    }

    /** An id that cannot be an account id names no account: 404, not 400, like any unknown path. */
    static AccountId parse(String id) {
        if (!ClientIds.isValid(id)) {
            throw ApiProblem.notFound("ACCOUNT_NOT_FOUND", "no account " + id);
        }
        return AccountId.of(id);
    }

    private static String reason(AccountRequests.Reason body) {
        return WireFields.requiredNote("reason", body == null ? null : body.reason());
    }

    private AccountViews.Account view(AccountId account) {
        return aggregates.account(account, state -> new Read(AccountViews.Account.of(state), state.institutionId(),
                        state.outstandingLiability().fen(), state.policy()))
                .map(read -> read.view().withFloor(floorShare(account, read)))
                .orElseThrow(() -> ApiProblem.notFound("ACCOUNT_NOT_FOUND", "no account " + account));
    }

    /** What an answer needs of the aggregate, copied while it is held. */
    private record Read(AccountViews.Account view, String institutionId, long liabilityFen, SupervisionPolicy policy) {
    }

    /**
     * The account's share of its institution's floor, from the other accounts' committed state; read one
     * aggregate at a time, never while holding another.
     */
    private Money floorShare(AccountId account, Read read) {
        List<String> accountIds = aggregates.institution(InstitutionId.of(read.institutionId()),
                Institution.State::accountIds).orElse(List.of());
        long institutionLiability = read.liabilityFen();
        for (String other : accountIds) {
            if (!other.equals(account.value())) {
                institutionLiability += aggregates.account(AccountId.of(other),
                        state -> state.outstandingLiability().fen()).orElse(0L);
            }
        }
        Money institutionFloor = read.policy().floor(Money.ofFen(institutionLiability));
        return SupervisionPolicy.floorShare(institutionFloor, read.liabilityFen(), institutionLiability,
                Math.max(1, accountIds.size()));
    }
}
