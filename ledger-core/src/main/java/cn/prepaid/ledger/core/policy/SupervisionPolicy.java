package cn.prepaid.ledger.core.policy;

import cn.prepaid.ledger.core.money.Money;
import cn.prepaid.ledger.core.money.Ratio;

import java.math.BigInteger;

/**
 * Every threshold that governs one institution's escrow, with the defaults of DOMAIN.md §3 in one
 * place. Held in primitive units (fen, basis points) because it is carried inside stored events,
 * whose form must stay stable for years of replay.
 *
 * @param minimumBalanceFen        the floor never drops below this
 * @param liabilityRatioBp         the floor covers this share of outstanding unearned tuition
 * @param largeTransferThresholdFen an outflow at or above this is large and held
 * @param largeTransferRatioBp     an outflow of at least this share of the balance before it is large...
 * @param largeTransferRatioFromFen ...when it is also at least this amount
 * @param rapidDrain24hRatioBp     outflows in 24 h reaching this share of the balance raise RAPID_DRAIN
 * @param rapidDrain7dRatioBp      outflows in 7 days reaching this share raise RAPID_DRAIN
 * @param maxLessonsPerCharge      the charge cap in lesson hours
 * @param maxMonthsPerCharge       the charge cap in months of course
 * @param alertThresholds          the other thresholds of the alert catalogue; null in events stored before
 *                                 they existed, read as {@link AlertThresholds#DEFAULTS}
 */
