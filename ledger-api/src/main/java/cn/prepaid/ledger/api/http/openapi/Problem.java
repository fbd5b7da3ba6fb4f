package cn.prepaid.ledger.api.http.openapi;

import cn.prepaid.ledger.api.http.ApiExceptionHandler;
import cn.prepaid.ledger.api.http.ApiProblem;
import cn.prepaid.ledger.api.http.FieldProblem;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

/**
 * The documented shape of every error answer: what {@link ApiProblem#body()} writes, as generated
 * clients should read it. Only the OpenAPI document uses this record; {@link ApiExceptionHandler} writes
 * the body itself, and the contract test checks that the two agree.
 */
@Schema(name = "Problem", description = "RFC 9457 problem details with a machine-readable code. Fields past "
        + "`code` appear only on the problems that carry them.")
public record Problem(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "/problems/outflow-rejected",
                description = "derived from code") String type,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "Unprocessable Content") String title,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "422") int status,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "order ORD-1 has 160.00 releasable",
                description = "for people") String detail,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "OUTFLOW_REJECTED",
                description = "machine-readable; the codes per status are listed in docs/api.md") String code,
        @ArraySchema(arraySchema = @Schema(description = "400 only: one entry per invalid field"))
        List<FieldProblem> errors,
        @Schema(example = "EXCEEDS_RELEASABLE", description = "422 only: the rule that refused the request")
        String reason,
        @Schema(example = "ICBC20260301000123", description = "a refused posting's bankTxnId") String bankTxnId,
        @Schema(example = "4800.00", pattern = MoneyPatterns.ANSWER,
                description = "a refused posting: the account's balance, unchanged") String balance,
        @Schema(example = "3f1c0d1e-8f7a-4b1e-9a51-0c1f4b0e2d11",
                description = "500 and 503: the reference also written to the ledger's log") String reference) {
}
