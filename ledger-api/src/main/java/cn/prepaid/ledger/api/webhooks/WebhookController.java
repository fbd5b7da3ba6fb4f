package cn.prepaid.ledger.api.webhooks;

import cn.prepaid.ledger.api.http.ApiProblem;
import cn.prepaid.ledger.api.http.PageView;
import cn.prepaid.ledger.api.http.WireFields;
import cn.prepaid.ledger.api.security.ApiPrincipal;
import cn.prepaid.ledger.api.webhooks.DeliveryQueue.LogEntry;
import cn.prepaid.ledger.api.webhooks.WebhookEndpoints.Endpoint;
import cn.prepaid.ledger.api.webhooks.WebhookEndpoints.Registered;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
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

    public record WebhookRequest(String url, List<String> events) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record WebhookView(String webhookId, String url, List<WebhookEventType> events, String createdAt,
                              String secret) {

        static WebhookView of(Endpoint endpoint, String secret) {
            return new WebhookView(endpoint.webhookId(), endpoint.url(), endpoint.events(),
                    endpoint.createdAt().toString(), secret);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DeliveryView(String eventId, String type, String status, int attempts, Integer lastStatus,
                               String lastError, String createdAt, String lastAttemptAt, String deliveredAt,
                               String nextAttemptAt) {

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
    @Operation(summary = "Register an endpoint",
            description = "url: https (no private, link-local or loopback address); events: the types to receive. "
                    + "201 with the signing secret, which is shown only in this answer.")
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
    @Operation(summary = "This bank's endpoints (without their secrets)")
    public PageView<WebhookView> list(@AuthenticationPrincipal ApiPrincipal principal,
                                      @RequestParam(required = false) Integer page,
                                      @RequestParam(required = false) Integer size) {
        PageView.Request paging = paging(page, size);
        return PageView.of(endpoints.ofBank(principal.bankCode(), paging.page(), paging.size()),
                endpoint -> WebhookView.of(endpoint, null));
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Delete an endpoint: nothing more is sent to it", description = "204; another bank's → 404.")
    public ResponseEntity<Void> delete(@AuthenticationPrincipal ApiPrincipal principal, @PathVariable String id) {
        if (!endpoints.delete(principal.bankCode(), id)) {
            throw notFound(id);
        }
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/{id}/deliveries")
    @Operation(summary = "An endpoint's delivery log, newest first",
            description = "Page of {eventId, type, status (PENDING|DELIVERED|FAILED), attempts, lastStatus, lastError, "
                    + "deliveredAt?, nextAttemptAt?}.")
    public PageView<DeliveryView> deliveries(@AuthenticationPrincipal ApiPrincipal principal, @PathVariable String id,
                                             @RequestParam(required = false) Integer page,
                                             @RequestParam(required = false) Integer size) {
        owned(principal, id);
        PageView.Request paging = paging(page, size);
        return PageView.of(deliveries.log(id, paging.page(), paging.size()), DeliveryView::of);
    }

    @PostMapping("/{id}/deliveries/{eventId}/redeliver")
    @Operation(summary = "Send an event again", description = "202: sent again when it is its account's turn, with "
            + "a fresh retry window (also after it was given up).")
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
