package cn.prepaid.ledger.projections.alerts;

import cn.prepaid.ledger.projections.RowsAtCommit;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Where alerts are kept. A signal for a condition that already has an open (or acknowledged) alert
 * updates that alert — its grade only ever rises — instead of opening a second one. A new alert's id
 * is derived from the event that raised it, so replaying the same events raises the same alerts.
 * Every change is appended to {@code alert_change} for the live stream.
 */
@Component
public class AlertBook {

    private final JdbcTemplate jdbc;
    private final JsonMapper json = JsonMapper.builder().build();
    private final RowsAtCommit<String[]> changes;

    public AlertBook(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.changes = new RowsAtCommit<>(this::appendChanges);
    }

    public void raise(AccountSituation account, AlertSignal signal, long eventSequence, Instant recordedAt) {
        String facts = json.writeValueAsString(new TreeMap<>(signal.facts()));
        List<String[]> open = jdbc.query("select alert_id, grade from alert where code = ? and account_id = ? "
                        + "and condition_key = ? and status in ('OPEN', 'ACKNOWLEDGED') for update",
                (rs, n) -> new String[]{rs.getString(1), rs.getString(2)},
                signal.code().name(), account.accountId(), signal.conditionKey());
        String alertId;
        if (open.isEmpty()) {
            alertId = signal.code().name() + ":" + account.accountId() + ":" + eventSequence;
            // A replay re-raises the same ids; what regulators did with them is kept in alert_action.
            int inserted = jdbc.update("insert into alert (alert_id, code, grade, status, institution_id, account_id, "
                            + "region_code, condition_key, raised_at, occurred_at, updated_at, summary, facts) "
                            + "values (?, ?, ?, coalesce((" + STATUS_BY_ACTIONS.formatted("?", "1") + "), 'OPEN'), "
                            + "?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing",
                    alertId, signal.code().name(), signal.grade().name(), alertId, account.institutionId(),
                    account.accountId(),
                    account.regionCode(), signal.conditionKey(), Timestamp.from(recordedAt),
                    Timestamp.from(signal.occurredAt()), Timestamp.from(recordedAt), truncate(signal.summary()), facts);
            if (inserted == 0) {
                return; // raised by this very event before (a replay): nothing changed
            }
        } else {
            alertId = open.get(0)[0];
            String grade = open.get(0)[1];
            jdbc.update("update alert set grade = ?, occurred_at = greatest(occurred_at, ?), updated_at = ?, "
                            + "occurrences = occurrences + 1, summary = ?, facts = ?, status = coalesce(("
                            + STATUS_BY_ACTIONS.formatted("alert.alert_id", "alert.occurrences + 1")
                            + "), status) where alert_id = ?",
                    Grade.valueOf(grade).max(signal.grade()).name(), Timestamp.from(signal.occurredAt()),
                    Timestamp.from(recordedAt), truncate(signal.summary()), facts, alertId);
        }
        announce(alertId, account.regionCode());
    }

    /**
     * A windowed rule's re-judged verdicts for one scope (an account, or an institution judged as one):
     * the windows ending in {@code [from, to]} are to be replaced by those of {@code holding}.
     */
    public record JudgedWindows(AccountSituation scope, AlertCode code, Instant from, Instant to,
                                List<Instant> holding) {
    }

    /**
     * Keeps the re-judged verdicts of every windowed rule that judged one event, in one statement for
     * all of them (one for each rule was most of the alert processor's statements), and one more when
     * some window holds. When a rule's windows were removed and none is left anywhere in its scope's
     * history, its condition no longer holds (a late posting refuted it): its open or acknowledged alert
     * is withdrawn, status WITHDRAWN, announced on the live stream like any change. An event's rules
     * judge distinct codes or scopes, and nothing a rule raises reads the windows, so keeping them
     * together after the rules have judged is keeping them one by one.
     */
    public void keepWindows(List<JudgedWindows> judged, Instant recordedAt) {
        if (judged.isEmpty()) {
            return;
        }
        Set<String> removed = new HashSet<>(jdbc.query(DELETE_WINDOWS, statement -> {
            statement.setArray(1, varchars(statement, judged.stream().map(j -> j.scope().accountId())));
            statement.setArray(2, varchars(statement, judged.stream().map(j -> j.code().name())));
            statement.setArray(3, varchars(statement, judged.stream().map(j -> j.from().toString())));
            statement.setArray(4, varchars(statement, judged.stream().map(j -> j.to().toString())));
        }, (rs, n) -> rs.getString(1) + " " + rs.getString(2)));
        List<JudgedWindows> holding = judged.stream().filter(j -> !j.holding().isEmpty()).toList();
        if (!holding.isEmpty()) {
            jdbc.update(INSERT_WINDOWS, statement -> {
                statement.setArray(1, varchars(statement, holding.stream()
                        .flatMap(j -> j.holding().stream().map(end -> j.scope().accountId()))));
                statement.setArray(2, varchars(statement, holding.stream()
                        .flatMap(j -> j.holding().stream().map(end -> j.code().name()))));
                statement.setArray(3, varchars(statement, holding.stream()
                        .flatMap(j -> j.holding().stream().map(Instant::toString))));
            });
        }
        for (JudgedWindows refuted : judged) {
            String scope = refuted.scope().accountId();
            if (refuted.holding().isEmpty() && removed.contains(scope + " " + refuted.code().name())) {
                jdbc.queryForList(WITHDRAW, String.class, Timestamp.from(recordedAt), refuted.code().name(), scope,
                        scope, refuted.code().name()).forEach(alertId -> announce(alertId, refuted.scope().regionCode()));
            }
        }
    }

