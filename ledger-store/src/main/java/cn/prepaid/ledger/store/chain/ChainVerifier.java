package cn.prepaid.ledger.store.chain;

import cn.prepaid.ledger.store.chain.EventHash;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

import static cn.prepaid.ledger.store.events.StoreSchema.AGGREGATE_ID;
import static cn.prepaid.ledger.store.events.StoreSchema.EVENTS;
import static cn.prepaid.ledger.store.events.StoreSchema.EVENT_ID;
import static cn.prepaid.ledger.store.events.StoreSchema.GLOBAL_INDEX;
import static cn.prepaid.ledger.store.events.StoreSchema.HASH;
import static cn.prepaid.ledger.store.events.StoreSchema.META_DATA;
import static cn.prepaid.ledger.store.events.StoreSchema.OCCURRED_AT;
import static cn.prepaid.ledger.store.events.StoreSchema.PAYLOAD;
import static cn.prepaid.ledger.store.events.StoreSchema.PAYLOAD_REVISION;
import static cn.prepaid.ledger.store.events.StoreSchema.PAYLOAD_TYPE;
import static cn.prepaid.ledger.store.events.StoreSchema.SEQUENCE;
import static cn.prepaid.ledger.store.events.StoreSchema.TIME_STAMP;
import static cn.prepaid.ledger.store.events.StoreSchema.TYPE;

/**
 * Recomputes the hash chains of aggregates from their stored rows. A changed byte breaks the changed
 * event's hash; a deleted event leaves a gap in the sequence; swapped contents break both events'
 * hashes. What it cannot see alone: the loss of an aggregate's newest events, or a whole chain
 * rewritten consistently by someone with write access — published chain heads close that gap
 * (docs/audit.md).
 */
@Component
public class ChainVerifier {

    private static final String CHAIN_OF_AGGREGATE = "select " + GLOBAL_INDEX + ", " + EVENT_ID + ", " + AGGREGATE_ID
            + ", " + SEQUENCE + ", " + TYPE + ", " + TIME_STAMP + ", " + PAYLOAD_TYPE + ", " + PAYLOAD_REVISION + ", "
            + PAYLOAD + ", " + META_DATA + ", " + HASH + ", " + OCCURRED_AT + " from " + EVENTS + " where "
            + AGGREGATE_ID + " = ? order by " + SEQUENCE;

    public record Verdict(boolean valid, long eventsChecked, Long firstBrokenSequence, String aggregateId,
                          String detail) {
    }

    private record Break(long globalIndex, String aggregateId, String detail) {
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate readOnly;
    private final JsonMapper json = JsonMapper.builder().build();

    public ChainVerifier(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
    }

    public Verdict verify(List<String> aggregateIds) {
        // PostgreSQL only streams through a cursor inside a transaction
        return readOnly.execute(status -> verifyChains(aggregateIds));
    }

    /**
     * The occurred_at column is a copy of the hashed payload's occurredAt that the bitemporal balance
     * filters on, so a changed copy would change answers: it must equal the payload, to the microsecond
     * PostgreSQL keeps.
     */
    private boolean occurredAtMatches(byte[] payload, OffsetDateTime column) {
        String occurredAt;
        try {
            occurredAt = json.readTree(payload).path("occurredAt").asString(null);
        } catch (RuntimeException notJson) {
            return column == null;
        }
        if (occurredAt == null || column == null) {
            return occurredAt == null && column == null;
        }
        try {
            Instant stated = OffsetDateTime.parse(occurredAt).toInstant();
            return Duration.between(stated, column.toInstant()).abs().toNanos() < 1_000;
        } catch (DateTimeParseException unreadable) {
            return false;
        }
    }

    private Verdict verifyChains(List<String> aggregateIds) {
        long checked = 0;
        Break first = null;
        for (String aggregateId : aggregateIds) {
            long[] count = {0};
            Break[] broken = {null};
            String[] previous = {""};
            long[] expected = {0};
            jdbc.query(connection -> {
                var statement = connection.prepareStatement(CHAIN_OF_AGGREGATE);
                statement.setString(1, aggregateId);
                statement.setFetchSize(1000);
                return statement;
            }, row -> {
                count[0]++;
                if (broken[0] != null) {
                    return;
                }
                long globalIndex = row.getLong(1);
                long sequence = row.getLong(4);
                String stored = row.getString(11);
                if (sequence != expected[0]) {
                    broken[0] = new Break(globalIndex, aggregateId, "aggregate sequence " + expected[0]
                            + " is missing before sequence " + sequence + " (an event was removed)");
                    return;
                }
                String recomputed = EventHash.of(previous[0], row.getString(2), row.getString(3), sequence,
                        row.getString(5), row.getString(6), row.getString(7), row.getString(8), row.getBytes(9),
                        row.getBytes(10));
                if (stored == null) {
                    broken[0] = new Break(globalIndex, aggregateId, "event at aggregate sequence " + sequence
                            + " carries no hash");
                } else if (!stored.equals(recomputed)) {
                    broken[0] = new Break(globalIndex, aggregateId, "event at aggregate sequence " + sequence
                            + " does not match its hash (its content or its place in the chain was changed)");
                } else if (!occurredAtMatches(row.getBytes(9), row.getObject(12, OffsetDateTime.class))) {
                    broken[0] = new Break(globalIndex, aggregateId, "event at aggregate sequence " + sequence
                            + " has an occurred_at column that differs from its payload's occurredAt");
                }
                previous[0] = stored == null ? "" : stored;
                expected[0]++;
            });
            checked += count[0];
            if (broken[0] != null && (first == null || broken[0].globalIndex() < first.globalIndex())) {
                first = broken[0];
            }
        }
        return first == null ? new Verdict(true, checked, null, null, null)
                : new Verdict(false, checked, first.globalIndex(), first.aggregateId(), first.detail());
    }
}
