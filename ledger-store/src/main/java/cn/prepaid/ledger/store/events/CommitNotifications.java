package cn.prepaid.ledger.store.events;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Listens on PostgreSQL's {@code ledger_events} and {@code ledger_alerts} channels (see
 * V6__notify_on_commit.sql) on one dedicated connection and runs the wake-ups registered for them.
 * If the connection breaks it reconnects; meanwhile the processors' own polling still delivers, only
 * later.
 */
@Component
public class CommitNotifications implements SmartLifecycle {

    public static final String EVENTS = "ledger_events";
    public static final String ALERTS = "ledger_alerts";
    private static final Logger log = LoggerFactory.getLogger(CommitNotifications.class);

    private final DataSource dataSource;
    private final Map<String, List<Runnable>> wakeUps = new ConcurrentHashMap<>();
    private volatile boolean running;
    private Thread listener;

    public CommitNotifications(DataSource dataSource, WakeableEventStore eventStore) {
        this.dataSource = dataSource;
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
            try (Connection connection = dataSource.getConnection();
                 Statement statement = connection.createStatement()) {
                connection.setAutoCommit(true);
                statement.execute("listen " + EVENTS);
                statement.execute("listen " + ALERTS);
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(500);
                    if (notifications == null) {
                        continue;
                    }
                    boolean events = false;
                    boolean alerts = false;
                    for (PGNotification notification : notifications) {
                        events |= EVENTS.equals(notification.getName());
                        alerts |= ALERTS.equals(notification.getName());
                    }
                    if (events) {
                        wakeUps.getOrDefault(EVENTS, List.of()).forEach(Runnable::run);
                    }
                    if (alerts) {
                        wakeUps.getOrDefault(ALERTS, List.of()).forEach(Runnable::run);
                    }
                }
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
            }
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
