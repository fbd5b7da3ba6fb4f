package cn.prepaid.ledger.api.http.alerts;

import cn.prepaid.ledger.projections.alerts.RefundDisputeSweep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

import java.time.Clock;

/**
 * REFUND_DISPUTE_OVERDUE is about time passing, so it is judged on a schedule. Every node runs the
 * schedule; the sweep takes a PostgreSQL advisory lock so one node sweeps at a time, and it keeps no
 * state of its own, so a restart changes nothing.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
public class RefundDisputeSchedule {

    private static final Logger log = LoggerFactory.getLogger(RefundDisputeSchedule.class);

    private final RefundDisputeSweep sweep;
    private final Clock clock;

    public RefundDisputeSchedule(RefundDisputeSweep sweep, Clock clock) {
        this.sweep = sweep;
        this.clock = clock;
    }

    @Scheduled(initialDelayString = "${ledger.alerts.dispute-sweep-initial-delay-millis:30000}",
            fixedDelayString = "${ledger.alerts.dispute-sweep-millis:300000}")
    public void sweep() {
        try {
            int raised = sweep.sweep(clock.instant());
            if (raised > 0) {
                log.info("refund-dispute sweep raised or updated {} alert(s)", raised);
            }
        } catch (RuntimeException failure) {
            log.warn("refund-dispute sweep failed; the next run retries", failure);
        }
    }
}
