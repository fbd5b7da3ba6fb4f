package cn.prepaid.ledger.api.ops;

import cn.prepaid.ledger.projections.alerts.AlertProjection;
import cn.prepaid.ledger.projections.readmodel.ReadModels;
import cn.prepaid.ledger.store.audit.BalanceCheckpoints;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static cn.prepaid.ledger.store.events.StoreSchema.EVENTS;
import static cn.prepaid.ledger.store.events.StoreSchema.GLOBAL_INDEX;
import static cn.prepaid.ledger.store.events.StoreSchema.TIME_STAMP;
import static cn.prepaid.ledger.store.events.StoreSchema.TOKENS;

/**
 * How far each event processor is behind the head of the event store, read from the token store (so
 * every node tells the same, whichever node holds the segments): in events (head {@code global_index}
 * minus the position of the processor's slowest segment) and in seconds (how long ago the oldest event
 * it has not handled was stored). Gauges {@code ledger.processor.lag.events} and
 * {@code ledger.processor.lag.seconds}; read at most once a second, whoever asks (Prometheus, health).
 */
@Component
public class ProcessorLag {

    public static final List<String> PROCESSORS = List.of(ReadModels.PROCESSING_GROUP,
            AlertProjection.PROCESSING_GROUP, BalanceCheckpoints.PROCESSING_GROUP);
    private static final Duration FRESH_FOR = Duration.ofSeconds(1);
    private static final String HEAD = "select coalesce(max(" + GLOBAL_INDEX + "), -1) from " + EVENTS;
    private static final String PROCESSOR_TOKENS = "select token, token_type from " + TOKENS + " where processor_name = ?";
    private static final String OLDEST_UNHANDLED = "select " + TIME_STAMP + " from " + EVENTS + " where "
            + GLOBAL_INDEX + " > ? order by " + GLOBAL_INDEX + " limit 1";

    public record Lag(long events, double seconds) {
    }

    private record Reading(Lag lag, Instant at) {
    }

    private final JdbcTemplate jdbc;
    private final Serializer tokens;
    private final Clock clock;
    private final Map<String, Reading> readings = new ConcurrentHashMap<>();

    public ProcessorLag(JdbcTemplate jdbc, @Qualifier("serializer") Serializer tokens, Clock clock, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.tokens = tokens;
        this.clock = clock;
        for (String processor : PROCESSORS) {
            Gauge.builder("ledger.processor.lag.events", () -> of(processor).events()).tag("processor", processor)
                    .description("events stored that the processor has not handled yet").register(meters);
            Gauge.builder("ledger.processor.lag.seconds", () -> of(processor).seconds()).tag("processor", processor)
                    .baseUnit("seconds").description("age of the oldest event the processor has not handled")
                    .register(meters);
        }
    }

    public Lag of(String processor) {
        Instant now = clock.instant();
        Reading reading = readings.get(processor);
        if (reading == null || reading.at().plus(FRESH_FOR).isBefore(now)) {
            reading = new Reading(measure(processor, now), now);
            readings.put(processor, reading);
        }
        return reading.lag();
    }

    private Lag measure(String processor, Instant now) {
        long head = jdbc.queryForObject(HEAD, Long.class);
        List<Long> positions = jdbc.query(PROCESSOR_TOKENS, (row, n) -> position(row.getBytes(1), row.getString(2)), processor);
        long slowest = positions.stream().mapToLong(Long::longValue).min().orElse(-1);
        if (slowest >= head) {
            return new Lag(0, 0);
        }
        List<String> oldest = jdbc.queryForList(OLDEST_UNHANDLED, String.class, slowest);
        double seconds = oldest.isEmpty() ? 0
                : Math.max(0, Duration.between(Instant.parse(oldest.get(0)), now).toMillis() / 1000.0);
        return new Lag(head - slowest, seconds);
    }

    /** The global index a segment's token has handled up to; -1 for a segment that has handled nothing. */
    private long position(byte[] token, String tokenType) {
        if (token == null || tokenType == null) {
            return -1;
        }
        TrackingToken tracking = tokens.deserialize(new SimpleSerializedObject<>(token, byte[].class, tokenType, null));
        return tracking == null ? -1 : tracking.position().orElse(-1);
    }
}
