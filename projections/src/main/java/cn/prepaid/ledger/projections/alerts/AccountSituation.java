package cn.prepaid.ledger.projections.alerts;

import cn.prepaid.ledger.core.money.Money;
import cn.prepaid.ledger.core.policy.AlertThresholds;
import cn.prepaid.ledger.core.policy.SupervisionPolicy;

/**
 * An account as the alert rules see it right after an event: balance, unearned tuition, the floor and
 * the thresholds of its institution's policy.
 */
public record AccountSituation(String accountId, String institutionId, String regionCode, long balanceFen,
                               long liabilityFen, long minimumBalanceFen, long liabilityRatioBp,
                               long largeThresholdFen, long rapidDrain24hBp, long rapidDrain7dBp,
                               AlertThresholds thresholds) {

    public AccountSituation {
        if (thresholds == null) {
            thresholds = AlertThresholds.DEFAULTS;
        }
    }

    /** An account whose institution keeps the default alert thresholds. */
    public AccountSituation(String accountId, String institutionId, String regionCode, long balanceFen,
                            long liabilityFen, long minimumBalanceFen, long liabilityRatioBp, long largeThresholdFen,
                            long rapidDrain24hBp, long rapidDrain7dBp) {
        this(accountId, institutionId, regionCode, balanceFen, liabilityFen, minimumBalanceFen, liabilityRatioBp,
                largeThresholdFen, rapidDrain24hBp, rapidDrain7dBp, AlertThresholds.DEFAULTS);
    }

    public long floorFen() {
        return SupervisionPolicy.floor(minimumBalanceFen, liabilityRatioBp, Money.ofFen(liabilityFen)).fen();
    }
}
