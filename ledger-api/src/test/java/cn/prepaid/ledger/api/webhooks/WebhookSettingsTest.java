package cn.prepaid.ledger.api.webhooks;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebhookSettingsTest {

    static final WebhookSettings DEFAULTS = new WebhookSettings(false, Duration.ofSeconds(10), Duration.ofSeconds(10),
            Duration.ofHours(1), Duration.ofHours(24), Duration.ofMillis(500), 4);

    @Test
    void backoffDoublesFromTheInitialWaitUpToTheLongest() {
        assertThat(DEFAULTS.backoffAfter(1)).isEqualTo(Duration.ofSeconds(10));
        assertThat(DEFAULTS.backoffAfter(2)).isEqualTo(Duration.ofSeconds(20));
        assertThat(DEFAULTS.backoffAfter(3)).isEqualTo(Duration.ofSeconds(40));
        assertThat(DEFAULTS.backoffAfter(9)).isEqualTo(Duration.ofSeconds(2560));
        assertThat(DEFAULTS.backoffAfter(10)).isEqualTo(Duration.ofHours(1));
        for (int failures = 1; failures < 1_000; failures++) {
            Duration wait = DEFAULTS.backoffAfter(failures);
            assertThat(wait).as("after %d failures", failures).isBetween(Duration.ofSeconds(10), Duration.ofHours(1));
            assertThat(DEFAULTS.backoffAfter(failures + 1)).isGreaterThanOrEqualTo(wait);
        }
    }

    @Test
    void aReceiverThatNeverAnswersIsTriedForAtLeastADayBeforeTheDeliveryIsGivenUp() {
        Instant first = Instant.parse("2026-03-01T00:00:00Z");
        Instant attempt = first;
        int failures = 1;
        while (!DEFAULTS.givesUp(first, attempt)) {
            attempt = attempt.plus(DEFAULTS.backoffAfter(failures++));
        }
        assertThat(Duration.between(first, attempt)).isGreaterThanOrEqualTo(Duration.ofHours(24))
                .isLessThan(Duration.ofHours(25));
        assertThat(failures).as("attempts in that day").isBetween(30, 40);
    }

    @Test
    void anInitialBackoffLongerThanTheLongestIsRefused() {
        assertThatThrownBy(() -> new WebhookSettings(false, Duration.ofSeconds(10), Duration.ofHours(2),
                Duration.ofHours(1), Duration.ofHours(24), Duration.ofMillis(500), 4))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
