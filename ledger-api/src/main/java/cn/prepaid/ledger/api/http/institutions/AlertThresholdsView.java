package cn.prepaid.ledger.api.http.institutions;

import cn.prepaid.ledger.core.money.Ratio;
import cn.prepaid.ledger.core.policy.AlertThresholds;
import cn.prepaid.ledger.projections.readmodel.InstitutionAlertThresholds;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Every threshold of the alert catalogue, as an institution's policy sets it (docs/alert-rules.md). Shares
 * are decimal strings ("0.40"); counts, hours and days are integers. In a PUT every field is optional:
 * an absent one keeps its current value.
 */
@Schema(name = "AlertThresholds", description = "The alert catalogue's thresholds; in a PUT each field is optional and an absent one is kept.")
public record AlertThresholdsView(
        @Schema(example = "0.20", description = "BALANCE_NEAR_FLOOR below floor × (1 + this)") String nearFloorBand,
        @Schema(example = "0.40", description = "RAPID_DRAIN: outflows in the short window reaching this share")
        String rapidDrain24hRatio,
        @Schema(example = "0.60", description = "RAPID_DRAIN: outflows in the long window reaching this share")
        String rapidDrain7dRatio,
        @Schema(example = "24") Integer rapidDrainShortWindowHours,
        @Schema(example = "7") Integer rapidDrainLongWindowDays,
        @Schema(example = "0.80", description = "STRUCTURING counts outflows from this share of the large threshold")
        String structuringFrom,
        @Schema(example = "3") Integer structuringCount,
        @Schema(example = "48") Integer structuringWindowHours,
        @Schema(example = "3") Integer refundSurgeMultiple,
        @Schema(example = "5") Integer refundSurgeMinRefunds,
        @Schema(example = "2") Integer collectAndRunMultiple,
        @Schema(example = "0.50") String collectAndRunDrainShare,
        @Schema(example = "21") Integer consumptionStallDays,
        @Schema(example = "3") Integer rejectedOutflowRedCount,
        @Schema(example = "14", description = "REFUND_DISPUTE_OVERDUE: a refund dispute open longer than this many days")
        Integer refundDisputeOverdueDays) {

    public static AlertThresholdsView of(long rapidDrain24hRatioBp, long rapidDrain7dRatioBp, AlertThresholds t) {
        return new AlertThresholdsView(share(t.nearFloorBandBp()), share(rapidDrain24hRatioBp),
                share(rapidDrain7dRatioBp), t.rapidDrainShortHours(), t.rapidDrainLongDays(),
                share(t.structuringFromBp()), t.structuringCount(), t.structuringWindowHours(), t.refundSurgeMultiple(),
                t.refundSurgeMinRefunds(), t.collectAndRunMultiple(), share(t.collectAndRunDrainBp()),
                t.consumptionStallDays(), t.rejectedOutflowRedCount(), t.refundDisputeOverdueDays());
    }

    public static AlertThresholdsView of(InstitutionAlertThresholds stored) {
        return of(stored.rapidDrain24hRatioBp(), stored.rapidDrain7dRatioBp(), stored.thresholds());
    }

    private static String share(long basisPoints) {
        return Ratio.ofBasisPoints(basisPoints).toWire();
    }
}
