package cn.prepaid.ledger.core.policy;

/**
 * The thresholds of the alert catalogue that a regulator may tune per institution, with the defaults of
 * DOMAIN.md §5 in one place ({@link #DEFAULTS}). The rapid-drain shares are the policy's own
 * ({@link SupervisionPolicy#rapidDrain24hRatioBp()}, {@link SupervisionPolicy#rapidDrain7dRatioBp()}).
 * Held in primitive units (basis points, counts, hours, days) because it is carried inside stored events;
 * events stored before it existed carry none and mean the defaults. {@code refundDisputeOverdueDays} came
 * later: boxed, so that thresholds stored before it existed read it as null, which means its default.
 *
 * @param nearFloorBandBp           BALANCE_NEAR_FLOOR below floor × (1 + this)
 * @param rapidDrainShortHours      RAPID_DRAIN's short window
 * @param rapidDrainLongDays        RAPID_DRAIN's long window
 * @param structuringFromBp         STRUCTURING counts outflows from this share of the large threshold...
 * @param structuringCount          ...when at least this many...
 * @param structuringWindowHours    ...fall within this many hours
 * @param refundSurgeMultiple       REFUND_SURGE: refunds in 7 days at least this many times the weekly mean...
 * @param refundSurgeMinRefunds     ...and at least this many
 * @param collectAndRunMultiple     COLLECT_AND_RUN: collection at least this many times the trailing mean...
 * @param collectAndRunDrainBp      ...then outflows of at least this share of it within 7 days
 * @param consumptionStallDays      CONSUMPTION_STALL: deposits but no consumption for this many days
 * @param rejectedOutflowRedCount   REJECTED_OUTFLOW is RED from this many refusals within 24 hours
 * @param refundDisputeOverdueDays  REFUND_DISPUTE_OVERDUE: a refund dispute open longer than this many days
 */
public record AlertThresholds(
        long nearFloorBandBp,
        int rapidDrainShortHours,
        int rapidDrainLongDays,
        long structuringFromBp,
        int structuringCount,
        int structuringWindowHours,
        int refundSurgeMultiple,
        int refundSurgeMinRefunds,
        int collectAndRunMultiple,
        long collectAndRunDrainBp,
        int consumptionStallDays,
        int rejectedOutflowRedCount,
        Integer refundDisputeOverdueDays) {

    private static final int DEFAULT_REFUND_DISPUTE_OVERDUE_DAYS = 14;

    public static final AlertThresholds DEFAULTS = new AlertThresholds(
            2_000,  // near the floor: below 120 % of it
            24,     // rapid drain: 24 hours...
            7,      // ...or 7 days
            8_000,  // structuring: outflows from 80 % of the large threshold...
            3,      // ...three of them...
            48,     // ...within 48 hours
            3,      // refund surge: 3 × the trailing weekly mean...
            5,      // ...and at least 5 refunds
            2,      // collect and run: 2 × the trailing mean...
            5_000,  // ...then 50 % of it out within 7 days
            21,     // consumption stall: 21 days
            3,      // rejected outflow: RED from the third refusal in 24 hours
            DEFAULT_REFUND_DISPUTE_OVERDUE_DAYS);

    private static final long ONE_BP = 10_000L;

    public AlertThresholds {
        if (refundDisputeOverdueDays == null) {
            refundDisputeOverdueDays = DEFAULT_REFUND_DISPUTE_OVERDUE_DAYS;
        }
        require(nearFloorBandBp >= 0, "nearFloorBand cannot be negative");
        require(rapidDrainShortHours > 0 && rapidDrainLongDays > 0, "rapid-drain windows must be positive");
        require(structuringFromBp > 0 && structuringFromBp < ONE_BP, "structuringFrom must be above 0 and below 1");
        require(structuringCount >= 2, "structuringCount must be at least 2");
        require(structuringWindowHours > 0, "structuringWindowHours must be positive");
        require(refundSurgeMultiple > 0 && refundSurgeMinRefunds > 0, "refund-surge thresholds must be positive");
        require(collectAndRunMultiple > 0, "collectAndRunMultiple must be positive");
        require(collectAndRunDrainBp > 0 && collectAndRunDrainBp <= ONE_BP,
                "collectAndRunDrainShare must be above 0 and at most 1");
        require(consumptionStallDays > 0, "consumptionStallDays must be positive");
        require(rejectedOutflowRedCount > 0, "rejectedOutflowRedCount must be positive");
        require(refundDisputeOverdueDays > 0, "refundDisputeOverdueDays must be positive");
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
