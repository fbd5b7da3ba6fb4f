package cn.prepaid.ledger.api.ops;

import cn.prepaid.ledger.projections.alerts.AlertProjection;
import cn.prepaid.ledger.projections.readmodel.ReadModels;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.deadletter.Decisions;
import org.axonframework.messaging.deadletter.SequencedDeadLetterProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static cn.prepaid.ledger.store.events.StoreSchema.DEAD_LETTERS;

/**
 * Events a projection failed on. Instead of stopping the processor (or, Axon's default, being logged
 * and forgotten), a failing event is parked with its sequence in {@code dead_letter_entry}: it is
 * logged, counted in the {@code ledger.dead.letters} gauge, retried every few minutes and on demand.
 */
@Configuration(proxyBeanMethods = false)
public class DeadLetters {

    private static final String COUNT_PARKED = "select count(*) from " + DEAD_LETTERS + " where processing_group = ?";

    public static final List<String> GROUPS = List.of(ReadModels.PROCESSING_GROUP, AlertProjection.PROCESSING_GROUP);
    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    private final JdbcTemplate jdbc;
    private final EventProcessingConfiguration processing;

    public DeadLetters(JdbcTemplate jdbc, @Lazy EventProcessingConfiguration processing, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.processing = processing;
        for (String group : GROUPS) {
            Gauge.builder("ledger.dead.letters", () -> count(group)).tag("processingGroup", group)
                    .description("events parked after their handler failed").register(meters);
        }
    }

    /**
     * Logs every event as it is parked, with the failure, so operators see it without a query; once the
     * parking has committed (a batch that rolls back as a whole parks nothing, see EventAtomicity).
     */
    @Bean
    public static ConfigurerModule deadLetterLogging() {
        return configurer -> GROUPS.forEach(group -> configurer.eventProcessing().registerDeadLetterPolicy(group,
                config -> (letter, cause) -> {
                    Runnable report = () -> log.warn("{} parked event {} ({}) after its handler failed: {}", group,
                            letter.message().getIdentifier(), letter.message().getPayloadType().getSimpleName(),
                            cause.getMessage());
                    if (TransactionSynchronizationManager.isSynchronizationActive()) {
                        TransactionSynchronizationManager.registerSynchronization(
                                new TransactionSynchronization() {
                                    @Override
                                    public void afterCommit() {
                                        report.run();
                                    }
                                });
                    } else {
                        report.run();
                    }
                    return Decisions.enqueue(cause);
                }));
    }

    public long count(String group) {
        Long count = jdbc.queryForObject(COUNT_PARKED,
                Long.class, group);
        return count == null ? 0 : count;
    }

    public Map<String, Long> counts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        GROUPS.forEach(group -> counts.put(group, count(group)));
        return counts;
    }

    /** Retries every parked sequence of every group once; answers how many sequences now went through. */
    public Map<String, Integer> retryAll() {
        Map<String, Integer> retried = new LinkedHashMap<>();
        for (String group : GROUPS) {
            Optional<SequencedDeadLetterProcessor<EventMessage<?>>> processor =
                    processing.sequencedDeadLetterProcessor(group);
            int succeeded = 0;
            long sequences = count(group);
            for (long attempt = 0; processor.isPresent() && attempt < sequences; attempt++) {
                if (processor.get().processAny()) {
                    succeeded++;
                }
            }
            retried.put(group, succeeded);
        }
        return retried;
    }

    @Scheduled(initialDelayString = "${ledger.dead-letters.retry-initial-delay-millis:60000}",
            fixedDelayString = "${ledger.dead-letters.retry-millis:300000}")
    public void retryPeriodically() {
        if (counts().values().stream().anyMatch(count -> count > 0)) {
            log.info("retrying parked events: {}", retryAll());
        }
    }
}
