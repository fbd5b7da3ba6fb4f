package cn.prepaid.ledger.api.http.alerts;

import cn.prepaid.ledger.api.http.ApiProblem;
import cn.prepaid.ledger.api.http.PageView;
import cn.prepaid.ledger.api.http.Viewers;
import cn.prepaid.ledger.api.http.WireFields;
import cn.prepaid.ledger.api.http.openapi.ProblemAnswers;
import cn.prepaid.ledger.api.security.ApiPrincipal;
import cn.prepaid.ledger.api.security.Role;
import cn.prepaid.ledger.projections.alerts.AlertCode;
import cn.prepaid.ledger.projections.alerts.AlertLifecycle;
import cn.prepaid.ledger.projections.alerts.Grade;
import cn.prepaid.ledger.projections.query.AlertQueries;
import cn.prepaid.ledger.projections.query.AlertView;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.time.Clock;
import java.time.Instant;
import java.util.Set;

/** Risk alerts for regulators (their region) and auditors (read only). */
@RestController
@RequestMapping("/api/v1/alerts")
@Tag(name = "Alerts", description = "Graded risk alerts (预警), their handling, and a live stream")
public class AlertController {

    private static final Set<String> STATUSES = Set.of("OPEN", "ACKNOWLEDGED", "RESOLVED", "DISMISSED", "WITHDRAWN");

    private final AlertQueries alerts;
    private final AlertLifecycle lifecycle;
    private final AlertStream stream;
    private final Clock clock;

    public AlertController(AlertQueries alerts, AlertLifecycle lifecycle, AlertStream stream, Clock clock) {
        this.alerts = alerts;
        this.lifecycle = lifecycle;
        this.stream = stream;
        this.clock = clock;
    }

    @Schema(name = "AlertNote")
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Note(@Schema(example = "called the institution; refunds are being paid") String note) {
    }

    @GetMapping
    @Operation(operationId = "listAlerts",
            summary = "List alerts in scope", description = "Filters: institutionId, regionCode (prefix), code, "
            + "grade, status, since (raised at or after). Paged, newest first.")
    public PageView<AlertJson> list(@AuthenticationPrincipal ApiPrincipal principal,
                                    @RequestParam(required = false) String institutionId,
                                    @RequestParam(required = false) String regionCode,
                                    @RequestParam(required = false) String code,
                                    @RequestParam(required = false) String grade,
                                    @RequestParam(required = false) String status,
                                    @RequestParam(required = false) String since,
                                    @RequestParam(required = false) Integer page,
                                    @RequestParam(required = false) Integer size) {
        WireFields fields = new WireFields(clock);
        if (code != null) {
            fields.oneOf("code", code, AlertCode.class);
        }
        if (grade != null) {
            fields.oneOf("grade", grade, Grade.class);
        }
        if (status != null && !STATUSES.contains(status)) {
            fields.problem("status", "must be one of " + STATUSES, "VALIDATION_FAILED");
        }
        if (regionCode != null && !regionCode.matches("\\d{1,6}")) {
            fields.problem("regionCode", "must be 1-6 digits", "VALIDATION_FAILED");
        }
        Instant from = since == null ? null : fields.instant("since", since);
        PageView.Request paging = PageView.Request.of(fields, page, size);
        fields.throwIfInvalid();
        return PageView.of(alerts.alerts(Viewers.of(principal),
                new AlertQueries.Filter(institutionId, regionCode, code, grade, status, from), paging.page(),
                paging.size()), alert -> AlertJson.of(alert, false));
    }

