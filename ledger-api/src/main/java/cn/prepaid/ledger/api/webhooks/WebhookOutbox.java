package cn.prepaid.ledger.api.webhooks;

import cn.prepaid.ledger.core.account.EscrowAccountEvent.AccountFrozen;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.AccountUnfrozen;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.EscrowAccountOpened;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.HeldOutflowApproved;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.HeldOutflowRejected;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.HoldableOutflow;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.OutflowHeld;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.RefundObligation;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.RefundObligationsEstablished;
import cn.prepaid.ledger.core.institution.InstitutionEvent.InstitutionBlacklisted;
import cn.prepaid.ledger.core.institution.InstitutionEvent.InstitutionClosed;
import cn.prepaid.ledger.core.institution.InstitutionEvent.InstitutionSuspended;
import cn.prepaid.ledger.core.money.Money;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.messaging.annotation.MessageIdentifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * The outbox: for each committed event a bank may hear about, one notification row and one delivery
 * row per endpoint subscribed to it, written by the {@code webhooks} tracking processor in the same
 * transaction that moves its token. So a notification exists exactly when its event was committed,
 * is written once whichever node runs the processor (rows are keyed by event id, a repeat inserts
 * nothing), and survives restarts. Nothing here waits on HTTP: {@link WebhookDispatcher} sends.
 *
 * <p>The processor has one segment, so events are seen in commit order: an account is known here
 * before any event about it, and an institution's banks are those of the accounts opened before.
 */
@Component
@ProcessingGroup(WebhookOutbox.PROCESSING_GROUP)
public class WebhookOutbox {

    public static final String PROCESSING_GROUP = "webhooks";

    private static final String REMEMBER_ACCOUNT = "insert into webhook_account (account_id, institution_id, bank_code) "
            + "values (?, ?, ?) on conflict (account_id) do nothing";
    private static final String REMEMBER_HELD = "insert into webhook_held_outflow (held_outflow_id, bank_txn_id, "
            + "outflow_type, amount_fen) values (?, ?, ?, ?) on conflict (held_outflow_id) do nothing";
    private static final String INSTITUTION_OF_ACCOUNT = "select institution_id from webhook_account where account_id = ?";
    private static final String HELD = "select bank_txn_id, outflow_type, amount_fen from webhook_held_outflow "
            + "where held_outflow_id = ?";

    /** The endpoints that get the event: subscribed to its type, of a bank the {@code banks} query names. */
    private static final String NOTIFY = "with targets as (select w.webhook_id from webhook_endpoint w "
            + "where w.deleted_at is null and cast(? as varchar) = any (w.events) and w.bank_code in (%s)), "
            + "event as (insert into webhook_event (event_id, type, ordering_key, position, held_outflow_id, "
            + "awaiting_posting, body) select ?, ?, ?, ?, ?, ?, ? where exists (select 1 from targets) "
            + "on conflict (event_id) do nothing returning event_id) "
            + "insert into webhook_delivery (webhook_id, event_id, ordering_key, position, created_at, next_attempt_at) "
            + "select t.webhook_id, e.event_id, ?, ?, ?, ? from targets t cross join event e "
            + "on conflict (webhook_id, event_id) do nothing";
    private static final String BANK_OF_ACCOUNT = "select a.bank_code from webhook_account a where a.account_id = ?";
    private static final String BANKS_OF_INSTITUTION = "select a.bank_code from webhook_account a "
            + "where a.institution_id = ?";

    private static final String AWAITING_POSTING = "select event_id, body from webhook_event "
            + "where held_outflow_id = ? and awaiting_posting";
    private static final String COMPLETE = "update webhook_event set body = ?, awaiting_posting = false "
            + "where event_id = ? and awaiting_posting";

    private final JdbcTemplate jdbc;
    private final JsonMapper json;
    private final Clock clock;

    public WebhookOutbox(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.json = JsonMapper.builder().build();
        this.clock = clock;
    }

    @EventHandler
    void on(EscrowAccountOpened e) {
        jdbc.update(REMEMBER_ACCOUNT, e.accountId(), e.institutionId(), e.bankCode());
    }

    @EventHandler
    void on(OutflowHeld e) {
        jdbc.update(REMEMBER_HELD, e.heldOutflowId(), e.bankTxnId(), e.outflowType().name(), e.amountFen());
    }

    /** Written now, sent once the posting the approval produced has filled in its postingId. */
    @EventHandler
    void on(HeldOutflowApproved e, @MessageIdentifier String eventId, @SequenceNumber long sequence) {
        ObjectNode data = heldOutflowData(e.heldOutflowId(), "APPROVED");
        data.put("decidedBy", e.decidedBy());
        if (e.note() != null) {
            data.put("note", e.note());
        }
        notifyAccount(WebhookEventType.HELD_OUTFLOW_APPROVED, eventId, sequence, e.accountId(), e.occurredAt(), data,
                e.heldOutflowId());
    }

    @EventHandler
    void on(HoldableOutflow e) {
        completeApproval(e.heldOutflowId(), e.postingId());
    }

    @EventHandler
    void on(HeldOutflowRejected e, @MessageIdentifier String eventId, @SequenceNumber long sequence) {
        ObjectNode data = heldOutflowData(e.heldOutflowId(), "REJECTED");
        data.put("decidedBy", e.decidedBy());
        data.put("reason", e.reason());
        notifyAccount(WebhookEventType.HELD_OUTFLOW_REJECTED, eventId, sequence, e.accountId(), e.occurredAt(), data,
                null);
    }

