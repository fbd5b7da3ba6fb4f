package cn.prepaid.ledger.api.http.alerts;

import cn.prepaid.ledger.core.account.EscrowAccountEvent;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.EscrowAccountOpened;
import org.axonframework.eventhandling.async.SequencingPolicy;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static cn.prepaid.ledger.store.events.StoreSchema.AGGREGATE_ID;
import static cn.prepaid.ledger.store.events.StoreSchema.EVENTS;
import static cn.prepaid.ledger.store.events.StoreSchema.PAYLOAD;
import static cn.prepaid.ledger.store.events.StoreSchema.SEQUENCE;

/**
 * The alert processor handles all events of one institution's accounts in one segment, in order. The
 * institution-wide rules read every account's facts: if two accounts of one institution were handled on
 * two threads at once, each would judge the institution without the other's uncommitted fact, and a
 * window holding both would never be judged whole. Serialising per institution (instead of per account)
 * makes the last fact of such a window see all the others.
 *
 * <p>An account's institution never changes, so it is remembered once known: from the account's opening
 * event as it passes, or else from that event in the store (it is committed before any later event of
 * the account can be read).
 */
@Component("alertsSequencingPolicy")
public class AlertsByInstitution implements SequencingPolicy<EventMessage<?>> {

    private static final String OPENING_INSTITUTION = "select convert_from(" + PAYLOAD + ", 'UTF8')::json ->> "
            + "'institutionId' from " + EVENTS + " where " + AGGREGATE_ID + " = ? and " + SEQUENCE + " = 0";

    private final JdbcTemplate jdbc;
    private final Map<String, String> institutionOfAccount = new ConcurrentHashMap<>();

    public AlertsByInstitution(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Object getSequenceIdentifierFor(EventMessage<?> event) {
        if (event.getPayload() instanceof EscrowAccountOpened opened) {
            institutionOfAccount.putIfAbsent(opened.accountId(), opened.institutionId());
            return opened.institutionId();
        }
        if (event.getPayload() instanceof EscrowAccountEvent accountEvent) {
            return institutionOfAccount.computeIfAbsent(accountEvent.accountId(), this::storedInstitution);
        }
        return event instanceof DomainEventMessage<?> domain ? domain.getAggregateIdentifier() : event.getIdentifier();
    }

    private String storedInstitution(String accountId) {
        List<String> found = jdbc.queryForList(OPENING_INSTITUTION, String.class, accountId);
        // an account without an opening event cannot occur; its own id keeps it sequential anyway
        return found.isEmpty() || found.get(0) == null ? accountId : found.get(0);
    }
}
