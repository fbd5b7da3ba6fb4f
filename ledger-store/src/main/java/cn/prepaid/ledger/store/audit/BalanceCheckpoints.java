package cn.prepaid.ledger.store.audit;

import cn.prepaid.ledger.core.account.EscrowAccount;
import cn.prepaid.ledger.core.account.EscrowAccountEvent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.serialization.SerializedObject;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.lang.ref.SoftReference;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static cn.prepaid.ledger.store.events.StoreSchema.CHECKPOINTS;

/**
 * Checkpoints of each escrow account's full state every {@code ledger.audit.checkpoint-every-events}
 * events, so a bitemporal balance replays only what came after the latest one it may use.
 *
 * <p>A checkpoint at sequence N is the account after every one of its events 0..N, with the latest
 * occurredAt and recording time among them (the opening left out: it always counts). It answers
 * (asOf, knownAt) exactly when both maxima fall within it: then every event up to N counts, and a full
 * replay would apply the same events in the same order. Both maxima only grow with N, so the usable
 * checkpoints are a prefix and the latest of them is the best.
 *
 * <p>Written by the {@code balance-checkpoints} pooled processor, apart from postings: when an event
 * completes a stretch of K it rebuilds from the previous checkpoint (K events) and inserts the next.
 * Everything that decides is in the database (the processor's claimed segments, the rows themselves),
 * so any number of ledger nodes share the work; a checkpoint is an immutable fact about an append-only
 * stream, and writing one twice inserts nothing.
 */
@Component
@ProcessingGroup(BalanceCheckpoints.PROCESSING_GROUP)
public class BalanceCheckpoints {

    public static final String PROCESSING_GROUP = "balance-checkpoints";

    /** The state after events 0..sequence, and what a question must allow to use it. */
    record Checkpoint(long sequence, long eventsCounted, Instant maxOccurredAt, Instant maxRecordedAt,
                      EscrowAccount state) {
    }

    private static final String COLUMNS = "select sequence_number, events_counted, max_occurred_at, max_recorded_at, "
            + "state_type, state_revision, state from " + CHECKPOINTS + " where account_id = ? ";
    // stored maxima are rounded up to the microsecond and the bounds down: never a checkpoint too late
    private static final String LATEST_USABLE = COLUMNS + "and (max_occurred_at is null or max_occurred_at <= ?) "
            + "and (max_recorded_at is null or max_recorded_at <= ?) order by sequence_number desc limit 1";
    /** The latest at or before a sequence; its state left out when it is the one this process has at hand. */
    private static final String LATEST_AT_OR_BEFORE = "select sequence_number, events_counted, max_occurred_at, "
            + "max_recorded_at, state_type, state_revision, case when sequence_number = ? then null else state end "
            + "from " + CHECKPOINTS + " where account_id = ? and sequence_number <= ? "
            + "order by sequence_number desc limit 1";
    /** How many accounts' latest written state this process keeps at hand for the next checkpoint. */
    private static final int STATES_AT_HAND = 64;
    private static final String INSERT = "insert into " + CHECKPOINTS + " (account_id, sequence_number, "
            + "events_counted, max_occurred_at, max_recorded_at, state_type, state_revision, state) "
            + "values (?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing";

