package cn.prepaid.ledger.store.events;

/**
 * The names of the tables this module owns and of the event table's columns, in one place: Axon's
 * schema beans ({@link StorageSchemaConfiguration}) and every query of the stores build on these.
 * The tables themselves are created by this module's Flyway migrations (V1, V5, V7, V9, V10, V100).
 */
public final class StoreSchema {

    /** Every event; Axon appends, nothing updates or deletes. */
    public static final String EVENTS = "domain_event_entry";
    public static final String SNAPSHOTS = "snapshot_event_entry";
    /** Event processors' positions and segment claims. */
    public static final String TOKENS = "token_entry";
    /** Events parked by failing handlers. */
    public static final String DEAD_LETTERS = "dead_letter_entry";
    /** Client ids and the answers they got. */
    public static final String IDEMPOTENCY = "idempotency_record";
    /** Bank transaction ids, unique per bank. */
    public static final String BANK_TRANSACTIONS = "bank_transaction";
    /** An account's state every so many events, for balances as of a time. */
    public static final String CHECKPOINTS = "balance_checkpoint";

    /** The event table's own order: a position across all aggregates. */
    public static final String GLOBAL_INDEX = "global_index";
    public static final String AGGREGATE_ID = "aggregate_identifier";
    /** An event's position in its aggregate, from 0; unique with {@link #AGGREGATE_ID}. */
    public static final String SEQUENCE = "sequence_number";
    public static final String EVENT_ID = "event_identifier";
    public static final String TYPE = "type";
    /** When the event was appended: ISO-8601 text, as Axon writes it. */
    public static final String TIME_STAMP = "time_stamp";
    public static final String PAYLOAD_TYPE = "payload_type";
    public static final String PAYLOAD_REVISION = "payload_revision";
    /** The event as JSON (bytea). */
    public static final String PAYLOAD = "payload";
    public static final String META_DATA = "meta_data";
    /** The hash chaining the event to its aggregate's previous one (V7). */
    public static final String HASH = "hash";
    /** The payload's occurredAt, copied out for time queries (V9). */
    public static final String OCCURRED_AT = "occurred_at";

    private StoreSchema() {
    }
}
