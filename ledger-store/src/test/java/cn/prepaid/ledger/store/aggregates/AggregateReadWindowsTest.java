package cn.prepaid.ledger.store.aggregates;

import cn.prepaid.ledger.store.support.StoreIntegrationTest;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import static cn.prepaid.ledger.store.aggregates.AggregatesConfiguration.EVENTS_PER_READ;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An aggregate's events are read in windows of sequence numbers, and a window that is not full is the
 * last: every event is read whatever the stream's length against the window (none, one, a full window
 * exactly, one more, several), and a read that ends within its first window asks the database once.
 * The ledger's own engine settings on the test's PostgreSQL, its statements counted.
 */
@StoreIntegrationTest
class AggregateReadWindowsTest {

    @Autowired
    DataSource dataSource;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    @Qualifier("eventSerializer")
    Serializer serializer;
    @Autowired
    EventSchema schema;

    private final AtomicInteger statements = new AtomicInteger();

    @Test
    void everyEventIsReadWhateverTheStreamsLengthAgainstTheWindow() {
        EventStorageEngine engine = countedEngine();
        int w = EVENTS_PER_READ;
        for (int length : new int[]{0, 1, w - 1, w, w + 1, 2 * w, 2 * w + 37}) {
            String aggregate = aggregateWith(length);
            for (long from : new long[]{0, Math.max(0, length - 1), length / 2}) {
                List<Long> read = engine.readEvents(aggregate, from).asStream()
                        .map(DomainEventMessage::getSequenceNumber).toList();
                assertThat(read).as("%d events read from %d", length, from)
                        .containsExactlyElementsOf(LongStream.range(Math.min(from, length), length).boxed().toList());
            }
        }
    }

    @Test
    void aReadEndingInItsFirstWindowAsksOnceAndAFullWindowAsksForTheNext() {
        EventStorageEngine engine = countedEngine();
        String fewer = aggregateWith(3);
        String exactlyOne = aggregateWith(EVENTS_PER_READ);

        statements.set(0);
        assertThat(engine.readEvents(fewer, 2).asStream().count()).isEqualTo(1);
        assertThat(statements.get()).isEqualTo(1);

        statements.set(0);
        assertThat(engine.readEvents(exactlyOne, 0).asStream().count()).isEqualTo(EVENTS_PER_READ);
        assertThat(statements.get()).isEqualTo(2);
    }

    /** The ledger's engine settings, on connections whose prepared statements are counted. */
    private EventStorageEngine countedEngine() {
        return AggregatesConfiguration.withLedgerSettings(JdbcEventStorageEngine.builder())
                .eventSerializer(serializer)
                .snapshotSerializer(serializer)
                .schema(schema)
                .transactionManager(NoTransactionManager.INSTANCE)
                .connectionProvider(() -> counted(dataSource.getConnection()))
                .build();
    }

    private Connection counted(Connection connection) {
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("prepareStatement")) {
                        statements.incrementAndGet();
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (InvocationTargetException failed) {
                        throw failed.getCause();
                    }
                });
    }

    /** A fresh aggregate with {@code length} events, sequence numbers 0 to length - 1. */
    private String aggregateWith(int length) {
        String aggregate = "window-" + UUID.randomUUID();
        for (int sequence = 0; sequence < length; sequence++) {
            jdbc.update("insert into domain_event_entry (event_identifier, aggregate_identifier, sequence_number, "
                            + "type, time_stamp, payload_type, payload, meta_data) values (?, ?, ?, 'Probe', ?, "
                            + "'java.lang.String', ?, ?)",
                    UUID.randomUUID().toString(), aggregate, sequence, Instant.now().toString(),
                    "\"probe\"".getBytes(), "{}".getBytes());
        }
        return aggregate;
    }
}
