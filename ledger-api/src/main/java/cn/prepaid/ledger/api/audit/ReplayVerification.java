package cn.prepaid.ledger.api.audit;

import cn.prepaid.ledger.projections.EventAtomicity;
import cn.prepaid.ledger.projections.alerts.AlertBook;
import cn.prepaid.ledger.projections.alerts.AlertProjection;
import cn.prepaid.ledger.projections.alerts.AlertRule;
import cn.prepaid.ledger.projections.alerts.JdbcActivityHistory;
import cn.prepaid.ledger.projections.readmodel.EscrowAccountReadModel;
import cn.prepaid.ledger.projections.readmodel.InstitutionReadModel;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.EventMessageHandler;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.sql.DataSource;

import static cn.prepaid.ledger.store.events.StoreSchema.AGGREGATE_ID;
import static cn.prepaid.ledger.store.events.StoreSchema.EVENTS;
import static cn.prepaid.ledger.store.events.StoreSchema.GLOBAL_INDEX;
import static cn.prepaid.ledger.store.events.StoreSchema.PAYLOAD;
import static cn.prepaid.ledger.store.events.StoreSchema.PAYLOAD_REVISION;
import static cn.prepaid.ledger.store.events.StoreSchema.PAYLOAD_TYPE;
import static cn.prepaid.ledger.store.events.StoreSchema.SEQUENCE;
import static cn.prepaid.ledger.store.events.StoreSchema.TYPE;

/**
 * Rebuilds the read models of one institution (or all) from the event store into scratch tables and
 * compares them with the live ones. The rebuild runs the very read-model handlers the live processor
 * runs, on a dedicated connection whose search_path points at a scratch schema, so the comparison
 * checks the live tables against the events, not against a second implementation.
 */
@Component
public class ReplayVerification {

    private static final String COUNT_ALL = "select count(*) from " + EVENTS;
    private static final String COUNT_OF_AGGREGATES = COUNT_ALL + " where " + AGGREGATE_ID + " = any (?)";
    private static final String READ = "select " + AGGREGATE_ID + ", " + SEQUENCE + ", " + TYPE + ", " + PAYLOAD_TYPE
            + ", " + PAYLOAD_REVISION + ", " + PAYLOAD + " from " + EVENTS;
    private static final String READ_ALL = READ + " order by " + GLOBAL_INDEX;
    private static final String READ_OF_AGGREGATES = READ + " where " + AGGREGATE_ID + " = any (?) order by "
            + GLOBAL_INDEX;
    private static final String LINKED_ACCOUNTS = "select convert_from(" + PAYLOAD + ", 'UTF8')::json ->> 'accountId' "
            + "from " + EVENTS + " where " + AGGREGATE_ID + " = ? and " + PAYLOAD_TYPE + " like '%EscrowAccountLinked'";

    private static final Logger log = LoggerFactory.getLogger(ReplayVerification.class);
    private static final List<String> TABLES = List.of("institution_view", "account_view", "order_view",
            "held_outflow_view", "dispute_view", "alert");
    /** The alert processor's own tables, rebuilt with the alerts; only {@code alert} is compared. */
    private static final List<String> ALERT_WORK_TABLES = List.of("alert_account",
            "alert_account_thresholds", "alert_activity", "alert_window", "alert_change", "alert_dispute");
    /**
     * The columns of {@code alert} a replay must reproduce: not raised_at and updated_at, which are when the
     * live processor (or a regulator) wrote them.
     */
    private static final String ALERT_COLUMNS = "alert_id, code, grade, status, institution_id, account_id, "
            + "region_code, condition_key, occurred_at, occurrences, summary, facts";
    private static final int MAX_DIFFERENCES = 200;

