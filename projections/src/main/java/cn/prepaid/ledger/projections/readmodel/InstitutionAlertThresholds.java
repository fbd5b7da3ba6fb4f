package cn.prepaid.ledger.projections.readmodel;

import cn.prepaid.ledger.core.policy.AlertThresholds;
import cn.prepaid.ledger.core.policy.SupervisionPolicy;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every threshold of the alert catalogue an institution's policy sets: the rapid-drain shares kept in the
 * policy itself and the rest ({@link AlertThresholds}). Stored as JSON in {@code institution_view}.
 */
public record InstitutionAlertThresholds(long rapidDrain24hRatioBp, long rapidDrain7dRatioBp,
                                         AlertThresholds thresholds) {

    static final JsonMapper JSON = JsonMapper.builder().build();

    public static InstitutionAlertThresholds of(SupervisionPolicy policy) {
        return new InstitutionAlertThresholds(policy.rapidDrain24hRatioBp(), policy.rapidDrain7dRatioBp(),
                policy.alertThresholds());
    }

    /** From the stored JSON; null (an institution registered before thresholds were kept) is the defaults. */
    public static InstitutionAlertThresholds read(String json) {
        if (json == null) {
            return new InstitutionAlertThresholds(SupervisionPolicy.DEFAULT_RAPID_DRAIN_24H_RATIO_BP,
                    SupervisionPolicy.DEFAULT_RAPID_DRAIN_7D_RATIO_BP, AlertThresholds.DEFAULTS);
        }
        return JSON.readValue(json, InstitutionAlertThresholds.class);
    }
}
