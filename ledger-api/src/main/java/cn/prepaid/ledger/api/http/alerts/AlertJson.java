package cn.prepaid.ledger.api.http.alerts;

import cn.prepaid.ledger.projections.query.AlertView;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;
import java.util.Map;

/** An alert on the wire (API.md), with its lifecycle history when read alone. */
@Schema(name = "Alert")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AlertJson(String alertId, String code, String grade, String status, String institutionId,
                        String accountId, String regionCode, String raisedAt, String occurredAt, String updatedAt,
                        int occurrences, String summary,
                        @Schema(description = "the findings behind the alert: money as strings, counts as numbers",
                                additionalProperties = Schema.AdditionalPropertiesValue.TRUE) Map<String, Object> facts,
                        List<Step> history) {

    @Schema(name = "AlertStep")
    public record Step(String action, String status, String by, String at,
                       @Schema(nullable = true) String note) {
    }

    public static AlertJson of(AlertView alert, boolean withHistory) {
        return new AlertJson(alert.alertId(), alert.code(), alert.grade(), alert.status(), alert.institutionId(),
                alert.accountId(), alert.regionCode(), alert.raisedAt().toString(), alert.occurredAt().toString(),
                alert.updatedAt().toString(), alert.occurrences(), alert.summary(), alert.facts(),
                withHistory ? alert.history().stream().map(step -> new Step(step.action(), step.status(), step.by(),
                        step.at().toString(), step.note())).toList() : null);
    }
}
