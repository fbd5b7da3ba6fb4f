package cn.prepaid.ledger.api.webhooks;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * {@code ledger.webhook.deliveries{status=pending|failed}}: deliveries waiting for an attempt or their
 * turn, and deliveries given up after the retry window. A pending count that keeps growing is a bank
 * whose receiver is down; every node reports the same database-wide figures.
 */
@Component
public class WebhookMetrics {

    /** Unacknowledged deliveries of live endpoints, given up ({@code true}) or still being tried. */
    private static final String UNACKNOWLEDGED = "select count(*) from webhook_delivery d join webhook_endpoint w "
            + "on w.webhook_id = d.webhook_id where d.delivered_at is null and w.deleted_at is null "
            + "and (d.gave_up_at is not null) = ?";

    public WebhookMetrics(JdbcTemplate jdbc, MeterRegistry meters) {
        Gauge.builder("ledger.webhook.deliveries", () -> jdbc.queryForObject(UNACKNOWLEDGED, Long.class, false))
                .tag("status", "pending").description("webhook deliveries not yet acknowledged").register(meters);
        Gauge.builder("ledger.webhook.deliveries", () -> jdbc.queryForObject(UNACKNOWLEDGED, Long.class, true))
                .tag("status", "failed").description("webhook deliveries given up after the retry window")
                .register(meters);
    }
}
