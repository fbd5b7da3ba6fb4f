package cn.prepaid.ledger.store.audit;

import cn.prepaid.ledger.core.account.EscrowAccount;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.EscrowAccountOpened;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.HeldOutflowApproved;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.HeldOutflowRejected;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.HoldableOutflow;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.LessonsConsumed;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.TuitionRefunded;
import cn.prepaid.ledger.core.account.EscrowAccountEvent;
import cn.prepaid.ledger.core.account.InstitutionFunds;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.annotation.ClasspathParameterResolverFactory;
import org.axonframework.messaging.annotation.MultiParameterResolverFactory;
import org.axonframework.messaging.annotation.SimpleResourceParameterResolverFactory;
import org.axonframework.modelling.command.inspection.AggregateModel;
import org.axonframework.modelling.command.inspection.AnnotatedAggregateMetaModelFactory;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static cn.prepaid.ledger.store.events.StoreSchema.AGGREGATE_ID;
import static cn.prepaid.ledger.store.events.StoreSchema.EVENTS;
import static cn.prepaid.ledger.store.events.StoreSchema.OCCURRED_AT;
import static cn.prepaid.ledger.store.events.StoreSchema.PAYLOAD;
import static cn.prepaid.ledger.store.events.StoreSchema.PAYLOAD_REVISION;
import static cn.prepaid.ledger.store.events.StoreSchema.PAYLOAD_TYPE;
import static cn.prepaid.ledger.store.events.StoreSchema.SEQUENCE;
import static cn.prepaid.ledger.store.events.StoreSchema.TIME_STAMP;

/**
 * An escrow account rebuilt outside Axon's repository: its own event-sourcing handlers (the code that
 * rebuilds the aggregate) applied to stored events read in recording order, and its state written to
 * and read from bytes with the serializer Axon uses for snapshots. Shared by the bitemporal balance
 * and the checkpoints it starts from, so both apply events exactly alike.
 */
@Component
class AccountReplay {

    private static final String SELECT_EVENTS = "select " + SEQUENCE + ", " + PAYLOAD_TYPE + ", " + PAYLOAD_REVISION
            + ", " + PAYLOAD + ", " + TIME_STAMP + " from " + EVENTS + " where " + AGGREGATE_ID + " = ? and "
            + SEQUENCE + " between ? and ?";
    private static final String EVENTS_BETWEEN = SELECT_EVENTS + " order by " + SEQUENCE;
    /** Also those that had happened by a time and been recorded by another, and every event of a given type. */
    private static final String EVENTS_KNOWN_AS_OF = SELECT_EVENTS + " and (" + PAYLOAD_TYPE + " = ? or (("
            + OCCURRED_AT + " is null or " + OCCURRED_AT + " <= ?) and " + TIME_STAMP + "::timestamptz <= ?)) "
            + "order by " + SEQUENCE;

    /** One stored event of the account; {@code event} is null for a payload that is not an account event. */
    record StoredEvent(long sequence, EscrowAccountEvent event, Instant recordedAt) {

        boolean isOpening() {
            return event instanceof EscrowAccountOpened;
        }

        /** Had it happened by {@code asOf} and been recorded by {@code knownAt}? The opening always counts. */
        boolean countsFor(Instant asOf, Instant knownAt) {
            return isOpening() || (!recordedAt.isAfter(knownAt) && !event.occurredAt().isAfter(asOf));
        }
    }

    /**
     * The account's handlers as a replay sees them. A replay only applies events, but inspecting the
     * aggregate resolves every command handler's parameters too: the outflow handlers ask for the
     * institution's other accounts, which a replay answers with none. (Tests do not notice the omission:
     * axon-test's fixture resolver, on their classpath only, resolves any parameter.)
     */
    private static final AggregateModel<EscrowAccount> MODEL = AnnotatedAggregateMetaModelFactory.inspectAggregate(
            EscrowAccount.class, MultiParameterResolverFactory.ordered(
                    ClasspathParameterResolverFactory.forClass(EscrowAccount.class),
                    new SimpleResourceParameterResolverFactory(Set.of(InstitutionFunds.SINGLE_ACCOUNT))));
    private static final int FETCH_ROWS = 1000;

    private final JdbcTemplate jdbc;
    private final Serializer events;
    private final Serializer states;

    AccountReplay(JdbcTemplate jdbc, @Qualifier("eventSerializer") Serializer events, Serializer states) {
        this.jdbc = jdbc;
        this.events = events;
        this.states = states;
    }

    EscrowAccount blank() {
        try {
            Constructor<EscrowAccount> constructor = EscrowAccount.class.getDeclaredConstructor();
            constructor.setAccessible(true);
            return constructor.newInstance();
        } catch (ReflectiveOperationException impossible) {
            throw new IllegalStateException("EscrowAccount needs its no-argument constructor", impossible);
        }
    }

