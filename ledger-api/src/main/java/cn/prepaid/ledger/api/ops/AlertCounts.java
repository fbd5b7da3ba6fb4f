package cn.prepaid.ledger.api.ops;

import cn.prepaid.ledger.projections.alerts.AlertCode;
import cn.prepaid.ledger.projections.alerts.Grade;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Alerts raised so far, by code and (current) grade: gauge {@code ledger.alerts.raised}, counted in the
 * alert table, so every node reports the ledger's figure (take the max across nodes, not the sum); its
 * increase over a window is what was raised in it. Read at most once every five seconds.
 */
@Component
public class AlertCounts {

    private static final Duration FRESH_FOR = Duration.ofSeconds(5);
    private static final String COUNTS = "select code, grade, count(*) from alert group by code, grade";

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private volatile Map<String, Long> counts = Map.of();
    private volatile Instant readAt = Instant.EPOCH;

    public AlertCounts(JdbcTemplate jdbc, Clock clock, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.clock = clock;
        for (AlertCode code : AlertCode.values()) {
            for (Grade grade : Grade.values()) {
                Gauge.builder("ledger.alerts.raised", () -> count(code.name(), grade.name()))
                        .tag("code", code.name()).tag("grade", grade.name())
                        .description("alerts raised so far, by code and current grade").register(meters);
            }
        }
    }

    private long count(String code, String grade) {
        Instant now = clock.instant();
        if (readAt.plus(FRESH_FOR).isBefore(now)) {
            Map<String, Long> read = new HashMap<>();
            jdbc.query(COUNTS, row -> {
                read.put(row.getString(1) + "/" + row.getString(2), row.getLong(3));
            });
            counts = read;
            readAt = now;
        }
        return counts.getOrDefault(code + "/" + grade, 0L);
    }
}