    private static Array varchars(PreparedStatement statement, Stream<String> values) throws SQLException {
        return statement.getConnection().createArrayOf("varchar", values.toArray(String[]::new));
    }

    private static final String DELETE_WINDOWS = "delete from alert_window w using unnest(?::varchar[], ?::varchar[], "
            + "?::timestamptz[], ?::timestamptz[]) as j (account_id, code, window_from, window_to) "
            + "where w.account_id = j.account_id and w.code = j.code and w.window_end >= j.window_from "
            + "and w.window_end <= j.window_to returning w.account_id, w.code";
    private static final String INSERT_WINDOWS = "insert into alert_window (account_id, code, window_end) "
            + "select * from unnest(?::varchar[], ?::varchar[], ?::timestamptz[]) on conflict do nothing";
    private static final String WITHDRAW = "update alert set status = 'WITHDRAWN', updated_at = ? "
            + "where code = ? and account_id = ? and condition_key = '' and status in ('OPEN', 'ACKNOWLEDGED') "
            + "and not exists (select 1 from alert_window w where w.account_id = ? and w.code = ?) returning alert_id";

    /**
     * The status regulators' actions give an alert found this often: the latest action taken when it had
     * been found at most that often (actions from before this was recorded apply at once). Live, that is
     * simply the latest action; in a rebuild, findings that came before an action fold into the alert as
     * they did live, and the action applies from the finding it followed.
     */
    private static final String STATUS_BY_ACTIONS = "select status_after from alert_action where alert_id = %s "
            + "and coalesce(occurrences_at, 0) <= %s order by action_id desc limit 1";

    /** The lock that makes alert changes commit in the order of their ids (see {@link #announce}). */
    static final long CHANGE_ORDER_LOCK = 0x414C4552544348L; // "ALERTCH"

    /**
     * Regulators read a change the moment it is committed (the live stream, {@code Last-Event-ID}), so a
     * processor transaction that appends changes waits for the disk after all, unlike the processor's
     * other transactions: the statement that moves the processor's position (ledger-store's
     * PositionCheckedTokenStore, which reads {@code ledger.commit}) turns waiting off unless asked. A crash
     * must not take back a change someone saw, nor hand its id to another change when the processor redoes
     * its work.
     */
    private static final String LOCK_CHANGE_ORDER_AND_COMMIT_DURABLY = "select set_config('synchronous_commit', "
            + "'on', true) || set_config('ledger.commit', 'durable', true) from (select pg_advisory_xact_lock(?)) as locked";

    /**
     * Appends a change to the live stream's log, when the transaction commits. Changes are read by id,
     * so an id must never become visible after a higher one: concurrent writers would otherwise commit
     * out of order and a reader that already moved past would skip the late one. So a transaction's
     * changes are written together just before it commits, under a transaction-level advisory lock held
     * from there to the commit: id order and commit order are the same, and the lock is held for one
     * insert and the commit, not for the transaction's work.
     */
    public void announce(String alertId, String regionCode) {
        changes.add(new String[]{alertId, regionCode});
    }

    private void appendChanges(List<String[]> rows) {
        String[] alertIds = rows.stream().map(row -> row[0]).toArray(String[]::new);
        String[] regions = rows.stream().map(row -> row[1]).toArray(String[]::new);
        jdbc.queryForObject(LOCK_CHANGE_ORDER_AND_COMMIT_DURABLY, String.class, CHANGE_ORDER_LOCK);
        jdbc.update("insert into alert_change (alert_id, region_code) select * from unnest(?::varchar[], ?::varchar[])",
                (PreparedStatement statement) -> {
                    statement.setArray(1, statement.getConnection().createArrayOf("varchar", alertIds));
                    statement.setArray(2, statement.getConnection().createArrayOf("varchar", regions));
                });
    }

    void clear() {
        jdbc.update("truncate table alert, alert_change, alert_activity, alert_account, alert_account_thresholds, "
                + "alert_window, alert_dispute");
    }

    private static String truncate(String summary) {
        return summary.length() <= 500 ? summary : summary.substring(0, 497) + "...";
    }
}