    /**
     * Whether {@code event} settles a held outflow that {@code account} has not seen held. A bank may
     * date a posting up to five minutes ahead, so a hold can carry a later occurredAt than the decision
     * taken on it; as of an instant before the hold, neither had happened, and the decision (approval,
     * rejection, or the release or transfer it let through) does not count either.
     */
    static boolean settlesUnknownHold(EscrowAccount account, EscrowAccountEvent event) {
        String held = null;
        if (event instanceof HeldOutflowApproved approved) {
            held = approved.heldOutflowId();
        } else if (event instanceof HeldOutflowRejected rejected) {
            held = rejected.heldOutflowId();
        } else if (event instanceof HoldableOutflow paid) {
            held = paid.heldOutflowId();
        }
        return held != null && !account.knowsHeldOutflow(held);
    }

    /**
     * Whether the event consumes or refunds an order the state has not seen deposited. The ledger now
     * refuses such dates ({@code OCCURRED_BEFORE_DEPOSIT}); events recorded before it did could still
     * date a consumption or refund before its deposit, and counting them as of an instant in between
     * would show a negative liability for money that had not yet arrived. As of such an instant,
     * neither had happened.
     */
    static boolean concernsUnknownOrder(EscrowAccount account, EscrowAccountEvent event) {
        String order = null;
        if (event instanceof LessonsConsumed consumed) {
            order = consumed.orderId();
        } else if (event instanceof TuitionRefunded refunded) {
            order = refunded.orderId();
        }
        return order != null && !account.knowsOrder(order);
    }

    void apply(EscrowAccount account, EscrowAccountEvent event) {
        MODEL.publish(GenericEventMessage.asEventMessage(event), account);
    }

    /** The account's state as the snapshot serializer writes it, gzipped (megabytes of JSON for a long-lived account). */
    SerializedObject<byte[]> serialize(EscrowAccount account) {
        SerializedObject<byte[]> json = states.serialize(account, byte[].class);
        ByteArrayOutputStream gzipped = new ByteArrayOutputStream(json.getData().length / 8);
        try (GZIPOutputStream out = new GZIPOutputStream(gzipped)) {
            out.write(json.getData());
        } catch (IOException impossible) {
            throw new UncheckedIOException(impossible);
        }
        return new SimpleSerializedObject<>(gzipped.toByteArray(), byte[].class, json.getType());
    }

    EscrowAccount restore(String type, String revision, byte[] gzippedState) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzippedState))) {
            return states.deserialize(new SimpleSerializedObject<>(in.readAllBytes(), byte[].class, type, revision));
        } catch (IOException corrupt) {
            throw new UncheckedIOException("unreadable checkpoint state", corrupt);
        }
    }

    /**
     * Calls {@code each} for the account's events with sequence numbers in [from, to], in order. With
     * {@code asOf} and {@code knownAt} PostgreSQL leaves out most events that cannot count (by the
     * occurred_at column, to the microsecond, and the recording time); the caller still decides exactly
     * with {@link StoredEvent#countsFor}. Streams through a cursor when called inside a transaction.
     */
    void read(String accountId, long from, long to, Instant asOf, Instant knownAt, Consumer<StoredEvent> each) {
        boolean filtered = asOf != null && knownAt != null;
        jdbc.query(connection -> {
            var statement = connection.prepareStatement(filtered ? EVENTS_KNOWN_AS_OF : EVENTS_BETWEEN);
            statement.setString(1, accountId);
            statement.setLong(2, from);
            statement.setLong(3, to);
            if (filtered) {
                statement.setString(4, EscrowAccountOpened.class.getName());
                statement.setObject(5, utc(ceilMicros(asOf)));
                statement.setObject(6, utc(ceilMicros(knownAt)));
            }
            statement.setFetchSize(FETCH_ROWS);
            return statement;
        }, row -> {
            Object payload = events.deserialize(new SimpleSerializedObject<>(row.getBytes(4), byte[].class,
                    row.getString(2), row.getString(3)));
            each.accept(new StoredEvent(row.getLong(1), payload instanceof EscrowAccountEvent event ? event : null,
                    Instant.parse(row.getString(5))));
        });
    }

    static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    /** PostgreSQL keeps microseconds: the smallest microsecond instant not before {@code instant}. */
    static Instant ceilMicros(Instant instant) {
        Instant down = instant.truncatedTo(ChronoUnit.MICROS);
        return down.equals(instant) ? down : down.plus(1, ChronoUnit.MICROS);
    }
}