    private final JdbcTemplate jdbc;
    private final AccountReplay replay;
    private final TransactionTemplate transaction;
    private final int everyEvents;
    /**
     * The state of the checkpoint this process wrote last, for the accounts that had one most recently:
     * the next checkpoint of the account starts from it instead of reading and unzipping the stored one
     * (megabytes of JSON for a long-lived account). Used only when it is the latest stored checkpoint at
     * the same sequence, so it is what the database holds; taken out while used (it is rolled forward in
     * place). Another process's checkpoint at the same sequence holds the same state. Held softly: a
     * long-lived account's state is tens of megabytes of objects, and the JVM may take them back whenever
     * it needs the memory (the next checkpoint then reads the stored state, as without them).
     */
    private final Map<String, SoftReference<Checkpoint>> atHand = Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, SoftReference<Checkpoint>> eldest) {
                    return size() > STATES_AT_HAND;
                }
            });
    private final AtomicLong restoredStates = new AtomicLong();

    public BalanceCheckpoints(JdbcTemplate jdbc, AccountReplay replay, PlatformTransactionManager transactions,
                              @Value("${ledger.audit.checkpoint-every-events:1000}") int everyEvents) {
        if (everyEvents < 1) {
            throw new IllegalArgumentException("ledger.audit.checkpoint-every-events must be at least 1");
        }
        this.jdbc = jdbc;
        this.replay = replay;
        this.transaction = new TransactionTemplate(transactions);
        this.everyEvents = everyEvents;
    }

    /** Takes the account from the message, not the payload: most events need no deserializing here. */
    @EventHandler(payloadType = EscrowAccountEvent.class)
    void on(DomainEventMessage<?> event) {
        long sequence = event.getSequenceNumber();
        if ((sequence + 1) % everyEvents == 0) {
            writeThrough(event.getAggregateIdentifier(), sequence);
        }
    }

    /** Writes every missing checkpoint of the account up to {@code sequence}, from the latest before it. */
    void writeThrough(String accountId, long sequence) {
        transaction.executeWithoutResult(status -> {
            SoftReference<Checkpoint> kept = atHand.remove(accountId);
            Optional<Checkpoint> start = latest(accountId, sequence, kept == null ? null : kept.get());
            if (start.isPresent() && start.get().sequence() == sequence) {
                return;
            }
            RollForward progress = new RollForward(start.map(Checkpoint::state).orElseGet(replay::blank),
                    start.map(Checkpoint::eventsCounted).orElse(0L), start.map(Checkpoint::maxOccurredAt).orElse(null),
                    start.map(Checkpoint::maxRecordedAt).orElse(null));
            replay.read(accountId, start.map(c -> c.sequence() + 1).orElse(0L), sequence, null, null, stored -> {
                if (stored.event() != null) {
                    replay.apply(progress.account, stored.event());
                    progress.counted++;
                    if (!stored.isOpening()) {
                        progress.maxOccurredAt = later(progress.maxOccurredAt, stored.event().occurredAt());
                        progress.maxRecordedAt = later(progress.maxRecordedAt, stored.recordedAt());
                    }
                }
                if ((stored.sequence() + 1) % everyEvents == 0) {
                    insert(accountId, stored.sequence(), progress);
                }
            });
            if ((sequence + 1) % everyEvents == 0) {
                Checkpoint written = new Checkpoint(sequence, progress.counted, ceilMicros(progress.maxOccurredAt),
                        ceilMicros(progress.maxRecordedAt), progress.account);
                TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                    @Override
                    public void afterCommit() {
                        atHand.put(accountId, new SoftReference<>(written));
                    }
                });
            }
        });
    }

    /** How many checkpoints' states were read back from the database to start the next one (a test's view). */
    long restoredStates() {
        return restoredStates.get();
    }

    private static Instant ceilMicros(Instant at) {
        return at == null ? null : AccountReplay.ceilMicros(at);
    }

    /** The latest checkpoint whose events had all happened by {@code asOf} and been recorded by {@code knownAt}. */
    Optional<Checkpoint> latestUsable(String accountId, Instant asOf, Instant knownAt) {
        return jdbc.query(LATEST_USABLE, this::checkpoint, accountId, AccountReplay.utc(asOf.truncatedTo(ChronoUnit.MICROS)),
                AccountReplay.utc(knownAt.truncatedTo(ChronoUnit.MICROS))).stream().findFirst();
    }

    /** The latest checkpoint at or before {@code atOrBefore}; its state from {@code atHand} when that is the one. */
    private Optional<Checkpoint> latest(String accountId, long atOrBefore, Checkpoint atHand) {
        long handSequence = atHand == null ? -1 : atHand.sequence();
        return jdbc.query(LATEST_AT_OR_BEFORE, (row, n) -> {
            if (row.getLong(1) == handSequence) {
                return atHand;
            }
            restoredStates.incrementAndGet();
            return checkpoint(row, n);
        }, handSequence, accountId, atOrBefore).stream().findFirst();
    }

    private void insert(String accountId, long sequence, RollForward progress) {
        SerializedObject<byte[]> state = replay.serialize(progress.account);
        Instant occurred = ceilMicros(progress.maxOccurredAt);
        Instant recorded = ceilMicros(progress.maxRecordedAt);
        jdbc.update(INSERT, accountId, sequence, progress.counted,
                occurred == null ? null : AccountReplay.utc(occurred), recorded == null ? null : AccountReplay.utc(recorded),
                state.getType().getName(), state.getType().getRevision(), state.getData());
    }

    private Checkpoint checkpoint(ResultSet row, int n) throws SQLException {
        OffsetDateTime occurred = row.getObject(3, OffsetDateTime.class);
        OffsetDateTime recorded = row.getObject(4, OffsetDateTime.class);
        return new Checkpoint(row.getLong(1), row.getLong(2), occurred == null ? null : occurred.toInstant(),
                recorded == null ? null : recorded.toInstant(),
                replay.restore(row.getString(5), row.getString(6), row.getBytes(7)));
    }

    private static Instant later(Instant a, Instant b) {
        return a == null || b.isAfter(a) ? b : a;
    }

    /** The account being rolled forward from one checkpoint to the next. */
    private static final class RollForward {
        final EscrowAccount account;
        long counted;
        Instant maxOccurredAt;
        Instant maxRecordedAt;

        RollForward(EscrowAccount account, long counted, Instant maxOccurredAt, Instant maxRecordedAt) {
            this.account = account;
            this.counted = counted;
            this.maxOccurredAt = maxOccurredAt;
            this.maxRecordedAt = maxRecordedAt;
        }
    }
}
