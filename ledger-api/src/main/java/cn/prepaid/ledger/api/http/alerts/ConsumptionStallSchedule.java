package cn.prepaid.ledger.api.http.alerts;

import cn.prepaid.ledger.projections.alerts.ConsumptionStallSweep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

import java.time.Clock;

/**
 * CONSUMPTION_STALL is about time passing without events, so it is also judged on a schedule. Every
 * node runs the schedule; the sweep takes a PostgreSQL advisory lock so one node sweeps at a time,
 * and it keeps no state of its own, so a restart changes nothing.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
public class ConsumptionStallSchedule {

    private static final Logger log = LoggerFactory.getLogger(ConsumptionStallSchedule.class);

    private final ConsumptionStallSweep sweep;
    private final Clock clock;

    public ConsumptionStallSchedule(ConsumptionStallSweep sweep, Clock clock) {
        this.sweep = sweep;
        this.clock = clock;
    }

    @Scheduled(initialDelayString = "${ledger.alerts.stall-sweep-initial-delay-millis:30000}",
            fixedDelayString = "${ledger.alerts.stall-sweep-millis:300000}")
    public void sweep() {
        try {
            int raised = sweep.sweep(clock.instant());
            if (raised > 0) {
                log.info("consumption-stall sweep raised or updated {} alert(s)", raised);
            }
        } catch (RuntimeException failure) {
            log.warn("consumption-stall sweep failed; the next run retries", failure);
        }
    }
}
