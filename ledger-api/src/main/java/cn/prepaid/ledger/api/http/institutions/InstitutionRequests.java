package cn.prepaid.ledger.api.http.institutions;

import cn.prepaid.ledger.api.http.openapi.MoneyPatterns;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.swagger.v3.oas.annotations.media.Schema;

/** The bodies regulators send about institutions. */
public final class InstitutionRequests {

    private InstitutionRequests() {
    }

    @Schema(name = "RegisterInstitutionRequest", description = "Registers an institution under supervision.")
    public record Register(
            @Schema(example = "91330106MA27XK8G6H", description = "18-character unified social credit code (GB 32100-2015)")
            String institutionId,
            @Schema(example = "杭州启明艺术培训学校") String name,
            @Schema(example = "330106", description = "6-digit GB/T 2260 region code") String regionCode,
            @Schema(example = "NON_SUBJECT", allowableValues = {"SUBJECT", "NON_SUBJECT"}) String category,
            @Schema(example = "FULL_CUSTODY", allowableValues = {"FULL_CUSTODY", "RISK_RESERVE"}) String supervisionMode,
            @Schema(description = "optional; defaults per API.md") Policy policy) {
    }

    @Schema(name = "SupervisionPolicyRequest",
            description = "The supervision policy: floor and large-outflow thresholds. Money as decimal strings.")
    public record Policy(
            @Schema(example = "100000.00", pattern = MoneyPatterns.UNSIGNED_REQUEST)
            String minimumBalance,
            @Schema(example = "0.20", pattern = MoneyPatterns.RATIO)
            String liabilityRatio,
            @Schema(example = "50000.00", pattern = MoneyPatterns.UNSIGNED_REQUEST)
            String largeTransferThreshold,
            @Schema(example = "0.30", pattern = MoneyPatterns.RATIO)
            String largeTransferRatio,
            @Schema(example = "10000.00", pattern = MoneyPatterns.UNSIGNED_REQUEST)
            String largeTransferRatioFrom,
            @Schema(description = "optional; absent fields keep their current values") AlertThresholdsView alertThresholds) {
    }

    /** Approve takes no body; the others give a reason. Extra fields are tolerated: nothing here moves money. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Reason(@Schema(example = "repeated parent complaints") String reason) {
    }
}
