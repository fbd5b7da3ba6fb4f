package cn.prepaid.ledger.api.http.institutions;

import cn.prepaid.ledger.api.http.ApiProblem;
import cn.prepaid.ledger.api.http.PageView;
import cn.prepaid.ledger.api.http.ReadYourWrites;
import cn.prepaid.ledger.api.http.Viewers;
import cn.prepaid.ledger.api.http.WireFields;
import cn.prepaid.ledger.api.http.openapi.ProblemAnswers;
import cn.prepaid.ledger.api.security.ApiPrincipal;
import cn.prepaid.ledger.api.security.Role;
import cn.prepaid.ledger.api.security.Scope;
import cn.prepaid.ledger.api.security.SecurityAudit.Action;
import cn.prepaid.ledger.api.security.SecurityAudit.Outcome;
import cn.prepaid.ledger.api.security.SecurityAudit;
import cn.prepaid.ledger.core.account.EscrowAccount;
import cn.prepaid.ledger.core.ids.AccountId;
import cn.prepaid.ledger.core.ids.InstitutionId;
import cn.prepaid.ledger.core.ids.RegionCode;
import cn.prepaid.ledger.core.institution.Institution;
import cn.prepaid.ledger.core.institution.InstitutionCategory;
import cn.prepaid.ledger.core.institution.InstitutionCommand.ApproveInstitution;
import cn.prepaid.ledger.core.institution.InstitutionCommand.BlacklistInstitution;
import cn.prepaid.ledger.core.institution.InstitutionCommand.ChangeSupervisionPolicy;
import cn.prepaid.ledger.core.institution.InstitutionCommand.CloseInstitution;
import cn.prepaid.ledger.core.institution.InstitutionCommand.RegisterInstitution;
import cn.prepaid.ledger.core.institution.InstitutionCommand.SuspendInstitution;
import cn.prepaid.ledger.core.institution.InstitutionCommand;
import cn.prepaid.ledger.core.institution.InstitutionStatus;
import cn.prepaid.ledger.core.money.Money;
import cn.prepaid.ledger.core.money.Ratio;
import cn.prepaid.ledger.core.policy.SupervisionMode;
import cn.prepaid.ledger.core.policy.SupervisionPolicy;
import cn.prepaid.ledger.core.supervision.SupervisionService;
import cn.prepaid.ledger.projections.query.AlertQueries;
import cn.prepaid.ledger.projections.query.InstitutionSummary;
import cn.prepaid.ledger.projections.query.Page;
import cn.prepaid.ledger.projections.query.ReadModelQueries.InstitutionFilter;
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
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** Registering and supervising institutions (REGULATOR in region); reading them (all roles in scope). */
@RestController
@RequestMapping("/api/v1/institutions")
@Tag(name = "Institutions", description = "Registration, whitelist status and supervision policy")
public class InstitutionController {

    private final CommandDispatcher commands;
    private final SupervisionService supervision;
    private final AggregateStateReader aggregates;
    private final Scope scope;
    private final Clock clock;
    private final ReadModelQueries queries;
    private final ReadYourWrites readYourWrites;
    private final AlertQueries alerts;
    private final SecurityAudit audit;

    public InstitutionController(CommandDispatcher commands, SupervisionService supervision,
                                 AggregateStateReader aggregates, Scope scope, Clock clock, ReadModelQueries queries,
                                 ReadYourWrites readYourWrites, AlertQueries alerts, SecurityAudit audit) {
        this.audit = audit;
        this.queries = queries;
        this.alerts = alerts;
        this.readYourWrites = readYourWrites;
        this.commands = commands;
        this.supervision = supervision;
        this.aggregates = aggregates;
        this.scope = scope;
        this.clock = clock;
    }

