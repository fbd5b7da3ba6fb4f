package cn.prepaid.ledger.projections.query;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** An alert as regulators and auditors read it; {@code history} is filled for single reads. */
public record AlertView(String alertId, String code, String grade, String status, String institutionId,
                        String accountId, String regionCode, Instant raisedAt, Instant occurredAt, Instant updatedAt,
                        int occurrences, String summary, Map<String, Object> facts, List<Step> history) {

    public record Step(String action, String status, String by, Instant at, String note) {
    }
}
