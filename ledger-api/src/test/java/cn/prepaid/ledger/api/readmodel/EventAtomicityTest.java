package cn.prepaid.ledger.api.readmodel;

import cn.prepaid.ledger.api.support.LedgerIntegrationTest;
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
