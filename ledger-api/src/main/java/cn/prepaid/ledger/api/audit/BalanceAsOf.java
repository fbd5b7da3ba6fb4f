package cn.prepaid.ledger.api.audit;

import cn.prepaid.ledger.core.account.EscrowAccount;
import cn.prepaid.ledger.core.account.EscrowAccountEvent;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.EscrowAccountOpened;
import cn.prepaid.ledger.core.money.Money;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.modelling.command.inspection.AggregateModel;
import org.axonframework.modelling.command.inspection.AnnotatedAggregateMetaModelFactory;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.lang.reflect.Constructor;
import java.time.Instant;
import java.util.Optional;

/**
 * An account as the ledger saw it: the account's own event-sourcing handlers (the same code that
 * rebuilds the aggregate) applied, in recording order, to the events that had happened by
 * {@code asOf} (their occurredAt) and had been recorded by {@code knownAt}. A posting recorded late
 * counts for "as of" its own time but only once it is "known". The account's opening always counts.
 *
 * <p>Each answer replays the account's stored events from the start; checkpoints to answer long-lived
 * accounts in well under a second are not built yet.
 */
@Component
public class BalanceAsOf {

    public record Answer(Money balance, Money outstandingLiability, Money releasable, Money floor, Instant asOf,
                         Instant knownAt, long eventsApplied) {
    }

    private static final AggregateModel<EscrowAccount> MODEL =
            AnnotatedAggregateMetaModelFactory.inspectAggregate(EscrowAccount.class);

    private final JdbcTemplate jdbc;
    private final Serializer events;

    public BalanceAsOf(JdbcTemplate jdbc, @Qualifier("eventSerializer") Serializer events) {
        this.jdbc = jdbc;
        this.events = events;
    }

    public Optional<Answer> of(String accountId, Instant asOf, Instant knownAt) {
        EscrowAccount account = newAccount();
        long[] applied = {0};
        boolean[] opened = {false};
        jdbc.query(connection -> {
            var statement = connection.prepareStatement("select payload_type, payload_revision, payload, time_stamp "
                    + "from domain_event_entry where aggregate_identifier = ? order by sequence_number");
            statement.setString(1, accountId);
            statement.setFetchSize(1000);
            return statement;
        }, row -> {
            Instant recordedAt = Instant.parse(row.getString(4));
            Object payload = events.deserialize(new SimpleSerializedObject<>(row.getBytes(3), byte[].class,
                    row.getString(1), row.getString(2)));
            if (!(payload instanceof EscrowAccountEvent event)) {
                return;
            }
            boolean opening = event instanceof EscrowAccountOpened;
            boolean known = !recordedAt.isAfter(knownAt);
            boolean happened = !event.occurredAt().isAfter(asOf);
            if (opening || (known && happened)) {
                MODEL.publish(GenericEventMessage.asEventMessage(event), account);
                applied[0]++;
                opened[0] |= opening;
            }
        });
        if (!opened[0]) {
            return Optional.empty();
        }
        return Optional.of(new Answer(account.balance(), account.outstandingLiability(), account.releasable(),
                account.floor(), asOf, knownAt, applied[0]));
    }

    private static EscrowAccount newAccount() {
        try {
            Constructor<EscrowAccount> constructor = EscrowAccount.class.getDeclaredConstructor();
            constructor.setAccessible(true);
            return constructor.newInstance();
        } catch (ReflectiveOperationException impossible) {
            throw new IllegalStateException("EscrowAccount needs its no-argument constructor", impossible);
        }
    }
}
