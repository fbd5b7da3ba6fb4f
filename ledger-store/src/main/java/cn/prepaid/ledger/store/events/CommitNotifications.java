package cn.prepaid.ledger.store.events;

import com.zaxxer.hikari.HikariDataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Listens on PostgreSQL's {@code ledger_events} and {@code ledger_alerts} channels (see
 * V6__notify_on_commit.sql) on one dedicated connection and runs the wake-ups registered for them; an
 * append committed by this process's own sessions ({@link NodeSessions}) woke its reader already.
 * If the connection breaks (the database restarted or failed over, the session was terminated) or stops
 * answering, it takes the connection out of the pool and listens on a new one; meanwhile the processors' own
 * polling still delivers, only later.
 */
@Component
public class CommitNotifications implements SmartLifecycle {

    public static final String EVENTS = "ledger_events";
    public static final String ALERTS = "ledger_alerts";
    private static final Logger log = LoggerFactory.getLogger(CommitNotifications.class);
    /**
     * After this long without a notification the listener asks whether its connection still answers: a server
     * that vanished without closing it (a host lost in a failover) would otherwise leave it waiting for good.
     */
    private static final long QUIET_CHECK_NANOS = Duration.ofSeconds(5).toNanos();
    private static final int ANSWER_WITHIN_SECONDS = 2;
    /** The listening session's {@code application_name}, as operators see it in {@code pg_stat_activity}. */
    public static final String SESSION_NAME = "ledger commit notifications";

    private final DataSource dataSource;
    private final String ownSessions;
    private final Map<String, List<Runnable>> wakeUps = new ConcurrentHashMap<>();
    private volatile boolean running;
    private Thread listener;

    public CommitNotifications(DataSource dataSource, WakeableEventStore eventStore, NodeSessions.Name node) {
        this.dataSource = dataSource;
        this.ownSessions = node.value();
        onCommit(EVENTS, eventStore::wake);
    }

    public void onCommit(String channel, Runnable wakeUp) {
        wakeUps.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).add(wakeUp);
    }

    @Override
    public void start() {
        running = true;
        listener = new Thread(this::listen, "commit-notifications");
        listener.setDaemon(true);
        listener.start();
    }

    private void listen() {
        while (running) {
            Connection connection = null;
            try {
                connection = dataSource.getConnection();
                listenOn(connection);
            } catch (Exception broken) {
                if (running) {
                    log.warn("commit notifications interrupted ({}); reconnecting", broken.getMessage());
                    try {
                        Thread.sleep(1_000);
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            } finally {
                discard(connection);
            }
        }
    }

    private void listenOn(Connection connection) throws SQLException {
        connection.setClientInfo("ApplicationName", SESSION_NAME);
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement()) {
            statement.execute("listen " + EVENTS);
            statement.execute("listen " + ALERTS);
        }
        PGConnection pg = connection.unwrap(PGConnection.class);
        long heardAt = System.nanoTime();
        while (running) {
            PGNotification[] notifications = pg.getNotifications(500);
            if (notifications == null || notifications.length == 0) {
                if (System.nanoTime() - heardAt > QUIET_CHECK_NANOS) {
                    if (!connection.isValid(ANSWER_WITHIN_SECONDS)) {
                        throw new SQLException("the listening connection does not answer");
                    }
                    heardAt = System.nanoTime();
                }
                continue;
            }
            heardAt = System.nanoTime();
            boolean events = false;
            boolean alerts = false;
            for (PGNotification notification : notifications) {
                // this process's own appends woke its event reader when they committed (WakeableEventStore)
                events |= EVENTS.equals(notification.getName()) && !ownSessions.equals(notification.getParameter());
                alerts |= ALERTS.equals(notification.getName());
            }
            if (events) {
                wakeUps.getOrDefault(EVENTS, List.of()).forEach(Runnable::run);
            }
            if (alerts) {
                wakeUps.getOrDefault(ALERTS, List.of()).forEach(Runnable::run);
            }
        }
    }

    /**
     * Takes the listening connection out of the pool, never to be handed to a request: it still listens, and if it
     * broke, the pool never saw it fail (notifications are read from pgjdbc's own connection, past the pool's
     * wrapper), so the next request would fail on it (after a failover or a terminated session, one more 503).
     */
    private void discard(Connection connection) {
        if (connection == null) {
            return;
        }
        try (connection) {
            if (dataSource.isWrapperFor(HikariDataSource.class)) {
                dataSource.unwrap(HikariDataSource.class).evictConnection(connection);
            }
        } catch (SQLException closingFailed) {
            log.debug("a broken listening connection could not be closed", closingFailed);
        }
    }

    @Override
    public void stop() {
        running = false;
        if (listener != null) {
            listener.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
