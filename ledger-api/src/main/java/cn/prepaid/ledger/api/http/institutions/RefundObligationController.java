package cn.prepaid.ledger.api.http.institutions;

import cn.prepaid.ledger.api.http.ApiProblem;
import cn.prepaid.ledger.api.http.PageView;
import cn.prepaid.ledger.api.http.WireFields;
import cn.prepaid.ledger.api.http.openapi.MoneyPatterns;
import cn.prepaid.ledger.api.http.openapi.ProblemAnswers;
import cn.prepaid.ledger.api.security.ApiPrincipal;
import cn.prepaid.ledger.api.security.Role;
import cn.prepaid.ledger.api.security.Scope;
import cn.prepaid.ledger.core.ids.InstitutionId;
import cn.prepaid.ledger.projections.query.ReadModelQueries;
import cn.prepaid.ledger.projections.query.RefundObligationSummary;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;

/**
 * What a closed institution owes families (终止办学后的退费义务): each order's unconsumed value at the
 * closure and what refunds have paid of it since. The custodian banks pay these out of escrow, so a
 * bank reads those on the accounts it holds; regulators in region and auditors read them all.
 */
@RestController
@RequestMapping("/api/v1/institutions/{id}/refund-obligations")
@Tag(name = "Institutions")
public class RefundObligationController {

    @Schema(name = "RefundObligation")
    public record Obligation(String accountId, String orderId, String studentRef,
                             @Schema(pattern = MoneyPatterns.ANSWER,
                                     description = "the order's unconsumed value at the closure") String amount,
                             @Schema(pattern = MoneyPatterns.ANSWER, description = "refunded since") String paid,
                             @Schema(pattern = MoneyPatterns.ANSWER) String outstanding,
                             @Schema(description = "when the institution was closed") String establishedAt) {

        static Obligation of(RefundObligationSummary obligation) {
            return new Obligation(obligation.accountId(), obligation.orderId(), obligation.studentRef(),
                    obligation.amount().toWire(), obligation.paid().toWire(), obligation.outstanding().toWire(),
                    obligation.establishedAt().toString());
        }
    }

    private final Scope scope;
    private final ReadModelQueries queries;
    private final Clock clock;

    public RefundObligationController(Scope scope, ReadModelQueries queries, Clock clock) {
        this.scope = scope;
        this.queries = queries;
        this.clock = clock;
    }

    @GetMapping
    @Operation(operationId = "listRefundObligations", summary = "A closed institution's refund obligations",
            description = "Page of {accountId, orderId, studentRef, amount, paid, outstanding, establishedAt}; "
                    + "empty until the institution is closed. A bank sees the obligations on its own accounts.")
    @ApiResponse(responseCode = "200", description = "OK", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", ref = ProblemAnswers.NOT_FOUND)
    public PageView<Obligation> list(@AuthenticationPrincipal ApiPrincipal principal, @PathVariable String id,
                                     @RequestParam(required = false) Integer page,
                                     @RequestParam(required = false) Integer size) {
        if (InstitutionId.problemWith(id) != null) {
            throw ApiProblem.notFound("INSTITUTION_NOT_FOUND", "no institution " + id);
        }
        scope.toReadInstitution(principal, InstitutionId.of(id));
        WireFields fields = new WireFields(clock);
        PageView.Request paging = PageView.Request.of(fields, page, size);
        fields.throwIfInvalid();
        String bankCode = principal.is(Role.BANK) ? principal.bankCode() : null;
        return PageView.of(queries.refundObligations(id, bankCode, paging.page(), paging.size()), Obligation::of);
    }
}