    @PostMapping
    @Operation(operationId = "registerInstitution", summary = "Register an institution",
            description = "201 with the institution. Repeating the same registration answers it again with "
                    + "Idempotent-Replay: true; the same id with other details is 409 IDEMPOTENCY_CONFLICT.")
    @ApiResponse(responseCode = "201",
            description = "the institution, REGISTERED; the same registration repeated answers it "
                    + "again with Idempotent-Replay: true",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = InstitutionView.class)))
    @ApiResponse(responseCode = "409", ref = ProblemAnswers.CONFLICT)
    @ApiResponse(responseCode = "429", ref = ProblemAnswers.BUSY)
    public ResponseEntity<InstitutionView> register(@AuthenticationPrincipal ApiPrincipal principal,
                                                    @RequestBody InstitutionRequests.Register body) {
        WireFields fields = new WireFields(clock);
        InstitutionId id = fields.institutionId("institutionId", body.institutionId());
        String name = fields.text("name", body.name(), 200);
        String region = body.regionCode() != null && !body.regionCode().matches("\\d{6}")
                ? invalidRegion(fields) : fields.text("regionCode", body.regionCode(), 6);
        InstitutionCategory category = fields.oneOf("category", body.category(), InstitutionCategory.class);
        SupervisionMode mode = fields.oneOf("supervisionMode", body.supervisionMode(), SupervisionMode.class);
        SupervisionPolicy policy = body.policy() == null || mode == null ? null
                : policy(fields, body.policy(), SupervisionPolicy.defaultsFor(mode));
        fields.throwIfInvalid();
        scope.regulatedRegion(principal, region);

        RegisterInstitution command = new RegisterInstitution(id, name, RegionCode.of(region), category, mode, policy,
                principal.name(), clock.instant());
        try {
            commands.dispatch(command);
        } catch (AggregateStreamCreationException exists) {
            boolean sameRegistration = aggregates.institution(id, institution ->
                    Objects.equals(institution.name(), name) && Objects.equals(institution.regionCode(), region)
                            && institution.category() == category && institution.supervisionMode() == mode
                            && (policy == null || policy.equals(institution.policy()))).orElse(false);
            if (!sameRegistration) {
                throw ApiProblem.conflict("IDEMPOTENCY_CONFLICT",
                        "institution " + id + " is already registered with different details");
            }
            return ResponseEntity.status(HttpStatus.CREATED).header("Idempotent-Replay", "true").body(view(id));
        }
        return ResponseEntity.status(HttpStatus.CREATED).body(view(id));
    }

    @PostMapping("/{id}/approve")
    @Operation(operationId = "approveInstitution", summary = "Approve (whitelist) an institution")
    @ApiResponse(responseCode = "200", description = "OK", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", ref = ProblemAnswers.NOT_FOUND)
    @ApiResponse(responseCode = "409", ref = ProblemAnswers.CONFLICT)
    @ApiResponse(responseCode = "429", ref = ProblemAnswers.BUSY)
    public InstitutionView approve(@AuthenticationPrincipal ApiPrincipal principal, @PathVariable String id) {
        InstitutionId institution = regulated(principal, id);
        return change(new ApproveInstitution(institution, principal.name(), clock.instant()));
    }

    @PostMapping("/{id}/suspend")
    @Operation(operationId = "suspendInstitution",
            summary = "Suspend an institution: releases and transfers stop, refunds continue")
    @ApiResponse(responseCode = "200", description = "OK", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", ref = ProblemAnswers.NOT_FOUND)
    @ApiResponse(responseCode = "409", ref = ProblemAnswers.CONFLICT)
    @ApiResponse(responseCode = "429", ref = ProblemAnswers.BUSY)
    public InstitutionView suspend(@AuthenticationPrincipal ApiPrincipal principal, @PathVariable String id,
                                   @RequestBody(required = false) InstitutionRequests.Reason body) {
        InstitutionId institution = regulated(principal, id);
        return change(new SuspendInstitution(institution, reason(body), principal.name(), clock.instant()));
    }

    @PostMapping("/{id}/blacklist")
    @Operation(operationId = "blacklistInstitution", summary = "Blacklist an institution")
    @ApiResponse(responseCode = "200", description = "OK", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", ref = ProblemAnswers.NOT_FOUND)
    @ApiResponse(responseCode = "409", ref = ProblemAnswers.CONFLICT)
    @ApiResponse(responseCode = "429", ref = ProblemAnswers.BUSY)
    public InstitutionView blacklist(@AuthenticationPrincipal ApiPrincipal principal, @PathVariable String id,
                                     @RequestBody(required = false) InstitutionRequests.Reason body) {
        InstitutionId institution = regulated(principal, id);
        return change(new BlacklistInstitution(institution, reason(body), principal.name(), clock.instant()));
    }

    @PostMapping("/{id}/close")
    @Operation(operationId = "closeInstitution", summary = "Close an institution (终止办学)",
            description = "Releases stop for good; every order's unconsumed value becomes a refund obligation.")
    @ApiResponse(responseCode = "200", description = "OK", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", ref = ProblemAnswers.NOT_FOUND)
    @ApiResponse(responseCode = "409", ref = ProblemAnswers.CONFLICT)
    @ApiResponse(responseCode = "429", ref = ProblemAnswers.BUSY)
    public InstitutionView close(@AuthenticationPrincipal ApiPrincipal principal, @PathVariable String id,
                                 @RequestBody(required = false) InstitutionRequests.Reason body) {
        InstitutionId institution = regulated(principal, id);
        return change(new CloseInstitution(institution, reason(body), principal.name(), clock.instant()));
    }

    @PutMapping("/{id}/policy")
    @Operation(operationId = "setSupervisionPolicy",
            summary = "Set the supervision policy",
            description = "Applies to every account of the institution at once.")
    @ApiResponse(responseCode = "200", description = "OK", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", ref = ProblemAnswers.NOT_FOUND)
    @ApiResponse(responseCode = "409", ref = ProblemAnswers.CONFLICT)
    @ApiResponse(responseCode = "429", ref = ProblemAnswers.BUSY)
    public InstitutionView policy(@AuthenticationPrincipal ApiPrincipal principal, @PathVariable String id,
                                  @RequestBody InstitutionRequests.Policy body) {
        InstitutionId institution = regulated(principal, id);
        SupervisionPolicy current = aggregates.institution(institution, Institution.State::policy).orElseThrow();
        WireFields fields = new WireFields(clock);
        SupervisionPolicy policy = policy(fields, body, current);
        fields.throwIfInvalid();
        InstitutionView changed = change(new ChangeSupervisionPolicy(institution, policy, principal.name(),
                clock.instant()));
        audit.recordInRequest(Action.POLICY_CHANGED, principal, Outcome.SUCCEEDED,
                Map.of("institutionId", institution.value(), "from", current.toString(), "to", policy.toString()));
        return changed;
    }

    @GetMapping("/{id}")
    @Operation(operationId = "getInstitution",
            summary = "Read an institution", description = "From the read model, after it has applied this "
            + "institution's and its accounts' latest events.")
    @ApiResponse(responseCode = "200", description = "OK", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", ref = ProblemAnswers.NOT_FOUND)
    public InstitutionView get(@AuthenticationPrincipal ApiPrincipal principal, @PathVariable String id) {
        InstitutionId institution = parse(id);
        scope.toReadInstitution(principal, institution);
        InstitutionSummary summary = readYourWrites.await(id, () -> queries.institution(id).orElse(null),
                found -> found == null ? -1 : found.lastSequence());
        if (summary == null) {
            throw ApiProblem.notFound("INSTITUTION_NOT_FOUND", "no institution " + id);
        }
        for (String accountId : summary.accountIds()) {
            readYourWrites.await(accountId, () -> queries.account(accountId).orElse(null),
                    found -> found == null ? -1 : found.lastSequence());
        }
        return viewFor(principal, queries.institution(id).orElse(summary));
    }

    /** A bank sees only the accounts it holds and their figures; everyone else the whole institution. */
    private InstitutionView viewFor(ApiPrincipal principal, InstitutionSummary summary) {
        if (principal.is(Role.BANK)) {
            return InstitutionView.seenByBank(summary, queries.accountsOf(summary.institutionId()),
                    principal.bankCode());
        }
        return InstitutionView.of(summary);
    }

    @GetMapping
    @Operation(operationId = "listInstitutions",
            summary = "List institutions in scope", description = "Regulators see their region, banks the "
            + "institutions they hold accounts of, platform and auditors all. Paged: page from 0, size 1-500. "
            + "q searches the name (any part) or the credit code (its start); sort=risk ranks the riskiest first "
            + "(risk level, then open RED, then open YELLOW alerts), sort=id (the default) orders by credit code.")
    public PageView<InstitutionView> list(@AuthenticationPrincipal ApiPrincipal principal,
                                          @RequestParam(required = false) String regionCode,
                                          @RequestParam(required = false) String status,
                                          @RequestParam(required = false) String riskLevel,
                                          @RequestParam(required = false) String q,
                                          @RequestParam(required = false) String sort,
                                          @RequestParam(required = false) Integer page,
                                          @RequestParam(required = false) Integer size) {
        WireFields fields = new WireFields(clock);
        if (regionCode != null && !regionCode.matches("\\d{1,6}")) {
            fields.problem("regionCode", "must be 1-6 digits", "VALIDATION_FAILED");
        }
        if (status != null) {
            fields.oneOf("status", status, InstitutionStatus.class);
        }
        if (riskLevel != null && !Set.of("NONE", "LOW", "MEDIUM", "HIGH").contains(riskLevel)) {
            fields.problem("riskLevel", "must be one of NONE, LOW, MEDIUM, HIGH", "VALIDATION_FAILED");
        }
        if (sort != null && !List.of("risk", "id").contains(sort)) {
            fields.problem("sort", "must be risk or id", "VALIDATION_FAILED");
        }
        String search = q == null || q.isBlank() ? null : fields.text("q", q.trim(), 200);
        PageView.Request paging = PageView.Request.of(fields, page, size);
        fields.throwIfInvalid();
        Page<InstitutionSummary> found = queries.institutions(Viewers.of(principal),
                new InstitutionFilter(regionCode, status, riskLevel, search, "risk".equals(sort)),
                paging.page(), paging.size());
        return PageView.of(found, summary -> viewFor(principal, summary));
    }

    private InstitutionView change(InstitutionCommand command) {
        supervision.change(command);
        return view(command.institutionId());
    }

    private InstitutionId regulated(ApiPrincipal principal, String id) {
        InstitutionId institution = parse(id);
        scope.regulatedInstitution(principal, institution);
        return institution;
    }

    private static InstitutionId parse(String id) {
        if (InstitutionId.problemWith(id) != null) {
            throw ApiProblem.notFound("INSTITUTION_NOT_FOUND", "no institution " + id);
        }
        return InstitutionId.of(id);
    }

    private static String reason(InstitutionRequests.Reason body) {
        return WireFields.requiredNote("reason", body == null ? null : body.reason());
    }

    private static String invalidRegion(WireFields fields) {
        fields.problem("regionCode", "must be 6 digits (GB/T 2260)", "VALIDATION_FAILED");
        return null;
    }

    static SupervisionPolicy policy(WireFields fields, InstitutionRequests.Policy body, SupervisionPolicy base) {
        Money minimum = fields.nonNegativeMoney("policy.minimumBalance", body.minimumBalance());
        var liability = fields.ratio("policy.liabilityRatio", body.liabilityRatio());
        Money threshold = fields.nonNegativeMoney("policy.largeTransferThreshold", body.largeTransferThreshold());
        var ratio = fields.ratio("policy.largeTransferRatio", body.largeTransferRatio());
        Money ratioFrom = fields.nonNegativeMoney("policy.largeTransferRatioFrom", body.largeTransferRatioFrom());
        for (var share : Map.of("policy.liabilityRatio", liability == null ? 0L : liability.basisPoints(),
                "policy.largeTransferRatio", ratio == null ? 0L : ratio.basisPoints()).entrySet()) {
            if (share.getValue() > Ratio.ONE_BP) {
                fields.problem(share.getKey(), "must be between 0 and 1", "VALIDATION_FAILED");
            }
        }
        if (threshold != null && !threshold.isPositive()) {
            fields.problem("policy.largeTransferThreshold", "must be greater than zero", "AMOUNT_INVALID");
        }
        SupervisionPolicy thresholds = body.alertThresholds() == null ? base
                : AlertThresholdsRequest.applied(fields, body.alertThresholds(), base);
        if (!fields.valid()) {
            return null;
        }
        return thresholds.withCoreValues(minimum, liability, threshold, ratio, ratioFrom);
    }

    private InstitutionView view(InstitutionId id) {
        return aggregates.institution(id, institution -> institution).map(institution -> {
            List<String> accountIds = institution.accountIds();
            long balance = 0;
            long liability = 0;
            for (String accountId : accountIds) {
                Optional<long[]> totals = aggregates.account(AccountId.of(accountId), account -> totals(account));
                if (totals.isPresent()) {
                    balance += totals.get()[0];
                    liability += totals.get()[1];
                }
            }
            Money floor = institution.policy().floor(Money.ofFen(liability));
            long[] open = alerts.openAlertCounts(institution.institutionId());
            return new InstitutionView(institution.institutionId(), institution.name(), institution.regionCode(),
                    institution.category().name(), institution.supervisionMode().name(), institution.status().name(),
                    InstitutionView.PolicyView.of(institution.policy()), accountIds, Money.ofFen(balance).toWire(),
                    Money.ofFen(liability).toWire(), floor.toWire(), AlertQueries.riskLevel(open[0], open[1]),
                    (int) (open[0] + open[1]));
        }).orElseThrow(() -> ApiProblem.notFound("INSTITUTION_NOT_FOUND", "no institution " + id));
    }

    private static long[] totals(EscrowAccount.State account) {
        return new long[]{account.balance().fen(), account.outstandingLiability().fen()};
    }
}