    @EventHandler
    void on(AccountFrozen e, @MessageIdentifier String eventId, @SequenceNumber long sequence) {
        notifyAccount(WebhookEventType.ACCOUNT_FROZEN, eventId, sequence, e.accountId(), e.occurredAt(),
                json.createObjectNode().put("reason", e.reason()), null);
    }

    @EventHandler
    void on(AccountUnfrozen e, @MessageIdentifier String eventId, @SequenceNumber long sequence) {
        notifyAccount(WebhookEventType.ACCOUNT_UNFROZEN, eventId, sequence, e.accountId(), e.occurredAt(),
                json.createObjectNode().put("reason", e.reason()), null);
    }

    @EventHandler
    void on(RefundObligationsEstablished e, @MessageIdentifier String eventId, @SequenceNumber long sequence) {
        ObjectNode data = json.createObjectNode().put("reason", e.reason()).put("total", Money.ofFen(e.totalFen()).toWire());
        ArrayNode obligations = data.putArray("obligations");
        for (RefundObligation obligation : e.obligations()) {
            obligations.addObject().put("orderId", obligation.orderId()).put("studentRef", obligation.studentRef())
                    .put("amount", Money.ofFen(obligation.amountFen()).toWire());
        }
        notifyAccount(WebhookEventType.REFUND_OBLIGATIONS_CREATED, eventId, sequence, e.accountId(), e.occurredAt(),
                data, null);
    }

    @EventHandler
    void on(InstitutionSuspended e, @MessageIdentifier String eventId, @SequenceNumber long sequence) {
        notifyInstitution(WebhookEventType.INSTITUTION_SUSPENDED, eventId, sequence, e.institutionId(), e.occurredAt(),
                e.reason());
    }

    @EventHandler
    void on(InstitutionBlacklisted e, @MessageIdentifier String eventId, @SequenceNumber long sequence) {
        notifyInstitution(WebhookEventType.INSTITUTION_BLACKLISTED, eventId, sequence, e.institutionId(),
                e.occurredAt(), e.reason());
    }

    @EventHandler
    void on(InstitutionClosed e, @MessageIdentifier String eventId, @SequenceNumber long sequence) {
        notifyInstitution(WebhookEventType.INSTITUTION_CLOSED, eventId, sequence, e.institutionId(), e.occurredAt(),
                e.reason());
    }

    private ObjectNode heldOutflowData(String heldOutflowId, String status) {
        ObjectNode data = json.createObjectNode().put("heldOutflowId", heldOutflowId);
        jdbc.query(HELD, rs -> {
            data.put("bankTxnId", rs.getString(1)).put("outflowType", rs.getString(2))
                    .put("amount", Money.ofFen(rs.getLong(3)).toWire());
        }, heldOutflowId);
        return data.put("status", status);
    }

    private void notifyAccount(WebhookEventType type, String eventId, long sequence, String accountId,
                               Instant occurredAt, ObjectNode data, String awaitingPostingOf) {
        String institutionId = jdbc.query(INSTITUTION_OF_ACCOUNT, (rs, n) -> rs.getString(1), accountId)
                .stream().findFirst().orElse(null);
        String body = body(eventId, type, occurredAt, accountId, institutionId, data);
        insert(BANK_OF_ACCOUNT, accountId, type, eventId, accountId, sequence, awaitingPostingOf, body);
    }

    private void notifyInstitution(WebhookEventType type, String eventId, long sequence, String institutionId,
                                   Instant occurredAt, String reason) {
        String body = body(eventId, type, occurredAt, null, institutionId,
                json.createObjectNode().put("reason", reason));
        insert(BANKS_OF_INSTITUTION, institutionId, type, eventId, institutionId, sequence, null, body);
    }

    private void insert(String banks, String banksKey, WebhookEventType type, String eventId, String orderingKey,
                        long position, String awaitingPostingOf, String body) {
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.update(NOTIFY.formatted(banks), type.name(), banksKey, eventId, type.name(), orderingKey, position,
                awaitingPostingOf, awaitingPostingOf != null, body, orderingKey, position, now, now);
    }

    /** Adds the posting to a waiting approval and lets it go. */
    private void completeApproval(String heldOutflowId, String postingId) {
        if (heldOutflowId == null) {
            return;
        }
        for (Map.Entry<String, String> waiting : jdbc.query(AWAITING_POSTING,
                (rs, n) -> Map.entry(rs.getString(1), rs.getString(2)), heldOutflowId)) {
            ObjectNode body = (ObjectNode) json.readTree(waiting.getValue());
            ((ObjectNode) body.get("data")).put("postingId", postingId);
            jdbc.update(COMPLETE, json.writeValueAsString(body), waiting.getKey());
        }
    }

    /** API.md's delivery body: {eventId, type, occurredAt, accountId?, institutionId, data}. */
    private String body(String eventId, WebhookEventType type, Instant occurredAt, String accountId,
                        String institutionId, ObjectNode data) {
        ObjectNode body = json.createObjectNode().put("eventId", eventId).put("type", type.name())
                .put("occurredAt", occurredAt.toString());
        if (accountId != null) {
            body.put("accountId", accountId);
        }
        body.put("institutionId", institutionId);
        body.set("data", data);
        return json.writeValueAsString(body);
    }
}
