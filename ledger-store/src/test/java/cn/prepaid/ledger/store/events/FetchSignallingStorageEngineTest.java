package cn.prepaid.ledger.store.events;

import cn.prepaid.ledger.store.support.StoreIntegrationTest;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The event store's reader is spared a read only when it could not find anything: it starts where the
 * previous read ran out, no commit woke the reader since that read began, and it is not the reader's own
 * timed look. Reads go to Axon's JDBC engine on the test's PostgreSQL; the engine's reads are counted.
 */
@StoreIntegrationTest
class FetchSignallingStorageEngineTest {

    private static final Duration FALLBACK_POLL = Duration.ofMinutes(10);

    @Autowired
    EventStorageEngine jdbcEngine;
    @Autowired
    JdbcTemplate jdbc;

    private final AtomicInteger engineReads = new AtomicInteger();
    private EventStorageEngine counted;

    @BeforeEach
    void countTheEnginesReads() {
        counted = (EventStorageEngine) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{EventStorageEngine.class}, (proxy, method, args) -> {
                    if (method.getName().equals("readEvents") && args.length == 2 && args[1] instanceof Boolean) {
                        engineReads.incrementAndGet();
                    }
                    try {
                        return method.invoke(jdbcEngine, args);
                    } catch (InvocationTargetException failed) {
                        throw failed.getCause();
                    }
                });
    }

    @Test
    void aReadRepeatedWhereTheLastRanOutWithNoWakeUpBetweenAsksTheDatabaseNothing() {
        FetchSignallingStorageEngine reader = new FetchSignallingStorageEngine(counted, FALLBACK_POLL);
        TrackingToken head = jdbcEngine.createHeadToken();
        String first = insertEvent();

        List<TrackedEventMessage<?>> found = read(reader, head);
        assertThat(ids(found)).containsExactly(first);
        int readsSoFar = engineReads.get();

        assertThat(read(reader, found.get(0).trackingToken())).isEmpty();
        assertThat(engineReads.get()).isEqualTo(readsSoFar);
    }

    @Test
    void aWakeUpAfterACommitMakesTheNextReadLookAndFindIt() {
        FetchSignallingStorageEngine reader = new FetchSignallingStorageEngine(counted, FALLBACK_POLL);
        TrackingToken head = jdbcEngine.createHeadToken();
        TrackingToken end = lastToken(read(reader, head), head);
        int readsSoFar = engineReads.get();

        String committed = insertEvent();
        reader.newEventsMayExist();

        assertThat(ids(read(reader, end))).containsExactly(committed);
        assertThat(engineReads.get()).isEqualTo(readsSoFar + 1);
    }

    @Test
    void aReadFromAnotherPositionOrAfterHalfTheFallbackPollIsNeverSkipped() {
        FetchSignallingStorageEngine reader = new FetchSignallingStorageEngine(counted, FALLBACK_POLL);
        TrackingToken before = jdbcEngine.createHeadToken();
        String first = insertEvent();
        List<TrackedEventMessage<?>> found = read(reader, before);
        int readsSoFar = engineReads.get();

        assertThat(ids(read(reader, before))).containsExactly(first);
        assertThat(engineReads.get()).isEqualTo(readsSoFar + 1);

        // a fallback poll of zero: every read is the reader's timed look, none is skipped
        FetchSignallingStorageEngine polling = new FetchSignallingStorageEngine(counted, Duration.ZERO);
        read(polling, found.get(0).trackingToken());
        int readsThen = engineReads.get();
        assertThat(read(polling, found.get(0).trackingToken())).isEmpty();
        assertThat(engineReads.get()).isEqualTo(readsThen + 1);
    }

    /**
     * Whatever the order of commits, wake-ups and reads, as long as each commit's wake-up comes after it
     * (as a commit's own and its NOTIFY's do), the reader misses nothing: every event committed is read.
     */
    @Test
    void noCommitFollowedByItsWakeUpIsEverMissed() {
        for (int seed = 1; seed <= 5; seed++) {
            Random random = new Random(seed);
            FetchSignallingStorageEngine reader = new FetchSignallingStorageEngine(counted, FALLBACK_POLL);
            TrackingToken position = jdbcEngine.createHeadToken();
            List<String> committed = new ArrayList<>();
            List<String> read = new ArrayList<>();
            int skipped = 0;
            for (int step = 0; step < 60; step++) {
                int choice = random.nextInt(3);
                if (choice == 0) {
                    committed.add(insertEvent());
                    reader.newEventsMayExist();
                } else {
                    int readsBefore = engineReads.get();
                    List<TrackedEventMessage<?>> found = read(reader, position);
                    skipped += engineReads.get() == readsBefore ? 1 : 0;
                    read.addAll(ids(found));
                    position = lastToken(found, position);
                }
            }
            reader.newEventsMayExist();
            read.addAll(ids(read(reader, position)));
            assertThat(read).as("seed %d", seed).containsExactlyElementsOf(committed);
            assertThat(skipped).as("seed %d: reads spared", seed).isPositive();
        }
    }

    private static List<TrackedEventMessage<?>> read(FetchSignallingStorageEngine reader, TrackingToken from) {
        try (Stream<? extends TrackedEventMessage<?>> events = reader.readEvents(from, true)) {
            return new ArrayList<>(events.toList());
        }
    }

    private static List<String> ids(List<TrackedEventMessage<?>> events) {
        return events.stream().map(TrackedEventMessage::getIdentifier).toList();
    }

    private static TrackingToken lastToken(List<TrackedEventMessage<?>> events, TrackingToken otherwise) {
        return events.isEmpty() ? otherwise : events.get(events.size() - 1).trackingToken();
    }

    /** Commits one event, as a node's command would; its identifier. */
    private String insertEvent() {
        String id = UUID.randomUUID().toString();
        jdbc.update("insert into domain_event_entry (event_identifier, aggregate_identifier, sequence_number, type, "
                        + "time_stamp, payload_type, payload, meta_data) values (?, ?, 0, 'Probe', ?, 'java.lang.String', ?, ?)",
                id, "fetch-" + id, Instant.now().toString(), "\"probe\"".getBytes(), "{}".getBytes());
        return id;
    }
}
