package cn.prepaid.ledger.api.support;

import cn.prepaid.ledger.core.account.EscrowAccountEvent;
import cn.prepaid.ledger.projections.alerts.AccountSituation;
import cn.prepaid.ledger.projections.alerts.ActivityHistory;
import cn.prepaid.ledger.projections.alerts.AlertCode;
import cn.prepaid.ledger.projections.alerts.AlertRule;
import cn.prepaid.ledger.projections.alerts.AlertSignal;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import java.util.List;

/**
 * A test-only alert rule that fails on every event of accounts whose id starts with "POISON" while
 * {@link #poisoned} is set: how PoisonEventTest makes a poison event. Part of every integration
 * test's context (so all of them share one context); no other test uses such account ids.
 */
@TestConfiguration(proxyBeanMethods = false)
public class PoisonRule {

    public static volatile boolean poisoned = true;

    @Bean
    AlertRule poisonRule() {
        return new AlertRule() {
            @Override
            public AlertCode code() {
                return AlertCode.REJECTED_OUTFLOW;
            }

            @Override
            public List<AlertSignal> evaluate(EscrowAccountEvent event, AccountSituation account,
                                              ActivityHistory history) {
                if (poisoned && event.accountId().startsWith("POISON")) {
                    throw new IllegalStateException("this rule cannot judge " + event.accountId());
                }
                return List.of();
            }
        };
    }
}
