package cn.prepaid.ledger.projections.alerts;

import cn.prepaid.ledger.core.policy.AlertThresholds;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class StoredThresholdsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void storedThresholdsAreParsedOnceAndEachTextGivesItsOwn() {
        String defaults = JSON.writeValueAsString(AlertThresholds.DEFAULTS);
        String other = defaults.replace("\"structuringCount\":3", "\"structuringCount\":4");
        assertThat(other).isNotEqualTo(defaults);

        AlertThresholds first = AlertProjection.thresholds(defaults);
        assertThat(first).isEqualTo(AlertThresholds.DEFAULTS);
        assertThat(AlertProjection.thresholds(new String(defaults))).as("the same text again").isSameAs(first);
        AlertThresholds changed = AlertProjection.thresholds(other);
        assertThat(changed.structuringCount()).isEqualTo(4);
        assertThat(changed).isEqualTo(JSON.readValue(other, AlertThresholds.class));
        assertThat(AlertProjection.thresholds(null)).as("an account opened before thresholds: the defaults").isNull();
    }
}
