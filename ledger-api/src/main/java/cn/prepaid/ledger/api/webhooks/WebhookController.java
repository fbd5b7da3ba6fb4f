package cn.prepaid.ledger.api.webhooks;

import cn.prepaid.ledger.api.http.ApiProblem;
import cn.prepaid.ledger.api.http.PageView;
import cn.prepaid.ledger.api.http.WireFields;
import cn.prepaid.ledger.api.http.openapi.ProblemAnswers;
import cn.prepaid.ledger.api.security.ApiPrincipal;
import cn.prepaid.ledger.api.webhooks.DeliveryQueue.LogEntry;
import cn.prepaid.ledger.api.webhooks.WebhookEndpoints.Endpoint;
import cn.prepaid.ledger.api.webhooks.WebhookEndpoints.Registered;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A bank's webhook endpoints, their delivery logs and redelivery (API.md, Webhooks). */
@RestController
@RequestMapping("/api/v1/webhooks")
@Tag(name = "Webhooks", description = "Signed notifications of decisions and supervision events to custodian banks")
public class WebhookController {

    @Schema(name = "RegisterWebhookRequest", description = "An endpoint of the calling bank.")
    public record WebhookRequest(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "https://hooks.icbc.example/ledger",
                    description = "https to a public address (loopback http only where the ledger allows it)")
            String url,
            @ArraySchema(arraySchema = @Schema(requiredMode = Schema.RequiredMode.REQUIRED,
                    description = "at least one; repeats are kept once"),
                    schema = @Schema(implementation = WebhookEventType.class))
            List<String> events) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "Webhook")
    public record WebhookView(String webhookId, String url, List<WebhookEventType> events, String createdAt,
                              @Schema(description = "only in the answer to registerWebhook: the key the "
                                      + "signatures are made with") String secret) {

        static WebhookView of(Endpoint endpoint, String secret) {
            return new WebhookView(endpoint.webhookId(), endpoint.url(), endpoint.events(),
                    endpoint.createdAt().toString(), secret);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "WebhookDelivery")
    public record DeliveryView(String eventId, @Schema(implementation = WebhookEventType.class) String type,
                               @Schema(allowableValues = {"PENDING", "DELIVERED", "FAILED"}) String status,
                               int attempts,
                               @Schema(description = "the receiver's last HTTP status; absent when none answered")
                               Integer lastStatus,
                               @Schema(description = "why the last attempt failed") String lastError,
                               String createdAt, @Schema(description = "absent before the first attempt")
                               String lastAttemptAt,
                               @Schema(description = "DELIVERED only") String deliveredAt,
                               @Schema(description = "PENDING only") String nextAttemptAt) {

        static DeliveryView of(LogEntry entry) {
            return new DeliveryView(entry.eventId(), entry.type(), entry.status(), entry.attempts(), entry.lastStatus(),
                    entry.lastError(), text(entry.createdAt()), text(entry.lastAttemptAt()), text(entry.deliveredAt()),
                    text(entry.nextAttemptAt()));
        }

        private static String text(Instant instant) {
            return instant == null ? null : instant.toString();
        }
    }

    private final WebhookEndpoints endpoints;
    private final DeliveryQueue deliveries;
    private final WebhookUrlPolicy urls;
    private final Clock clock;

    public WebhookController(WebhookEndpoints endpoints, DeliveryQueue deliveries, WebhookUrlPolicy urls, Clock clock) {
        this.endpoints = endpoints;
        this.deliveries = deliveries;
        this.urls = urls;
        this.clock = clock;
    }

    @PostMapping
    @Operation(operationId = "registerWebhook", summary = "Register an endpoint",
            description = "url: https (no private, link-local or loopback address); events: the types to receive. "
                    + "201 with the signing secret, which is shown only in this answer.")
    @ApiResponse(responseCode = "201", description = "the endpoint, with its signing secret",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = WebhookView.class)))
    public ResponseEntity<WebhookView> register(@AuthenticationPrincipal ApiPrincipal principal,
                                                @RequestBody WebhookRequest body) {
        WireFields fields = new WireFields(clock);
        urls.problemWith(body.url()).ifPresent(problem -> fields.problem("url", problem, "WEBHOOK_URL_INVALID"));
        List<WebhookEventType> events = new ArrayList<>();
        if (body.events() == null || body.events().isEmpty()) {
            fields.problem("events", "must name at least one event type", "VALIDATION_FAILED");
        } else {
            for (String name : body.events()) {
                WebhookEventType type = fields.oneOf("events", name, WebhookEventType.class);
                if (type != null && !events.contains(type)) {
                    events.add(type);
                }
            }
        }
        fields.throwIfInvalid();
        Registered registered = endpoints.register(principal.bankCode(), body.url(), events);
        return ResponseEntity.status(HttpStatus.CREATED).body(WebhookView.of(registered.endpoint(), registered.secret()));
    }

    @GetMapping
    @Operation(operationId = "listWebhooks", summary = "This bank's endpoints (without their secrets)",
            description = "Paged.")
    @ApiResponse(responseCode = "200", description = "OK", useReturnTypeSchema = true)
    public PageView<WebhookView> list(@AuthenticationPrincipal ApiPrincipal principal,
                                      @RequestParam(required = false) Integer page,
                                      @RequestParam(required = false) Integer size) {
        PageView.Request paging = paging(page, size);
        return PageView.of(endpoints.ofBank(principal.bankCode(), paging.page(), paging.size()),
                endpoint -> WebhookView.of(endpoint, null));
    }

    @DeleteMapping("/{id}")
    @Operation(operationId = "deleteWebhook", summary = "Delete an endpoint: nothing more is sent to it",
            description = "204; another bank's → 404.")
    @ApiResponse(responseCode = "204", description = "deleted")
    @ApiResponse(responseCode = "404", ref = ProblemAnswers.NOT_FOUND)
    public ResponseEntity<Void> delete(@AuthenticationPrincipal ApiPrincipal principal, @PathVariable String id) {
        if (!endpoints.delete(principal.bankCode(), id)) {
            throw notFound(id);
        }
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/{id}/deliveries")
    @Operation(operationId = "listWebhookDeliveries", summary = "An endpoint's delivery log, newest first",
            description = "Page of {eventId, type, status (PENDING|DELIVERED|FAILED), attempts, lastStatus, lastError, "
                    + "deliveredAt?, nextAttemptAt?}.")
    @ApiResponse(responseCode = "200", description = "OK", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", ref = ProblemAnswers.NOT_FOUND)
    public PageView<DeliveryView> deliveries(@AuthenticationPrincipal ApiPrincipal principal, @PathVariable String id,
                                             @RequestParam(required = false) Integer page,
                                             @RequestParam(required = false) Integer size) {
        owned(principal, id);
        PageView.Request paging = paging(page, size);
        return PageView.of(deliveries.log(id, paging.page(), paging.size()), DeliveryView::of);
    }

    @PostMapping("/{id}/deliveries/{eventId}/redeliver")
    @Operation(operationId = "redeliverWebhookEvent", summary = "Send an event again",
            description = "202: sent again when it is its account's turn, with a fresh retry window (also after it "
                    + "was given up).")
    @ApiResponse(responseCode = "202", description = "queued again")
    @ApiResponse(responseCode = "404", ref = ProblemAnswers.NOT_FOUND)
    public ResponseEntity<Void> redeliver(@AuthenticationPrincipal ApiPrincipal principal, @PathVariable String id,
                                          @PathVariable String eventId) {
        owned(principal, id);
        if (!deliveries.redeliver(id, eventId, clock.instant())) {
            throw ApiProblem.notFound("DELIVERY_NOT_FOUND", "no delivery of event " + eventId + " to webhook " + id);
        }
        return ResponseEntity.accepted().build();
    }

    private void owned(ApiPrincipal principal, String webhookId) {
        if (endpoints.ofBank(principal.bankCode(), webhookId).isEmpty()) {
            throw notFound(webhookId);
        }
    }

    private PageView.Request paging(Integer page, Integer size) {
        WireFields fields = new WireFields(clock);
        PageView.Request paging = PageView.Request.of(fields, page, size);
        fields.throwIfInvalid();
        return paging;
    }

    private static ApiProblem notFound(String webhookId) {
        return ApiProblem.notFound("WEBHOOK_NOT_FOUND", "no webhook " + webhookId);
    }
}
