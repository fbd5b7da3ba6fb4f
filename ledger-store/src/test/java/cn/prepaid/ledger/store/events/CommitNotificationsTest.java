package cn.prepaid.ledger.store.events;

import cn.prepaid.ledger.store.support.StoreIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A commit that appends events wakes this process through PostgreSQL NOTIFY, whoever committed it
 * (here: a plain JDBC transaction, as another node would); a rolled-back append wakes nobody.
 */
@StoreIntegrationTest
class CommitNotificationsTest {

    @Autowired
    CommitNotifications notifications;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    PlatformTransactionManager transactions;

    @Test
    void aCommittedAppendWakesTheListenersAndARolledBackOneDoesNot() {
        AtomicInteger wakeUps = new AtomicInteger();
        notifications.onCommit(CommitNotifications.EVENTS, wakeUps::incrementAndGet);
        TransactionTemplate transaction = new TransactionTemplate(transactions);

        transaction.executeWithoutResult(status -> {
            insertEvent("notify-rolled-back");
            status.setRollbackOnly();
        });
        await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2)).until(() -> wakeUps.get() == 0);

        transaction.executeWithoutResult(status -> insertEvent("notify-committed"));
        await().atMost(Duration.ofSeconds(5)).until(() -> wakeUps.get() >= 1);
        assertThat(jdbc.queryForObject("select count(*) from domain_event_entry where aggregate_identifier like "
                + "'notify-%'", Long.class)).isEqualTo(1);
    }

    private void insertEvent(String aggregateId) {
        jdbc.update("insert into domain_event_entry (event_identifier, aggregate_identifier, sequence_number, type, "
                + "time_stamp, payload_type, payload, meta_data) values (?, ?, 0, 'Probe', ?, 'java.lang.String', ?, ?)",
                java.util.UUID.randomUUID().toString(), aggregateId, java.time.Instant.now().toString(),
                "\"probe\"".getBytes(), "{}".getBytes());
    }
}
