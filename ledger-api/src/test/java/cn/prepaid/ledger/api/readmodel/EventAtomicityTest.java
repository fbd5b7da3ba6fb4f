package cn.prepaid.ledger.api.readmodel;

import cn.prepaid.ledger.api.support.LedgerIntegrationTest;
import cn.prepaid.ledger.projections.BatchMemory;
import cn.prepaid.ledger.projections.RowsAtCommit;
import cn.prepaid.ledger.projections.EventAtomicity;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.UnexpectedRollbackException;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A projection batch on real PostgreSQL: events run without savepoints until one fails, which rolls
 * the whole batch back; for a while after, each event runs in its own savepoint, so only the failing
 * event's writes (and its buffered rows) are undone. Buffered rows are written once, at commit, in order.
 */
@LedgerIntegrationTest
class EventAtomicityTest {

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    PlatformTransactionManager transactionManager;

    private TransactionTemplate batch;
    private RowsAtCommit<String> buffered;

    @BeforeEach
    void scratchTables() {
        jdbc.execute("create table if not exists per_event_row (name varchar(20) primary key)");
        jdbc.execute("create table if not exists per_event_buffered (position serial, name varchar(20))");
        jdbc.execute("truncate per_event_row, per_event_buffered");
        batch = new TransactionTemplate(transactionManager);
        buffered = new RowsAtCommit<>(names -> names.forEach(name ->
                jdbc.update("insert into per_event_buffered (name) values (?)", name)));
    }

    @Test
    void aFailingEventRollsBackItsWholeOptimisticBatchAndTheRetryKeepsEveryOtherEvent() {
        EventAtomicity eventAtomicity = new EventAtomicity(transactionManager, Duration.ofMinutes(1));
        assertThat(eventAtomicity.careful()).isFalse();

        assertThatThrownBy(() -> batch.executeWithoutResult(status -> runBatch(eventAtomicity)))
                .isInstanceOf(UnexpectedRollbackException.class);
        assertThat(rows()).isEmpty();
        assertThat(bufferedRows()).isEmpty();
        assertThat(eventAtomicity.careful()).isTrue();

        batch.executeWithoutResult(status -> runBatch(eventAtomicity));
        assertThat(rows()).containsExactly("first", "third");
        assertThat(bufferedRows()).containsExactly("first", "third");
    }

    @Test
    void withoutFailuresNothingIsSavedPerEventAndBufferedRowsAreWrittenAtCommitInOrder() {
        EventAtomicity eventAtomicity = new EventAtomicity(transactionManager, Duration.ofMinutes(1));
        batch.executeWithoutResult(status -> {
            for (String name : List.of("a", "b", "c")) {
                eventAtomicity.atomically(() -> {
                    jdbc.update("insert into per_event_row values (?)", name);
                    buffered.add(name);
                });
            }
            assertThat(bufferedRows()).as("nothing is written before the commit").isEmpty();
        });
        assertThat(rows()).containsExactly("a", "b", "c");
        assertThat(bufferedRows()).containsExactly("a", "b", "c");
        assertThat(eventAtomicity.careful()).isFalse();
    }

    @Test
    void aFailureInsideTheDatabaseIsHandledTheSameWay() {
        EventAtomicity eventAtomicity = new EventAtomicity(transactionManager, Duration.ofMinutes(1));
        jdbc.update("insert into per_event_row values ('taken')");
        Runnable events = () -> {
            eventAtomicity.atomically(() -> jdbc.update("insert into per_event_row values ('before')"));
            try {
                eventAtomicity.atomically(() -> jdbc.update("insert into per_event_row values ('taken')"));
            } catch (RuntimeException parkedByTheCaller) {
                // the dead-letter queue would park it here
            }
            eventAtomicity.atomically(() -> jdbc.update("insert into per_event_row values ('after')"));
        };
        assertThatThrownBy(() -> batch.executeWithoutResult(status -> events.run())).isInstanceOf(RuntimeException.class);
        assertThat(rows()).containsExactly("taken");

        batch.executeWithoutResult(status -> events.run());
        assertThat(rows()).containsExactly("after", "before", "taken");
    }

    /**
     * An event may write buffered rows early (before it reads them back). In a savepoint that rolls back, that
     * takes only the event's own rows with it: what earlier events buffered was written before the savepoint.
     * What the batch kept in memory is forgotten with the failing event, which may have changed it half-way.
     */
    @Test
    void aCarefulEventThatWritesBufferedRowsEarlyAndFailsTakesOnlyItsOwnRowsAndTheBatchMemoryWithIt() {
        EventAtomicity eventAtomicity = new EventAtomicity(transactionManager, Duration.ofMinutes(1));
        assertThatThrownBy(() -> batch.executeWithoutResult(status -> eventAtomicity.atomically(() -> {
            throw new IllegalStateException("makes the next batch careful");
        }))).isInstanceOf(IllegalStateException.class);
        assertThat(eventAtomicity.careful()).isTrue();

        List<String> remembered = new java.util.ArrayList<>();
        batch.executeWithoutResult(status -> {
            eventAtomicity.atomically(() -> {
                buffered.add("first");
                BatchMemory.of(this, () -> "kept by the first");
            });
            try {
                eventAtomicity.atomically(() -> {
                    buffered.add("second");
                    buffered.flush();
                    assertThat(bufferedRows()).containsExactly("first", "second");
                    throw new IllegalStateException("poison");
                });
            } catch (IllegalStateException parkedByTheCaller) {
                // the dead-letter queue would park it here
            }
            eventAtomicity.atomically(() -> {
                buffered.add("third");
                remembered.add(BatchMemory.of(this, () -> "read again by the third"));
            });
        });
        assertThat(bufferedRows()).containsExactly("first", "third");
        assertThat(remembered).containsExactly("read again by the third");
    }

    @Test
    void aBufferHoldingAsManyRowsAsItMayWritesThemBeforeTheCommit() {
        RowsAtCommit<String> small = new RowsAtCommit<>(names -> names.forEach(name ->
                jdbc.update("insert into per_event_buffered (name) values (?)", name)), 2);
        batch.executeWithoutResult(status -> {
            small.add("a");
            assertThat(bufferedRows()).isEmpty();
            small.add("b");
            assertThat(bufferedRows()).containsExactly("a", "b");
            small.add("c");
        });
        assertThat(bufferedRows()).containsExactly("a", "b", "c");
    }

    /** Three events; the second writes, buffers and then fails, as a poison event would. */
    private void runBatch(EventAtomicity eventAtomicity) {
        eventAtomicity.atomically(() -> {
            jdbc.update("insert into per_event_row values ('first')");
            buffered.add("first");
        });
        try {
            eventAtomicity.atomically(() -> {
                jdbc.update("insert into per_event_row values ('second')");
                buffered.add("second");
                throw new IllegalStateException("poison");
            });
        } catch (IllegalStateException parkedByTheCaller) {
            // the dead-letter queue would park it here
        }
        eventAtomicity.atomically(() -> {
            jdbc.update("insert into per_event_row values ('third')");
            buffered.add("third");
        });
    }

    private List<String> rows() {
        return jdbc.queryForList("select name from per_event_row order by name", String.class);
    }

    private List<String> bufferedRows() {
        return jdbc.queryForList("select name from per_event_buffered order by position", String.class);
    }
}