    private final DataSource dataSource;
    private final JdbcTemplate jdbc;
    private final Serializer events;
    private final JsonMapper json = JsonMapper.builder().build();
    private final List<AlertRule> rules;
    /** The event store is read in a transaction of its own: PostgreSQL only streams through a cursor in one. */
    private final TransactionTemplate reading;
    private final TransactionTemplate progressWriter;
    private final ExecutorService runner = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "replay-verification");
        thread.setDaemon(true);
        return thread;
    });

    public ReplayVerification(DataSource dataSource, JdbcTemplate jdbc, @Qualifier("eventSerializer") Serializer events,
                              PlatformTransactionManager transactions, List<AlertRule> rules) {
        this.rules = List.copyOf(rules);
        this.dataSource = dataSource;
        this.jdbc = jdbc;
        this.events = events;
        this.reading = new TransactionTemplate(transactions);
        this.reading.setReadOnly(true);
        this.progressWriter = new TransactionTemplate(transactions);
        this.progressWriter.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    @Schema(name = "Replay")
    public record Status(String replayId, @Schema(nullable = true) String institutionId, String status,
                         long eventsTotal, long eventsProcessed, @Schema(nullable = true) Boolean matches,
                         @ArraySchema(schema = @Schema(description = "table, key, column, live, replayed",
                                 additionalProperties = Schema.AdditionalPropertiesValue.TRUE))
                         List<Map<String, Object>> differences, @Schema(nullable = true) String failure,
                         Instant startedAt, @Schema(nullable = true) Instant finishedAt) {
    }

    public String start(String institutionId, String requestedBy) {
        String replayId = UUID.randomUUID().toString();
        jdbc.update("insert into audit_replay (replay_id, institution_id, status, requested_by) values (?, ?, 'RUNNING', ?)",
                replayId, institutionId, requestedBy);
        runner.execute(() -> run(replayId, institutionId));
        return replayId;
    }

    public Optional<Status> status(String replayId) {
        return jdbc.query("select replay_id, institution_id, status, events_total, events_processed, matches, "
                + "differences, failure, started_at, finished_at from audit_replay where replay_id = ?", (rs, n) ->
                new Status(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5),
                        (Boolean) rs.getObject(6), rs.getString(7) == null ? List.of()
                        : json.readValue(rs.getString(7), new TypeReference<>() {
                }), rs.getString(8), rs.getTimestamp(9).toInstant(),
                        rs.getTimestamp(10) == null ? null : rs.getTimestamp(10).toInstant()), replayId)
                .stream().findFirst();
    }

    private void run(String replayId, String institutionId) {
        String schema = "replay_" + replayId.replace("-", "").substring(0, 16);
        try (Connection connection = dataSource.getConnection()) {
            SingleConnectionDataSource scratch = new SingleConnectionDataSource(connection, true);
            JdbcTemplate scratchJdbc = new JdbcTemplate(scratch);
            scratchJdbc.execute("create schema " + schema);
            for (String table : union(new HashSet<>(TABLES), new HashSet<>(ALERT_WORK_TABLES))) {
                scratchJdbc.execute("create table " + schema + "." + table + " (like public." + table + " including all)");
            }
            scratchJdbc.execute("set search_path = " + schema + ", public");
            try {
                rebuild(replayId, institutionId, scratch, scratchJdbc);
                List<Map<String, Object>> differences = compare(institutionId, schema);
                jdbc.update("update audit_replay set status = 'DONE', matches = ?, differences = ?, finished_at = now() "
                        + "where replay_id = ?", differences.isEmpty(), json.writeValueAsString(differences), replayId);
            } finally {
                scratchJdbc.execute("set search_path = public");
                scratchJdbc.execute("drop schema " + schema + " cascade");
            }
        } catch (Exception failure) {
            log.warn("replay {} failed", replayId, failure);
            jdbc.update("update audit_replay set status = 'FAILED', failure = ?, finished_at = now() where replay_id = ?",
                    String.valueOf(failure.getMessage()).substring(0, Math.min(900,
                            String.valueOf(failure.getMessage()).length())), replayId);
        }
    }

    private void rebuild(String replayId, String institutionId, SingleConnectionDataSource scratch,
                         JdbcTemplate scratchJdbc) {
        DataSourceTransactionManager transactions = new DataSourceTransactionManager(scratch);
        EventAtomicity eventAtomicity = new EventAtomicity(transactions);
        // the alert processor's handler with its collaborators on the scratch tables; regulators' actions
        // (alert_action) are read from the live table, so rebuilt alerts take their status from there
        List<EventMessageHandler> handlers = List.of(
                new AnnotationEventHandlerAdapter(new InstitutionReadModel(scratchJdbc)),
                new AnnotationEventHandlerAdapter(new EscrowAccountReadModel(scratchJdbc, eventAtomicity)),
                new AnnotationEventHandlerAdapter(new AlertProjection(scratchJdbc, new JdbcActivityHistory(scratchJdbc),
                        new AlertBook(scratchJdbc), rules, eventAtomicity)));
        String[] aggregates = institutionId == null ? null : aggregatesOf(institutionId);
        long total = aggregates == null ? jdbc.queryForObject(COUNT_ALL, Long.class)
                : jdbc.queryForObject(COUNT_OF_AGGREGATES, Long.class, (Object) aggregates);
        jdbc.update("update audit_replay set events_total = ? where replay_id = ?", total, replayId);
        long[] processed = {0};
        TransactionTemplate batch = new TransactionTemplate(transactions);
        batch.executeWithoutResult(scratchStatus -> reading.executeWithoutResult(readStatus -> jdbc.query(connection -> {
            var statement = connection.prepareStatement(aggregates == null ? READ_ALL : READ_OF_AGGREGATES);
            if (aggregates != null) {
                statement.setArray(1, connection.createArrayOf("varchar", aggregates));
            }
            statement.setFetchSize(1000);
            return statement;
        }, row -> {
            Object payload = events.deserialize(new SimpleSerializedObject<>(row.getBytes(6), byte[].class,
                    row.getString(4), row.getString(5)));
            var message = new GenericDomainEventMessage<>(row.getString(3), row.getString(1), row.getLong(2), payload);
            for (EventMessageHandler handler : handlers) {
                if (handler.canHandle(message)) {
                    try {
                        handler.handle(message);
                    } catch (Exception failure) {
                        throw new IllegalStateException("replaying " + row.getString(1) + "#" + row.getLong(2), failure);
                    }
                }
            }
            if (++processed[0] % 500 == 0) {
                progress(replayId, processed[0]);
            }
        })));
        progress(replayId, processed[0]);
    }

    /**
     * Progress is written on a connection of its own (not the reading transaction's), so other processes
     * see it while the replay runs.
     */
    private void progress(String replayId, long processed) {
        progressWriter.executeWithoutResult(status -> jdbc.update(
                "update audit_replay set events_processed = ? where replay_id = ?", processed, replayId));
    }

    private String[] aggregatesOf(String institutionId) {
        List<String> ids = new ArrayList<>();
        ids.add(institutionId);
        ids.addAll(jdbc.queryForList(LINKED_ACCOUNTS, String.class, institutionId));
        return ids.toArray(String[]::new);
    }

    /** Rows that differ between the live and the rebuilt tables, by primary key, column by column. */
    private List<Map<String, Object>> compare(String institutionId, String schema) {
        List<Map<String, Object>> differences = new ArrayList<>();
        for (String table : TABLES) {
            String key = switch (table) {
                case "institution_view" -> "institution_id";
                case "account_view" -> "account_id";
                case "order_view" -> "account_id || '/' || order_id";
                case "dispute_view" -> "account_id || '/' || dispute_id";
                case "alert" -> "alert_id";
                default -> "held_outflow_id";
            };
            String scope = institutionId == null ? "" : switch (table) {
                case "institution_view", "account_view", "alert" -> " where institution_id = ?";
                default -> " where account_id in (select account_id from public.account_view where institution_id = ?)";
            };
            String columns = table.equals("alert") ? ALERT_COLUMNS : "*";
            Object[] args = institutionId == null ? new Object[0] : new Object[]{institutionId};
            Map<String, Map<String, Object>> live = rows("select " + key + " as row_key, " + columns + " from public."
                    + table + scope, args);
            Map<String, Map<String, Object>> rebuilt = rows("select " + key + " as row_key, " + columns + " from "
                    + schema + "." + table + scope.replace("public.account_view", schema + ".account_view"), args);
            for (String rowKey : union(live.keySet(), rebuilt.keySet())) {
                Map<String, Object> l = live.get(rowKey);
                Map<String, Object> r = rebuilt.get(rowKey);
                if (l == null || r == null) {
                    differences.add(difference(table, rowKey, null, l == null ? null : "present",
                            r == null ? null : "present"));
                    continue;
                }
                for (String column : l.keySet()) {
                    if (!Objects.equals(String.valueOf(l.get(column)), String.valueOf(r.get(column)))) {
                        differences.add(difference(table, rowKey, column, l.get(column), r.get(column)));
                    }
                }
                if (differences.size() >= MAX_DIFFERENCES) {
                    return differences;
                }
            }
        }
        return differences;
    }

    private Map<String, Map<String, Object>> rows(String sql, Object[] args) {
        Map<String, Map<String, Object>> rows = new LinkedHashMap<>();
        for (Map<String, Object> row : jdbc.queryForList(sql, args)) {
            rows.put(String.valueOf(row.remove("row_key")), row);
        }
        return rows;
    }

    private static List<String> union(Set<String> a, Set<String> b) {
        TreeSet<String> all = new TreeSet<>(a);
        all.addAll(b);
        return new ArrayList<>(all);
    }

    private static Map<String, Object> difference(String table, String key, String column, Object live, Object replayed) {
        Map<String, Object> difference = new LinkedHashMap<>();
        difference.put("table", table);
        difference.put("key", key);
        difference.put("column", column);
        difference.put("live", live == null ? null : String.valueOf(live));
        difference.put("replayed", replayed == null ? null : String.valueOf(replayed));
        return difference;
    }
}
