package cn.prepaid.ledger.api.webhooks;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.time.Instant;

/**
 * Webhook delivery settings ({@code ledger.webhooks.*}), with their defaults in one place.
 *
 * @param allowHttpLocalhost also accept {@code http://127.0.0.1} and {@code http://localhost} (and loopback
 *                           addresses at all): for tests and local receivers, never in production
 * @param timeout            a receiver that has not answered in this time counts as a failed attempt
 * @param initialBackoff     the wait after the first failure; each further failure doubles it
 * @param maxBackoff         the longest wait between two attempts
 * @param retryFor           attempts go on for at least this long after the first one, then the delivery
 *                           is given up (a redeliver call starts it again)
 * @param pollInterval       how often each node looks for deliveries that are due
 * @param senders            HTTP requests in flight at once on one node (each to a different account's stream)
 */
@ConfigurationProperties("ledger.webhooks")
public record WebhookSettings(@DefaultValue("false") boolean allowHttpLocalhost,
                              @DefaultValue("10s") Duration timeout,
                              @DefaultValue("10s") Duration initialBackoff,
                              @DefaultValue("1h") Duration maxBackoff,
                              @DefaultValue("24h") Duration retryFor,
                              @DefaultValue("500ms") Duration pollInterval,
                              @DefaultValue("4") int senders) {

    public WebhookSettings {
        if (initialBackoff.isNegative() || initialBackoff.isZero() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("ledger.webhooks: need 0 < initial-backoff <= max-backoff");
        }
        if (senders < 1) {
            throw new IllegalArgumentException("ledger.webhooks.senders must be at least 1");
        }
    }

    /** The wait after the {@code failures}-th failed attempt: initial × 2^(failures-1), at most maxBackoff. */
    public Duration backoffAfter(int failures) {
        int doublings = Math.min(Math.max(failures - 1, 0), 30);
        Duration wait = initialBackoff.multipliedBy(1L << doublings);
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }

    /** Whether a delivery first tried at {@code firstAttempt} that failed again at {@code now} is given up. */
    public boolean givesUp(Instant firstAttempt, Instant now) {
        return Duration.between(firstAttempt, now).compareTo(retryFor) >= 0;
    }

    /** A claimed delivery is another node's to take once its sender can no longer be waiting on it. */
    public Duration lease() {
        return timeout.multipliedBy(3).plusSeconds(5);
    }
}
