package cn.prepaid.ledger.api.storage;

import cn.prepaid.ledger.api.support.LedgerIntegrationTest;
import cn.prepaid.ledger.api.support.SilencingRelay;
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
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A commit that appends events wakes this process through PostgreSQL NOTIFY, whoever committed it
 * (here: a plain JDBC transaction, as another node would); a rolled-back append wakes nobody. A listening
 * connection that the database drops (as a failover drops every connection), or whose server falls silent
 * without closing it (a host lost), is replaced, and wakes again.
 */
@LedgerIntegrationTest
class CommitNotificationsTest {

    private static final String LISTENING = "select pid from pg_stat_activity where query = ? and state = 'idle' "
            + "and application_name <> ?";
    private static final String LISTENING_THROUGH_RELAY = "select pid from pg_stat_activity where query = ? "
            + "and state = 'idle' and application_name = ?";
    private static final String RELAYED = "relayed-listener";
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
    void aListenerWhoseConnectionIsTerminatedListensAgainOnANewOne() {
        AtomicInteger wakeUps = new AtomicInteger();
        notifications.onCommit(CommitNotifications.EVENTS, wakeUps::incrementAndGet);
        TransactionTemplate transaction = new TransactionTemplate(transactions);
        await().atMost(Duration.ofSeconds(5)).until(() -> !listeningBackends().isEmpty());
        List<Integer> dropped = listeningBackends();

        jdbc.queryForList(TERMINATE, Boolean.class, (Object) dropped.toArray(Integer[]::new));
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            List<Integer> now = listeningBackends();
            return now.size() == dropped.size() && now.stream().noneMatch(dropped::contains);
        });
        int before = wakeUps.get();
        transaction.executeWithoutResult(status -> insertEvent("reconnected-probe"));

        await().atMost(Duration.ofSeconds(5)).until(() -> wakeUps.get() > before);
    }

    @Test
    void aListenerWhoseServerFallsSilentListensAgainOnANewConnection() throws Exception {
        HikariDataSource direct = dataSource.unwrap(HikariDataSource.class);
        int serverPort = URI.create(direct.getJdbcUrl().substring("jdbc:".length())).getPort();
        try (SilencingRelay relay = new SilencingRelay(serverPort); HikariDataSource relayed = new HikariDataSource()) {
            relayed.setJdbcUrl(direct.getJdbcUrl().replace(":" + serverPort + "/", ":" + relay.port() + "/"));
            relayed.setUsername(direct.getUsername());
            relayed.setPassword(direct.getPassword());
            relayed.setMaximumPoolSize(2);
            relayed.addDataSourceProperty("ApplicationName", RELAYED);
            CommitNotifications listener = new CommitNotifications(relayed, eventStore);
            AtomicInteger wakeUps = new AtomicInteger();
            listener.onCommit(CommitNotifications.EVENTS, wakeUps::incrementAndGet);
            listener.start();
            try {
                await().atMost(Duration.ofSeconds(5)).until(() -> relayedListeners().size() == 1);
                List<Integer> silenced = relayedListeners();
                relay.silenceOpenConnections();

                await().atMost(Duration.ofSeconds(20)).until(() -> {
                    List<Integer> now = relayedListeners();
                    return now.size() == 1 && !now.equals(silenced);
                });
                int before = wakeUps.get();
                new TransactionTemplate(transactions).executeWithoutResult(status -> insertEvent("relayed-probe"));

                await().atMost(Duration.ofSeconds(5)).until(() -> wakeUps.get() > before);
            } finally {
                listener.stop();
            }
        }
    }

    /** The listening sessions opened through the relay, by their server process ids. */
    private List<Integer> relayedListeners() {
        return jdbc.queryForList(LISTENING_THROUGH_RELAY, Integer.class, "listen " + CommitNotifications.ALERTS,
                RELAYED);
    }

    /** The sessions listening for commits: this context's listener, and those of any other context on the database. */
    private List<Integer> listeningBackends() {
        return jdbc.queryForList(LISTENING, Integer.class, "listen " + CommitNotifications.ALERTS, RELAYED);
    }

    private void insertEvent(String aggregateId) {
        jdbc.update("insert into domain_event_entry (event_identifier, aggregate_identifier, sequence_number, type, "
                + "time_stamp, payload_type, payload, meta_data) values (?, ?, 0, 'Probe', ?, 'java.lang.String', ?, ?)",
                java.util.UUID.randomUUID().toString(), aggregateId, java.time.Instant.now().toString(),
                "\"probe\"".getBytes(), "{}".getBytes());
    }
}