public record SupervisionPolicy(
        long minimumBalanceFen,
        long liabilityRatioBp,
        long largeTransferThresholdFen,
        long largeTransferRatioBp,
        long largeTransferRatioFromFen,
        long rapidDrain24hRatioBp,
        long rapidDrain7dRatioBp,
        int maxLessonsPerCharge,
        int maxMonthsPerCharge,
        AlertThresholds alertThresholds) {

    public static final long DEFAULT_MINIMUM_BALANCE_FEN = 0L;
    public static final long DEFAULT_LIABILITY_RATIO_BP = 2_000L;            // 0.20
    public static final long RISK_RESERVE_LIABILITY_RATIO_BP = 10_000L;      // 1.0: the reserve covers unearned tuition
    public static final long DEFAULT_LARGE_TRANSFER_THRESHOLD_FEN = 5_000_000L;  // ¥50,000
    public static final long DEFAULT_LARGE_TRANSFER_RATIO_BP = 3_000L;       // 30 % of the balance...
    public static final long DEFAULT_LARGE_TRANSFER_RATIO_FROM_FEN = 1_000_000L; // ...for outflows ≥ ¥10,000
    public static final long DEFAULT_RAPID_DRAIN_24H_RATIO_BP = 4_000L;
    public static final long DEFAULT_RAPID_DRAIN_7D_RATIO_BP = 6_000L;
    public static final int DEFAULT_MAX_LESSONS_PER_CHARGE = 60;
    public static final int DEFAULT_MAX_MONTHS_PER_CHARGE = 3;

    public SupervisionPolicy {
        require(minimumBalanceFen >= 0, "minimumBalance cannot be negative");
        require(liabilityRatioBp >= 0, "liabilityRatio cannot be negative");
        require(largeTransferThresholdFen > 0, "largeTransferThreshold must be positive");
        require(largeTransferRatioBp >= 0, "largeTransferRatio cannot be negative");
        require(largeTransferRatioFromFen >= 0, "largeTransferRatioFrom cannot be negative");
        require(rapidDrain24hRatioBp > 0 && rapidDrain7dRatioBp > 0, "rapid-drain ratios must be positive");
        require(maxLessonsPerCharge > 0 && maxMonthsPerCharge > 0, "the charge cap must be positive");
        if (alertThresholds == null) {
            alertThresholds = AlertThresholds.DEFAULTS;
        }
    }

    /** A policy with the default alert thresholds. */
    public SupervisionPolicy(long minimumBalanceFen, long liabilityRatioBp, long largeTransferThresholdFen,
                             long largeTransferRatioBp, long largeTransferRatioFromFen, long rapidDrain24hRatioBp,
                             long rapidDrain7dRatioBp, int maxLessonsPerCharge, int maxMonthsPerCharge) {
        this(minimumBalanceFen, liabilityRatioBp, largeTransferThresholdFen, largeTransferRatioBp,
                largeTransferRatioFromFen, rapidDrain24hRatioBp, rapidDrain7dRatioBp, maxLessonsPerCharge,
                maxMonthsPerCharge, AlertThresholds.DEFAULTS);
    }

    public static SupervisionPolicy defaultsFor(SupervisionMode mode) {
        return new SupervisionPolicy(
                DEFAULT_MINIMUM_BALANCE_FEN,
                mode == SupervisionMode.RISK_RESERVE ? RISK_RESERVE_LIABILITY_RATIO_BP : DEFAULT_LIABILITY_RATIO_BP,
                DEFAULT_LARGE_TRANSFER_THRESHOLD_FEN,
                DEFAULT_LARGE_TRANSFER_RATIO_BP,
                DEFAULT_LARGE_TRANSFER_RATIO_FROM_FEN,
                DEFAULT_RAPID_DRAIN_24H_RATIO_BP,
                DEFAULT_RAPID_DRAIN_7D_RATIO_BP,
                DEFAULT_MAX_LESSONS_PER_CHARGE,
                DEFAULT_MAX_MONTHS_PER_CHARGE);
    }

    /** The five values a regulator sets through the API; velocity and cap settings keep their current values. */
    public SupervisionPolicy withCoreValues(Money minimumBalance, Ratio liabilityRatio, Money largeTransferThreshold,
                                           Ratio largeTransferRatio, Money largeTransferRatioFrom) {
        return new SupervisionPolicy(minimumBalance.fen(), liabilityRatio.basisPoints(), largeTransferThreshold.fen(),
                largeTransferRatio.basisPoints(), largeTransferRatioFrom.fen(),
                rapidDrain24hRatioBp, rapidDrain7dRatioBp, maxLessonsPerCharge, maxMonthsPerCharge, alertThresholds);
    }

    /** The alert thresholds a regulator sets, with the rapid-drain shares; the rest keeps its current values. */
    public SupervisionPolicy withAlertThresholds(long rapidDrain24hBp, long rapidDrain7dBp, AlertThresholds thresholds) {
        return new SupervisionPolicy(minimumBalanceFen, liabilityRatioBp, largeTransferThresholdFen,
                largeTransferRatioBp, largeTransferRatioFromFen, rapidDrain24hBp, rapidDrain7dBp, maxLessonsPerCharge,
                maxMonthsPerCharge, thresholds);
    }

    /** floor = max(minimumBalance, liabilityRatio × outstanding unearned tuition), rounded up to the fen. */
    public Money floor(Money outstandingLiability) {
        return floor(minimumBalanceFen, liabilityRatioBp, outstandingLiability);
    }

    /** The floor formula itself, for readers that hold only these two policy values (read models). */
    public static Money floor(long minimumBalanceFen, long liabilityRatioBp, Money outstandingLiability) {
        Money covered = Ratio.ofBasisPoints(liabilityRatioBp).ofRoundedUp(Money.max(outstandingLiability, Money.ZERO));
        return Money.max(Money.ofFen(minimumBalanceFen), covered);
    }

    /**
     * One account's share of its institution's floor, for answers about that account (decisions use the
     * institution's floor itself). Shares follow the unearned tuition each account holds, since that is
     * what the floor protects; while the institution holds none, the floor (its minimum balance) is
     * shared equally. Rounded up to the fen, so the shares cover the floor and may exceed it by a few fen.
     */
    public static Money floorShare(Money institutionFloor, long accountLiabilityFen, long institutionLiabilityFen,
                                   int institutionAccounts) {
        if (institutionAccounts <= 1) {
            return institutionFloor;
        }
        BigInteger floor = BigInteger.valueOf(institutionFloor.fen());
        BigInteger[] share = institutionLiabilityFen > 0
                ? floor.multiply(BigInteger.valueOf(Math.max(0, accountLiabilityFen)))
                        .divideAndRemainder(BigInteger.valueOf(institutionLiabilityFen))
                : floor.divideAndRemainder(BigInteger.valueOf(institutionAccounts));
        return Money.ofFen(share[0].longValueExact() + (share[1].signum() > 0 ? 1 : 0));
    }

    /** Large: ≥ the threshold, or ≥ the ratio-from amount and ≥ the ratio of the balance before it. */
    public boolean isLargeOutflow(Money amount, Money balanceBefore) {
        if (amount.fen() >= largeTransferThresholdFen) {
            return true;
        }
        return amount.fen() >= largeTransferRatioFromFen
                && Ratio.ofBasisPoints(largeTransferRatioBp).isReachedBy(amount, Money.max(balanceBefore, Money.ZERO));
    }

    public Money minimumBalance() {
        return Money.ofFen(minimumBalanceFen);
    }

    public Ratio liabilityRatio() {
        return Ratio.ofBasisPoints(liabilityRatioBp);
    }

    public Money largeTransferThreshold() {
        return Money.ofFen(largeTransferThresholdFen);
    }

    public Ratio largeTransferRatio() {
        return Ratio.ofBasisPoints(largeTransferRatioBp);
    }

    public Money largeTransferRatioFrom() {
        return Money.ofFen(largeTransferRatioFromFen);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