    @GetMapping(value = "/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(operationId = "streamAlerts", summary = "Live stream of new and changed alerts (server-sent events)",
            description = "Each change is `event: alert`, `id: <increasing id>`, `data: <alert JSON>`. Reconnect with "
                    + "Last-Event-ID to receive everything after that id (or lastEventId=, for a client that cannot set "
                    + "the header, such as a browser opening a stream anew). regionCode narrows the regulator's region.")
    @ApiResponse(responseCode = "200",
            description = "server-sent events: `event: alert`, `id`, "
            + "`data: <Alert JSON>`; comments `:connected`, `:keep-alive`",
            content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE, schema = @Schema(type = "string")))
    public SseEmitter stream(@AuthenticationPrincipal ApiPrincipal principal,
                             @RequestParam(required = false) String regionCode,
                             @RequestHeader(value = "Last-Event-ID", required = false) String lastEventHeader,
                             @RequestParam(value = "lastEventId", required = false) String lastEventParameter) {
        String lastEventId = lastEventHeader != null ? lastEventHeader : lastEventParameter;
        String scope = principal.is(Role.REGULATOR) ? principal.regionPrefix() : "";
        String prefix = scope;
        if (regionCode != null) {
            if (!regionCode.matches("\\d{1,6}")) {
                throw ApiProblem.invalid("regionCode", "must be 1-6 digits", "VALIDATION_FAILED");
            }
            if (!regionCode.startsWith(scope) && !scope.startsWith(regionCode)) {
                throw ApiProblem.forbidden("region " + regionCode + " lies outside this regulator's region");
            }
            prefix = regionCode.length() > scope.length() ? regionCode : scope;
        }
        Long after = null;
        if (lastEventId != null && !lastEventId.isBlank()) {
            try {
                after = Long.parseLong(lastEventId.trim());
            } catch (NumberFormatException notOurs) {
                throw ApiProblem.invalid("Last-Event-ID", "must be an id this stream sent", "VALIDATION_FAILED");
            }
        }
        return stream.subscribe(prefix, after);
    }

    @GetMapping("/{id}")
    @Operation(operationId = "getAlert", summary = "Read an alert with its lifecycle history")
    @ApiResponse(responseCode = "200", description = "OK", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", ref = ProblemAnswers.NOT_FOUND)
    public AlertJson get(@AuthenticationPrincipal ApiPrincipal principal, @PathVariable String id) {
        return AlertJson.of(inScope(principal, id), true);
    }

    @PostMapping("/{id}/acknowledge")
    @Operation(operationId = "acknowledgeAlert", summary = "Acknowledge an open alert")
    @ApiResponse(responseCode = "200", description = "OK", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", ref = ProblemAnswers.NOT_FOUND)
    @ApiResponse(responseCode = "409", ref = ProblemAnswers.CONFLICT)
    public AlertJson acknowledge(@AuthenticationPrincipal ApiPrincipal principal, @PathVariable String id,
                                 @RequestBody(required = false) Note body) {
        return act(principal, id, AlertLifecycle.Action.ACKNOWLEDGE, body);
    }

    @PostMapping("/{id}/resolve")
    @Operation(operationId = "resolveAlert", summary = "Resolve an alert: the condition was dealt with")
    @ApiResponse(responseCode = "200", description = "OK", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", ref = ProblemAnswers.NOT_FOUND)
    @ApiResponse(responseCode = "409", ref = ProblemAnswers.CONFLICT)
    public AlertJson resolve(@AuthenticationPrincipal ApiPrincipal principal, @PathVariable String id,
                             @RequestBody(required = false) Note body) {
        return act(principal, id, AlertLifecycle.Action.RESOLVE, body);
    }

    @PostMapping("/{id}/dismiss")
    @Operation(operationId = "dismissAlert", summary = "Dismiss an alert: no action was needed")
    @ApiResponse(responseCode = "200", description = "OK", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", ref = ProblemAnswers.NOT_FOUND)
    @ApiResponse(responseCode = "409", ref = ProblemAnswers.CONFLICT)
    public AlertJson dismiss(@AuthenticationPrincipal ApiPrincipal principal, @PathVariable String id,
                             @RequestBody(required = false) Note body) {
        return act(principal, id, AlertLifecycle.Action.DISMISS, body);
    }

    private AlertJson act(ApiPrincipal principal, String id, AlertLifecycle.Action action, Note body) {
        inScope(principal, id);
        String note = WireFields.requiredNote("note", body == null ? null : body.note());
        try {
            lifecycle.act(id, action, principal.name(), note, clock.instant());
        } catch (AlertLifecycle.Refused refused) {
            throw refused.notFound() ? ApiProblem.notFound("ALERT_NOT_FOUND", refused.getMessage())
                    : ApiProblem.conflict("ALERT_STATUS_CONFLICT", refused.getMessage());
        }
        return AlertJson.of(alerts.alert(id).orElseThrow(), true);
    }

    private AlertView inScope(ApiPrincipal principal, String id) {
        AlertView alert = alerts.alert(id).orElseThrow(() -> ApiProblem.notFound("ALERT_NOT_FOUND", "no alert " + id));
        if (principal.is(Role.REGULATOR) && !principal.supervisesRegion(alert.regionCode())) {
            throw ApiProblem.forbidden("alert " + id + " lies outside this regulator's region");
        }
        return alert;
    }
}
