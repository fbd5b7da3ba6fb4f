package cn.prepaid.ledger.projections.alerts.rules;

import cn.prepaid.ledger.core.account.EscrowAccountEvent;
import cn.prepaid.ledger.projections.alerts.AccountSituation;
import cn.prepaid.ledger.projections.alerts.ActivityHistory;
import cn.prepaid.ledger.projections.alerts.AlertCode;
import cn.prepaid.ledger.projections.alerts.AlertRule;
import cn.prepaid.ledger.projections.alerts.AlertSignal;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * YELLOW when a refund dispute has been open for more than the policy's
 * {@code AlertThresholds#refundDisputeOverdueDays} (14 by default): the family waits for its money and
 * the order's earned tuition is held, so a regulator should decide. Time passing is no event, so the
 * rule is judged by a sweep ({@code RefundDisputeSweep}) at an instant; one alert per dispute.
 */
@Component
public class RefundDisputeOverdueRule implements AlertRule {

    /** A refund dispute still open, as the read model knows it. */
    public record OpenDispute(String accountId, String disputeId, String orderId, Instant openedAt) {
    }

    @Override
    public AlertCode code() {
        return AlertCode.REFUND_DISPUTE_OVERDUE;
    }

    /** Nothing an event brings makes a dispute overdue: only time does (see {@link #judgeAt}). */
    @Override
    public List<AlertSignal> evaluate(EscrowAccountEvent event, AccountSituation account, ActivityHistory history) {
        return List.of();
    }

    /**
     * The signal for a dispute still open at {@code now}, when it has been open longer than the account's
     * {@code refundDisputeOverdueDays}.
     */
    public Optional<AlertSignal> judgeAt(OpenDispute dispute, AccountSituation account, Instant now) {
        Instant due = dispute.openedAt().plus(Duration.ofDays(account.thresholds().refundDisputeOverdueDays()));
        if (!now.isAfter(due)) {
            return Optional.empty();
        }
        long days = Duration.between(dispute.openedAt(), now).toDays();
        return Optional.of(AlertSignal.of(AlertCode.REFUND_DISPUTE_OVERDUE, due,
                "refund dispute " + dispute.disputeId() + " on order " + dispute.orderId() + " has been open for "
                        + days + " days",
                Map.of("disputeId", dispute.disputeId(), "orderId", dispute.orderId(),
                        "openedAt", dispute.openedAt().toString(), "daysOpen", days)).keyed(dispute.disputeId()));
    }
}
