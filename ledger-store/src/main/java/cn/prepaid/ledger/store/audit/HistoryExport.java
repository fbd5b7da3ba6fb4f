package cn.prepaid.ledger.store.audit;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static cn.prepaid.ledger.store.events.StoreSchema.AGGREGATE_ID;
import static cn.prepaid.ledger.store.events.StoreSchema.EVENTS;
import static cn.prepaid.ledger.store.events.StoreSchema.GLOBAL_INDEX;
import static cn.prepaid.ledger.store.events.StoreSchema.HASH;
import static cn.prepaid.ledger.store.events.StoreSchema.PAYLOAD;
import static cn.prepaid.ledger.store.events.StoreSchema.PAYLOAD_TYPE;
import static cn.prepaid.ledger.store.events.StoreSchema.SEQUENCE;
import static cn.prepaid.ledger.store.events.StoreSchema.TIME_STAMP;

/**
 * Streams the events of a set of aggregates in recording order straight from the database: a
 * server-side cursor fetches a thousand rows at a time and each row is written out before the next is
 * read, so memory stays flat however long the history is.
 */
@Component
public class HistoryExport {

    private static final String EVENTS_OF_AGGREGATES = "select " + GLOBAL_INDEX + ", " + AGGREGATE_ID + ", " + SEQUENCE
            + ", " + PAYLOAD_TYPE + ", " + TIME_STAMP + ", " + PAYLOAD + ", " + HASH + " from " + EVENTS + " where "
            + AGGREGATE_ID + " = any (?) order by " + GLOBAL_INDEX;

    public enum Format { NDJSON, CSV }

    private static final int FETCH_ROWS = 1000;
    private static final String CSV_HEADER = "sequence,aggregateId,aggregateSequence,type,occurredAt,recordedAt,payload,hash\n";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate readOnly;
    private final JsonMapper json = JsonMapper.builder().build();

    public HistoryExport(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
    }

    /** Writes every event of {@code aggregateIds} recorded in [from, to) (either may be null). */
    public void write(List<String> aggregateIds, Instant from, Instant to, Format format, OutputStream out) {
        // PostgreSQL only streams with a cursor inside a transaction.
        readOnly.executeWithoutResult(status -> {
            try {
                if (format == Format.CSV) {
                    out.write(CSV_HEADER.getBytes(StandardCharsets.UTF_8));
                }
                jdbc.query(connection -> {
                    var statement = connection.prepareStatement(EVENTS_OF_AGGREGATES);
                    statement.setArray(1, connection.createArrayOf("varchar", aggregateIds.toArray()));
                    statement.setFetchSize(FETCH_ROWS);
                    return statement;
                }, row -> {
                    Instant recordedAt = Instant.parse(row.getString(5));
                    if ((from != null && recordedAt.isBefore(from)) || (to != null && !recordedAt.isBefore(to))) {
                        return;
                    }
                    String payloadType = row.getString(4);
                    String type = payloadType.substring(Math.max(payloadType.lastIndexOf('$'),
                            payloadType.lastIndexOf('.')) + 1);
                    JsonNode payload = json.readTree(row.getBytes(6));
                    String occurredAt = payload.path("occurredAt").asString(null);
                    try {
                        if (format == Format.NDJSON) {
                            writeJsonLine(out, row.getLong(1), row.getString(2), row.getLong(3), type, occurredAt,
                                    recordedAt, payload, row.getString(7));
                        } else {
                            out.write((row.getLong(1) + "," + csv(row.getString(2)) + "," + row.getLong(3) + ","
                                    + csv(type) + "," + csv(occurredAt) + "," + recordedAt + ","
                                    + csv(payload.toString()) + "," + csv(row.getString(7)) + "\n")
                                    .getBytes(StandardCharsets.UTF_8));
                        }
                    } catch (IOException clientGone) {
                        throw new UncheckedIOException(clientGone);
                    }
                });
                out.flush();
            } catch (IOException clientGone) {
                throw new UncheckedIOException(clientGone);
            }
        });
    }

    private void writeJsonLine(OutputStream out, long sequence, String aggregateId, long aggregateSequence,
                               String type, String occurredAt, Instant recordedAt, JsonNode payload, String hash)
            throws IOException {
        try (JsonGenerator generator = json.createGenerator(new NonClosing(out))) {
            generator.writeStartObject();
            generator.writeNumberProperty("sequence", sequence);
            generator.writeStringProperty("aggregateId", aggregateId);
            generator.writeNumberProperty("aggregateSequence", aggregateSequence);
            generator.writeStringProperty("type", type);
            generator.writeStringProperty("occurredAt", occurredAt);
            generator.writeStringProperty("recordedAt", recordedAt.toString());
            generator.writeName("payload");
            generator.writeTree(payload);
            generator.writeStringProperty("hash", hash);
            generator.writeEndObject();
        }
        out.write('\n');
    }

    private static String csv(String value) {
        if (value == null) {
            return "";
        }
        return "\"" + value.replace("\"", "\"\"") + "\"";
    }

    /** Lets a generator write a line without closing the response stream. */
    private static final class NonClosing extends FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
