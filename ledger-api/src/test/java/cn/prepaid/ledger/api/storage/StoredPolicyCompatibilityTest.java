package cn.prepaid.ledger.api.storage;

import cn.prepaid.ledger.api.support.LedgerIntegrationTest;
import cn.prepaid.ledger.core.institution.InstitutionEvent.SupervisionPolicyChanged;
import cn.prepaid.ledger.core.policy.AlertThresholds;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Qualifier;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Policies stored before the alert thresholds existed carry none: they read back with the defaults. */
@LedgerIntegrationTest
class StoredPolicyCompatibilityTest {

    /** A SupervisionPolicyChanged as the event serializer wrote it before alertThresholds was a field. */
    static final String STORED = "{\"institutionId\":\"91330106MA27XK8G6H\",\"policy\":{\"minimumBalanceFen\":0,"
            + "\"liabilityRatioBp\":2000,\"largeTransferThresholdFen\":5000000,\"largeTransferRatioBp\":3000,"
            + "\"largeTransferRatioFromFen\":1000000,\"rapidDrain24hRatioBp\":3500,\"rapidDrain7dRatioBp\":6000,"
            + "\"maxLessonsPerCharge\":60,\"maxMonthsPerCharge\":3},\"by\":\"regulator\","
            + "\"occurredAt\":\"2026-03-01T00:00:00Z\"}";

    @Test
    void aPolicyStoredWithoutAlertThresholdsReadsWithTheDefaults(@Qualifier("eventSerializer") Serializer events) {
        SerializedObject<byte[]> stored = new SimpleSerializedObject<>(STORED.getBytes(StandardCharsets.UTF_8),
                byte[].class, SupervisionPolicyChanged.class.getName(), null);

        SupervisionPolicyChanged event = events.deserialize(stored);

        assertThat(event.policy().alertThresholds()).isEqualTo(AlertThresholds.DEFAULTS);
        assertThat(event.policy().rapidDrain24hRatioBp()).isEqualTo(3_500);
    }

    @Test
    void aPolicyWithThresholdsKeepsThemThroughTheSerializer(@Qualifier("eventSerializer") Serializer events) {
        SupervisionPolicyChanged read = events.deserialize(new SimpleSerializedObject<>(
                STORED.replace("\"maxMonthsPerCharge\":3}", "\"maxMonthsPerCharge\":3,\"alertThresholds\":"
                        + "{\"nearFloorBandBp\":1000,\"rapidDrainShortHours\":12,\"rapidDrainLongDays\":5,"
                        + "\"structuringFromBp\":7000,\"structuringCount\":4,\"structuringWindowHours\":72,"
                        + "\"refundSurgeMultiple\":4,\"refundSurgeMinRefunds\":6,\"collectAndRunMultiple\":3,"
                        + "\"collectAndRunDrainBp\":4000,\"consumptionStallDays\":14,\"rejectedOutflowRedCount\":2}}")
                        .getBytes(StandardCharsets.UTF_8), byte[].class, SupervisionPolicyChanged.class.getName(), null));

        assertThat(read.policy().alertThresholds())
                .isEqualTo(new AlertThresholds(1_000, 12, 5, 7_000, 4, 72, 4, 6, 3, 4_000, 14, 2, 14));
        SerializedObject<byte[]> again = events.serialize(read, byte[].class);
        assertThat(events.<byte[], SupervisionPolicyChanged>deserialize(again)).isEqualTo(read);
    }
}
