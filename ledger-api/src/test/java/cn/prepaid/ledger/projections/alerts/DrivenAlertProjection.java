package cn.prepaid.ledger.projections.alerts;

import cn.prepaid.ledger.core.account.EscrowAccountEvent;
import cn.prepaid.ledger.projections.EventAtomicity;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.util.List;

/** The alert projection handed events by a test rather than by its processor (its handler is package-private). */
public final class DrivenAlertProjection {

    private final AlertProjection projection;

    public DrivenAlertProjection(JdbcTemplate jdbc, JdbcActivityHistory history, AlertBook book, List<AlertRule> rules,
                                 EventAtomicity eventAtomicity) {
        this.projection = new AlertProjection(jdbc, history, book, rules, eventAtomicity);
    }

    public void handle(EscrowAccountEvent event, long sequence, Instant recordedAt) {
        projection.on(event, sequence, recordedAt);
    }
}
