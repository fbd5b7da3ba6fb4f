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

    private static final String PENDING = "select count(*) from webhook_delivery d join webhook_endpoint w "
            + "on w.webhook_id = d.webhook_id where d.delivered_at is null and d.gave_up_at is null "
            + "and w.deleted_at is null";
    private static final String FAILED = "select count(*) from webhook_delivery d join webhook_endpoint w "
            + "on w.webhook_id = d.webhook_id where d.delivered_at is null and d.gave_up_at is not null "
            + "and w.deleted_at is null";

    public WebhookMetrics(JdbcTemplate jdbc, MeterRegistry meters) {
        Gauge.builder("ledger.webhook.deliveries", () -> jdbc.queryForObject(PENDING, Long.class))
                .tag("status", "pending").description("webhook deliveries not yet acknowledged").register(meters);
        Gauge.builder("ledger.webhook.deliveries", () -> jdbc.queryForObject(FAILED, Long.class))
                .tag("status", "failed").description("webhook deliveries given up after the retry window")
                .register(meters);
    }
}
