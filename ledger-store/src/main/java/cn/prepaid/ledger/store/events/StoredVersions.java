package cn.prepaid.ledger.store.events;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import static cn.prepaid.ledger.store.events.StoreSchema.AGGREGATE_ID;
import static cn.prepaid.ledger.store.events.StoreSchema.EVENTS;
import static cn.prepaid.ledger.store.events.StoreSchema.SEQUENCE;

/**
 * How far an aggregate's events go in the store, which read-your-writes reads ask before answering.
 * An index-only lookup, on the current transaction's connection when there is one.
 */
@Component
public class StoredVersions {

    private static final String LATEST_SEQUENCE =
            "select max(" + SEQUENCE + ") from " + EVENTS + " where " + AGGREGATE_ID + " = ?";

    private final JdbcTemplate jdbc;

    public StoredVersions(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The highest sequence number stored for the aggregate, or null when it has no events. */
    public Long latest(String aggregateIdentifier) {
        return jdbc.queryForObject(LATEST_SEQUENCE, Long.class, aggregateIdentifier);
    }
}
