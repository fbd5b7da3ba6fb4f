package cn.prepaid.ledger.api.http.institutions;

import cn.prepaid.ledger.api.http.WireFields;
import cn.prepaid.ledger.core.money.Ratio;
import cn.prepaid.ledger.core.policy.AlertThresholds;
import cn.prepaid.ledger.core.policy.SupervisionPolicy;

/**
 * Reads the alert thresholds of a policy body onto the current policy: a field given replaces its value, an
 * absent one keeps it. A share outside what its rule can use, or a count, hour or day below what it
 * needs, is a field problem (VALIDATION_FAILED), and nothing is stored.
 */
final class AlertThresholdsRequest {

    private static final String FIELD = "policy.alertThresholds.";

    private AlertThresholdsRequest() {
    }

    static SupervisionPolicy applied(WireFields fields, AlertThresholdsView body, SupervisionPolicy base) {
        AlertThresholds now = base.alertThresholds();
        long drain24h = share(fields, "rapidDrain24hRatio", body.rapidDrain24hRatio(), base.rapidDrain24hRatioBp());
        long drain7d = share(fields, "rapidDrain7dRatio", body.rapidDrain7dRatio(), base.rapidDrain7dRatioBp());
        long nearBand = share(fields, "nearFloorBand", body.nearFloorBand(), now.nearFloorBandBp());
        long structuringFrom = share(fields, "structuringFrom", body.structuringFrom(), now.structuringFromBp());
        long collectDrain = share(fields, "collectAndRunDrainShare", body.collectAndRunDrainShare(),
                now.collectAndRunDrainBp());
        int shortHours = count(fields, "rapidDrainShortWindowHours", body.rapidDrainShortWindowHours(),
                now.rapidDrainShortHours(), 1);
        int longDays = count(fields, "rapidDrainLongWindowDays", body.rapidDrainLongWindowDays(),
                now.rapidDrainLongDays(), 1);
        int structuringCount = count(fields, "structuringCount", body.structuringCount(), now.structuringCount(), 2);
        int structuringHours = count(fields, "structuringWindowHours", body.structuringWindowHours(),
                now.structuringWindowHours(), 1);
        int refundMultiple = count(fields, "refundSurgeMultiple", body.refundSurgeMultiple(),
                now.refundSurgeMultiple(), 1);
        int minRefunds = count(fields, "refundSurgeMinRefunds", body.refundSurgeMinRefunds(),
                now.refundSurgeMinRefunds(), 1);
        int collectMultiple = count(fields, "collectAndRunMultiple", body.collectAndRunMultiple(),
                now.collectAndRunMultiple(), 1);
        int stallDays = count(fields, "consumptionStallDays", body.consumptionStallDays(),
                now.consumptionStallDays(), 1);
        int redCount = count(fields, "rejectedOutflowRedCount", body.rejectedOutflowRedCount(),
                now.rejectedOutflowRedCount(), 1);
        int disputeDays = count(fields, "refundDisputeOverdueDays", body.refundDisputeOverdueDays(),
                now.refundDisputeOverdueDays(), 1);
        if (drain24h == 0 || drain7d == 0) {
            fields.problem(FIELD + (drain24h == 0 ? "rapidDrain24hRatio" : "rapidDrain7dRatio"),
                    "must be greater than zero", "VALIDATION_FAILED");
        }
        if (structuringFrom == 0 || structuringFrom >= Ratio.ONE_BP) {
            fields.problem(FIELD + "structuringFrom", "must be above 0 and below 1", "VALIDATION_FAILED");
        }
        if (collectDrain == 0 || collectDrain > Ratio.ONE_BP) {
            fields.problem(FIELD + "collectAndRunDrainShare", "must be above 0 and at most 1", "VALIDATION_FAILED");
        }
        if (!fields.valid()) {
            return base;
        }
        return base.withAlertThresholds(drain24h, drain7d, new AlertThresholds(nearBand, shortHours, longDays,
                structuringFrom, structuringCount, structuringHours, refundMultiple, minRefunds, collectMultiple,
                collectDrain, stallDays, redCount, disputeDays));
    }

    private static long share(WireFields fields, String name, String value, long current) {
        if (value == null) {
            return current;
        }
        Ratio ratio = fields.ratio(FIELD + name, value);
        return ratio == null ? current : ratio.basisPoints();
    }

    private static int count(WireFields fields, String name, Integer value, int current, int least) {
        if (value == null) {
            return current;
        }
        if (value < least) {
            fields.problem(FIELD + name, "must be at least " + least, "VALIDATION_FAILED");
            return current;
        }
        return value;
    }
}
