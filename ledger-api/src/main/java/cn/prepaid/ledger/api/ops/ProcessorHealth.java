package cn.prepaid.ledger.api.ops;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.annotation.Lazy;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Health of the event processors ({@code /actuator/health}, component {@code processors}): DOWN when one
 * has stopped or is in error on this node (its views, alerts or checkpoints stand still), DEGRADED when
 * one lags more than {@code ledger.health.max-processor-lag} behind the event store (writes still work;
 * what is read is that old). DOWN, too, when the lag cannot be read (the database is unreachable).
 *
 * <p>In error means Axon's processor says so and its work stands still here: it holds segments on this node,
 * or some segment is held by no node. Axon clears a processor's error only when it next works on segments of
 * its own, so on a node whose segments another node holds, an error the database caused once (a restart, a
 * failover) would otherwise say DOWN until that node dies, and a load balancer would take a sound node away.
 */
@Component("processors")
public class ProcessorHealth extends AbstractHealthIndicator {

    public static final Status DEGRADED = new Status("DEGRADED", "a processor lags behind the event store");

    private static final String UNCLAIMED_SEGMENTS = "select count(*) from token_entry where processor_name = ? "
            + "and owner is null";

    private final EventProcessingConfiguration processing;
    private final ProcessorLag lag;
    private final JdbcTemplate jdbc;
    private final Duration maxLag;

    public ProcessorHealth(@Lazy EventProcessingConfiguration processing, ProcessorLag lag, JdbcTemplate jdbc,
                           @Value("${ledger.health.max-processor-lag}") Duration maxLag) {
        this.processing = processing;
        this.lag = lag;
        this.jdbc = jdbc;
        this.maxLag = maxLag;
    }

    @Override
    protected void doHealthCheck(Health.Builder health) {
        Status status = Status.UP;
        Map<String, Object> details = new LinkedHashMap<>();
        for (String name : ProcessorLag.PROCESSORS) {
            StreamingEventProcessor processor = processing.eventProcessor(name, StreamingEventProcessor.class)
                    .orElse(null);
            ProcessorLag.Lag behind = lag.of(name);
            String state;
            if (processor == null || !processor.isRunning() || failingHere(name, processor)) {
                state = processor == null ? "absent" : processor.isRunning() ? "error" : "stopped";
                status = Status.DOWN;
            } else if (behind.seconds() > maxLag.toSeconds()) {
                state = "lagging";
                status = status == Status.DOWN ? status : DEGRADED;
            } else {
                state = "running";
            }
            details.put(name, Map.of("state", state, "lagEvents", behind.events(), "lagSeconds", behind.seconds()));
        }
        health.status(status).withDetails(details);
    }

    private boolean failingHere(String name, StreamingEventProcessor processor) {
        return processor.isError() && (!processor.processingStatus().isEmpty()
                || jdbc.queryForObject(UNCLAIMED_SEGMENTS, Long.class, name) > 0);
    }
}
