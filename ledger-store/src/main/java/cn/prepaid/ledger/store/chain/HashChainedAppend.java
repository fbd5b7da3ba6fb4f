package cn.prepaid.ledger.store.chain;

import cn.prepaid.ledger.core.account.EscrowAccountEvent;
import cn.prepaid.ledger.core.institution.InstitutionEvent;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.statements.AppendEventsStatementBuilder;
import org.axonframework.eventsourcing.eventstore.jdbc.statements.TimestampWriter;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.axonframework.common.DateTimeUtils.formatInstant;

/**
 * Axon's event insert, plus the {@code hash} column: each event is chained to the previous event of
 * its aggregate (from this batch, or read on the appending transaction's own connection); and the
 * {@code occurred_at} column, a copy of the payload's occurredAt (not hashed: the payload is, and
 * verification checks the copy against it).
 */
public class HashChainedAppend implements AppendEventsStatementBuilder {

    /** The hash of an aggregate's last event appended by a committed transaction of this process. */
    private record ChainTip(long sequence, String hash) {
    }

    private static final int REMEMBERED_AGGREGATES = 50_000;

    /**
     * Spares the read of the previous event's hash when this process appended that event itself: a
     * stored event never changes, so a remembered (sequence, hash) pair stays true whatever other nodes
     * do (if one appended after it, this append's sequence collides and is retried). Filled only after
     * commit, so a rolled-back append is never remembered.
     */
    private final Map<String, ChainTip> committed = Collections.synchronizedMap(
            new LinkedHashMap<>(1024, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, ChainTip> eldest) {
                    return size() > REMEMBERED_AGGREGATES;
                }
            });

    @Override
    public PreparedStatement build(Connection connection, EventSchema schema, Class<?> dataType,
                                   List<? extends EventMessage<?>> events, Serializer serializer,
                                   TimestampWriter timestampWriter) throws SQLException {
        PreparedStatement statement = connection.prepareStatement("INSERT INTO " + schema.domainEventTable() + " ("
                + schema.domainEventFields() + ", hash, occurred_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)");
        Map<String, String> lastHashInBatch = new HashMap<>();
        Map<String, Long> lastSequenceInBatch = new HashMap<>();
        for (EventMessage<?> message : events) {
            DomainEventMessage<?> event = message instanceof DomainEventMessage<?> domain ? domain
                    : new GenericDomainEventMessage<>(null, message.getIdentifier(), 0L, message, message::getTimestamp);
            SerializedObject<?> payload = event.serializePayload(serializer, dataType);
            SerializedObject<?> metaData = event.serializeMetaData(serializer, dataType);
            String timestamp = formatInstant(event.getTimestamp());
            String aggregate = event.getAggregateIdentifier();
            long sequence = event.getSequenceNumber();
            String previous;
            if (sequence == 0) {
                previous = "";
            } else if (Long.valueOf(sequence - 1).equals(lastSequenceInBatch.get(aggregate))) {
                previous = lastHashInBatch.get(aggregate);
            } else {
                ChainTip remembered = committed.get(aggregate);
                previous = remembered != null && remembered.sequence() == sequence - 1 ? remembered.hash()
                        : storedHash(connection, schema, aggregate, sequence - 1);
            }
            byte[] payloadBytes = (byte[]) payload.getData();
            byte[] metaBytes = (byte[]) metaData.getData();
            String hash = EventHash.of(previous, event.getIdentifier(), aggregate, sequence, event.getType(), timestamp,
                    payload.getType().getName(), payload.getType().getRevision(), payloadBytes, metaBytes);
            lastHashInBatch.put(aggregate, hash);
            lastSequenceInBatch.put(aggregate, sequence);

            statement.setString(1, event.getIdentifier());
            statement.setString(2, aggregate);
            statement.setLong(3, sequence);
            statement.setString(4, event.getType());
            statement.setString(5, timestamp);
            statement.setString(6, payload.getType().getName());
            statement.setString(7, payload.getType().getRevision());
            statement.setBytes(8, payloadBytes);
            statement.setBytes(9, metaBytes);
            statement.setString(10, hash);
            Instant occurredAt = occurredAt(event.getPayload());
            if (occurredAt == null) {
                statement.setNull(11, Types.TIMESTAMP_WITH_TIMEZONE);
            } else {
                statement.setObject(11, OffsetDateTime.ofInstant(occurredAt.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC));
            }
            statement.addBatch();
        }
        rememberAfterCommit(lastSequenceInBatch, lastHashInBatch);
        return statement;
    }

    private void rememberAfterCommit(Map<String, Long> sequences, Map<String, String> hashes) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                sequences.forEach((aggregate, sequence) -> committed.put(aggregate, new ChainTip(sequence, hashes.get(aggregate))));
            }
        });
    }

    /**
     * When the event happened, copied into {@code occurred_at} so PostgreSQL can filter by it; the
     * payload (hashed) stays the authority. Truncated to PostgreSQL's microseconds by us, not rounded by it.
     */
    private static Instant occurredAt(Object payload) {
        if (payload instanceof EscrowAccountEvent accountEvent) {
            return accountEvent.occurredAt();
        }
        if (payload instanceof InstitutionEvent institutionEvent) {
            return institutionEvent.occurredAt();
        }
        return null;
    }

    /** The stored hash of an aggregate's event; "" when it predates the chain or is missing (verify names it). */
    private static String storedHash(Connection connection, EventSchema schema, String aggregate, long sequence)
            throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT hash FROM " + schema.domainEventTable()
                + " WHERE " + schema.aggregateIdentifierColumn() + " = ? AND " + schema.sequenceNumberColumn() + " = ?")) {
            query.setString(1, aggregate);
            query.setLong(2, sequence);
            try (ResultSet row = query.executeQuery()) {
                return row.next() && row.getString(1) != null ? row.getString(1) : "";
            }
        }
    }
}
