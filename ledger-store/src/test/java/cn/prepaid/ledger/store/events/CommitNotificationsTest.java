package cn.prepaid.ledger.store.events;

import cn.prepaid.ledger.store.support.StoreIntegrationTest;
import cn.prepaid.ledger.store.support.SilencingRelay;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A commit that appends events wakes this process through PostgreSQL NOTIFY when another process committed it
 * (here: a plain JDBC transaction in a session named as another node's); one of this process's own sessions,
 * whose commits wake its reader in the JVM, wakes nothing more; a rolled-back append wakes nobody. A listening
 * connection that the database drops (as a failover drops every connection), or whose server falls silent
 * without closing it (a host lost), is replaced, and wakes again.
 */
@StoreIntegrationTest
class CommitNotificationsTest {

    private static final String LISTENING = "select pid from pg_stat_activity where application_name = ?";
    private static final String TERMINATE = "select pg_terminate_backend(pid) from unnest(?::int[]) as pid";

    @Autowired
    CommitNotifications notifications;
    @Autowired
    WakeableEventStore eventStore;
    @Autowired
    DataSource dataSource;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    PlatformTransactionManager transactions;
    @Autowired
    NodeSessions.Name ownSessions;

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

    @Test
    void anAppendByOneOfThisProcesssOwnSessionsWakesNothingMoreAndAnotherProcesssDoes() {
        AtomicInteger wakeUps = new AtomicInteger();
        notifications.onCommit(CommitNotifications.EVENTS, wakeUps::incrementAndGet);
        TransactionTemplate transaction = new TransactionTemplate(transactions);
        assertThat(jdbc.queryForObject("select current_setting('application_name')", String.class))
                .as("a pooled session is named after this process").isEqualTo(ownSessions.value());

        transaction.executeWithoutResult(status -> insertEvent("own-probe-" + UUID.randomUUID(), false));
        await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2)).until(() -> wakeUps.get() == 0);

        transaction.executeWithoutResult(status -> insertEvent("other-probe-" + UUID.randomUUID(), true));
        await().atMost(Duration.ofSeconds(5)).until(() -> wakeUps.get() == 1);
    }

    @Test
    void aListenerWhoseConnectionIsTerminatedListensAgainOnANewOne() {
        AtomicInteger wakeUps = new AtomicInteger();
        notifications.onCommit(CommitNotifications.EVENTS, wakeUps::incrementAndGet);
        await().atMost(Duration.ofSeconds(5)).until(() -> !listeningSessions().isEmpty());
        List<Integer> dropped = listeningSessions();

        jdbc.queryForList(TERMINATE, Boolean.class, (Object) dropped.toArray(Integer[]::new));

        int before = wakeUps.get();
        await().atMost(Duration.ofSeconds(10)).until(() -> committedAndHeard(wakeUps, before));
        assertThat(listeningSessions()).isNotEmpty().doesNotContainAnyElementsOf(dropped);
    }

    @Test
    void aListenerWhoseServerFallsSilentListensAgainOnANewConnection() throws Exception {
        HikariDataSource direct = dataSource.unwrap(HikariDataSource.class);
        int serverPort = URI.create(direct.getJdbcUrl().substring("jdbc:".length())).getPort();
        try (SilencingRelay relay = new SilencingRelay(serverPort); HikariDataSource relayed = new HikariDataSource()) {
            relayed.setJdbcUrl(direct.getJdbcUrl().replace(":" + serverPort + "/", ":" + relay.port() + "/"));
            relayed.setUsername(direct.getUsername());
            relayed.setPassword(direct.getPassword());
            // one connection at most, opened on demand: each one the relay sees is the listener's
            relayed.setMaximumPoolSize(1);
            relayed.setMinimumIdle(0);
            CommitNotifications listener = new CommitNotifications(relayed, eventStore, NodeSessions.Name.fresh());
            AtomicInteger wakeUps = new AtomicInteger();
            listener.onCommit(CommitNotifications.EVENTS, wakeUps::incrementAndGet);
            listener.start();
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> committedAndHeard(wakeUps, 0));
                int opened = relay.connectionsOpened();
                relay.silenceOpenConnections();

                await().atMost(Duration.ofSeconds(20)).until(() -> relay.connectionsOpened() > opened);
                int before = wakeUps.get();
                await().atMost(Duration.ofSeconds(10)).until(() -> committedAndHeard(wakeUps, before));
            } finally {
                listener.stop();
            }
        }
    }

    /** Commits an event, as another node would, and tells whether a listener has heard more than {@code heard}. */
    private boolean committedAndHeard(AtomicInteger wakeUps, int heard) {
        new TransactionTemplate(transactions).executeWithoutResult(status -> insertEvent("probe-" + UUID.randomUUID()));
        return wakeUps.get() > heard;
    }

    /** The sessions listening for commits: this context's listener, and those of any other context on the database. */
    private List<Integer> listeningSessions() {
        return jdbc.queryForList(LISTENING, Integer.class, CommitNotifications.SESSION_NAME);
    }

    /** Appends an event in the current transaction, in a session named as another process's. */
    private void insertEvent(String aggregateId) {
        insertEvent(aggregateId, true);
    }

    private void insertEvent(String aggregateId, boolean asAnotherProcess) {
        if (asAnotherProcess) {
            jdbc.execute("set local application_name = 'another ledger process'");
        }
        jdbc.update("insert into domain_event_entry (event_identifier, aggregate_identifier, sequence_number, type, "
                + "time_stamp, payload_type, payload, meta_data) values (?, ?, 0, 'Probe', ?, 'java.lang.String', ?, ?)",
                java.util.UUID.randomUUID().toString(), aggregateId, java.time.Instant.now().toString(),
                "\"probe\"".getBytes(), "{}".getBytes());
    }
}
