package cn.prepaid.ledger.api.readmodel;

import cn.prepaid.ledger.api.support.LedgerIntegrationTest;
import cn.prepaid.ledger.projections.CommitBuffer;
import cn.prepaid.ledger.projections.PerEvent;
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
class PerEventTest {

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    PlatformTransactionManager transactionManager;

    private TransactionTemplate batch;
    private CommitBuffer<String> buffered;

    @BeforeEach
    void scratchTables() {
        jdbc.execute("create table if not exists per_event_row (name varchar(20) primary key)");
        jdbc.execute("create table if not exists per_event_buffered (position serial, name varchar(20))");
        jdbc.execute("truncate per_event_row, per_event_buffered");
        batch = new TransactionTemplate(transactionManager);
        buffered = new CommitBuffer<>(names -> names.forEach(name ->
                jdbc.update("insert into per_event_buffered (name) values (?)", name)));
    }

    @Test
    void aFailingEventRollsBackItsWholeOptimisticBatchAndTheRetryKeepsEveryOtherEvent() {
        PerEvent perEvent = new PerEvent(transactionManager, Duration.ofMinutes(1));
        assertThat(perEvent.careful()).isFalse();

        assertThatThrownBy(() -> batch.executeWithoutResult(status -> runBatch(perEvent)))
                .isInstanceOf(UnexpectedRollbackException.class);
        assertThat(rows()).isEmpty();
        assertThat(bufferedRows()).isEmpty();
        assertThat(perEvent.careful()).isTrue();

        batch.executeWithoutResult(status -> runBatch(perEvent));
        assertThat(rows()).containsExactly("first", "third");
        assertThat(bufferedRows()).containsExactly("first", "third");
    }

    @Test
    void withoutFailuresNothingIsSavedPerEventAndBufferedRowsAreWrittenAtCommitInOrder() {
        PerEvent perEvent = new PerEvent(transactionManager, Duration.ofMinutes(1));
        batch.executeWithoutResult(status -> {
            for (String name : List.of("a", "b", "c")) {
                perEvent.atomically(() -> {
                    jdbc.update("insert into per_event_row values (?)", name);
                    buffered.add(name);
                });
            }
            assertThat(bufferedRows()).as("nothing is written before the commit").isEmpty();
        });
        assertThat(rows()).containsExactly("a", "b", "c");
        assertThat(bufferedRows()).containsExactly("a", "b", "c");
        assertThat(perEvent.careful()).isFalse();
    }

    @Test
    void aFailureInsideTheDatabaseIsHandledTheSameWay() {
        PerEvent perEvent = new PerEvent(transactionManager, Duration.ofMinutes(1));
        jdbc.update("insert into per_event_row values ('taken')");
        Runnable events = () -> {
            perEvent.atomically(() -> jdbc.update("insert into per_event_row values ('before')"));
            try {
                perEvent.atomically(() -> jdbc.update("insert into per_event_row values ('taken')"));
            } catch (RuntimeException parkedByTheCaller) {
                // the dead-letter queue would park it here
            }
            perEvent.atomically(() -> jdbc.update("insert into per_event_row values ('after')"));
        };
        assertThatThrownBy(() -> batch.executeWithoutResult(status -> events.run())).isInstanceOf(RuntimeException.class);
        assertThat(rows()).containsExactly("taken");

        batch.executeWithoutResult(status -> events.run());
        assertThat(rows()).containsExactly("after", "before", "taken");
    }

    /** Three events; the second writes, buffers and then fails, as a poison event would. */
    private void runBatch(PerEvent perEvent) {
        perEvent.atomically(() -> {
            jdbc.update("insert into per_event_row values ('first')");
            buffered.add("first");
        });
        try {
            perEvent.atomically(() -> {
                jdbc.update("insert into per_event_row values ('second')");
                buffered.add("second");
                throw new IllegalStateException("poison");
            });
        } catch (IllegalStateException parkedByTheCaller) {
            // the dead-letter queue would park it here
        }
        perEvent.atomically(() -> {
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
