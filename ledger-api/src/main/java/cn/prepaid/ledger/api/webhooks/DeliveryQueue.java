package cn.prepaid.ledger.api.webhooks;

import cn.prepaid.ledger.projections.query.Page;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

/**
 * The deliveries in PostgreSQL, shared by every node. A node claims due deliveries by setting a lease
 * ({@code for update skip locked}, so two nodes never claim the same one), sends them outside any
 * transaction, and records the answer. A node that dies mid-send leaves its lease to expire, and
 * another node sends again: at least once. A delivery is due only when no earlier delivery to the same
 * endpoint about the same account (or institution) is still unsettled, which keeps each stream in order.
 */
@Component
public class DeliveryQueue {

    /** A claimed delivery with what its sender needs. */
    public record Claimed(String webhookId, String eventId, String url, String secret, String body, int attempts,
                          Instant firstAttemptAt) {
    }

    /** A line of an endpoint's delivery log. */
    public record LogEntry(String eventId, String type, String status, int attempts, Integer lastStatus,
                           String lastError, Instant createdAt, Instant lastAttemptAt, Instant deliveredAt,
                           Instant nextAttemptAt) {
    }

    private static final String CLAIM = "with due as (select d.webhook_id, d.event_id from webhook_delivery d "
            + "join webhook_event e on e.event_id = d.event_id join webhook_endpoint w on w.webhook_id = d.webhook_id "
            + "where d.delivered_at is null and d.gave_up_at is null and d.next_attempt_at <= ? "
            + "and (d.lease_until is null or d.lease_until < ?) and not e.awaiting_posting and w.deleted_at is null "
            + "and not exists (select 1 from webhook_delivery p where p.webhook_id = d.webhook_id "
            + "and p.ordering_key = d.ordering_key and p.position < d.position "
            + "and p.delivered_at is null and p.gave_up_at is null) order by d.next_attempt_at, d.position limit ? for update of d skip locked) "
            + "update webhook_delivery d set lease_until = ? from due, webhook_event e, webhook_endpoint w "
            + "where d.webhook_id = due.webhook_id and d.event_id = due.event_id and e.event_id = d.event_id "
            + "and w.webhook_id = d.webhook_id "
            + "returning d.webhook_id, d.event_id, w.url, w.secret, e.body, d.attempts, d.first_attempt_at";

    private static final String DELIVERED = "update webhook_delivery set attempts = attempts + 1, last_status = ?, "
            + "last_error = null, first_attempt_at = coalesce(first_attempt_at, ?), last_attempt_at = ?, "
            + "delivered_at = ?, lease_until = null where webhook_id = ? and event_id = ?";

    private static final String FAILED = "update webhook_delivery set attempts = attempts + 1, last_status = ?, "
            + "last_error = ?, first_attempt_at = coalesce(first_attempt_at, ?), last_attempt_at = ?, "
            + "next_attempt_at = ?, gave_up_at = ?, lease_until = null where webhook_id = ? and event_id = ?";

    private static final String RELEASE = "update webhook_delivery set lease_until = null "
            + "where webhook_id = ? and event_id = ?";

    private static final String LOG = "select d.event_id, e.type, d.attempts, d.last_status, d.last_error, d.created_at, "
            + "d.last_attempt_at, d.delivered_at, d.gave_up_at, d.next_attempt_at from webhook_delivery d "
            + "join webhook_event e on e.event_id = d.event_id where d.webhook_id = ? "
            + "order by d.created_at desc, d.position desc, d.event_id limit ? offset ?";

    private static final String REDELIVER = "update webhook_delivery set delivered_at = null, gave_up_at = null, "
            + "first_attempt_at = null, next_attempt_at = ? where webhook_id = ? and event_id = ?";

    private final JdbcTemplate jdbc;
    private final WebhookSettings settings;

    public DeliveryQueue(JdbcTemplate jdbc, WebhookSettings settings) {
        this.jdbc = jdbc;
        this.settings = settings;
    }

    /** Claims up to {@code limit} due deliveries for this node until the lease runs out. */
    public List<Claimed> claimDue(Instant now, int limit) {
        return jdbc.query(CLAIM, (rs, n) -> new Claimed(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getInt(6), instant(rs, 7)),
                ts(now), ts(now), limit, ts(now.plus(settings.lease())));
    }

    public void delivered(Claimed delivery, int status, Instant at) {
        jdbc.update(DELIVERED, status, ts(at), ts(at), ts(at), delivery.webhookId(), delivery.eventId());
    }

    /**
     * Records a failed attempt ({@code status} null when no answer came) and schedules the next one
     * after the backoff, or gives up once attempts have gone on for {@code retry-for}.
     */
    public void failed(Claimed delivery, Integer status, String error, Instant at) {
        int failures = delivery.attempts() + 1;
        Instant first = delivery.firstAttemptAt() == null ? at : delivery.firstAttemptAt();
        boolean givingUp = settings.givesUp(first, at);
        Instant next = at.plus(settings.backoffAfter(failures));
        String shortError = error == null || error.length() <= 300 ? error : error.substring(0, 300);
        jdbc.update(FAILED, status, shortError, ts(at), ts(at), ts(next), givingUp ? ts(at) : null,
                delivery.webhookId(), delivery.eventId());
    }

    /** Gives a claimed delivery back unsent, for any node to claim again now. */
    public void release(Claimed delivery) {
        jdbc.update(RELEASE, delivery.webhookId(), delivery.eventId());
    }

    public Page<LogEntry> log(String webhookId, int page, int size) {
        long total = jdbc.queryForObject("select count(*) from webhook_delivery where webhook_id = ?", Long.class,
                webhookId);
        List<LogEntry> content = jdbc.query(LOG, (rs, n) -> logEntry(rs), webhookId, size, (long) page * size);
        return new Page<>(content, page, size, total);
    }

    /** Sends the event again as soon as it is its stream's turn; false when the endpoint never had it. */
    public boolean redeliver(String webhookId, String eventId, Instant now) {
        return jdbc.update(REDELIVER, ts(now), webhookId, eventId) == 1;
    }

    private static LogEntry logEntry(ResultSet rs) throws SQLException {
        Instant delivered = instant(rs, 8);
        Instant gaveUp = instant(rs, 9);
        String status = delivered != null ? "DELIVERED" : gaveUp != null ? "FAILED" : "PENDING";
        int lastStatus = rs.getInt(4);
        return new LogEntry(rs.getString(1), rs.getString(2), status, rs.getInt(3), rs.wasNull() ? null : lastStatus,
                rs.getString(5), instant(rs, 6), instant(rs, 7), delivered,
                status.equals("PENDING") ? instant(rs, 10) : null);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }

    private static Timestamp ts(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }
}
