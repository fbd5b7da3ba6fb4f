package cn.prepaid.ledger.projections.alerts;

import java.time.Instant;
import java.util.Map;

/**
 * A rule's finding: this condition holds for the account. {@code conditionKey} tells conditions of
 * the same code apart (one held outflow, one statement date); "" when the account has one at most.
 */
public record AlertSignal(AlertCode code, Grade grade, String conditionKey, Instant occurredAt, String summary,
                          Map<String, Object> facts) {

    public static AlertSignal of(AlertCode code, Instant occurredAt, String summary, Map<String, Object> facts) {
        return new AlertSignal(code, code.defaultGrade(), "", occurredAt, summary, facts);
    }

    public AlertSignal keyed(String key) {
        return new AlertSignal(code, grade, key, occurredAt, summary, facts);
    }

    public AlertSignal graded(Grade newGrade) {
        return new AlertSignal(code, newGrade, conditionKey, occurredAt, summary, facts);
    }
}
