package cn.prepaid.ledger.projections.alerts.rules;

import cn.prepaid.ledger.core.account.EscrowAccountEvent;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.ChargeCapExceeded;
import cn.prepaid.ledger.projections.alerts.AccountSituation;
import cn.prepaid.ledger.projections.alerts.ActivityHistory;
import cn.prepaid.ledger.projections.alerts.AlertCode;
import cn.prepaid.ledger.projections.alerts.AlertRule;
import cn.prepaid.ledger.projections.alerts.AlertSignal;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;

/** YELLOW for a deposit covering more than the charge cap (60 lessons or 3 months); one alert per order. */
@Component
public class ChargeCapExceededRule implements AlertRule {

    @Override
    public AlertCode code() {
        return AlertCode.CHARGE_CAP_EXCEEDED;
    }

    @Override
    public List<AlertSignal> evaluate(EscrowAccountEvent event, AccountSituation account, ActivityHistory history) {
        if (!(event instanceof ChargeCapExceeded cap)) {
            return List.of();
        }
        return List.of(AlertSignal.of(code(), cap.occurredAt(), "order " + cap.orderId() + " charges " + cap.lessons()
                        + " lessons from " + cap.courseStart() + " to " + cap.courseEnd() + ", beyond the cap of "
                        + cap.maxLessons() + " lessons or " + cap.maxMonths() + " months",
                Map.of("orderId", cap.orderId(), "lessons", cap.lessons(), "courseStart", cap.courseStart().toString(),
                        "courseEnd", cap.courseEnd().toString(), "bankTxnId", cap.bankTxnId()))
                .keyed(cap.orderId()));
    }
}
