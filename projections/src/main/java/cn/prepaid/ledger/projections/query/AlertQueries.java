package cn.prepaid.ledger.projections.query;

import cn.prepaid.ledger.projections.query.ReadModelQueries.Viewer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads of alerts, their lifecycle, the live-stream changes and institutions' risk levels. */
@Component
public class AlertQueries {

    /** A change of an alert, numbered in the order changes happened: the live stream's event id. */
    public record Change(long changeId, AlertView alert) {
    }

    public record Filter(String institutionId, String regionCode, String code, String grade, String status,
                         Instant since) {
    }

    private static final String COLUMNS = "a.alert_id, a.code, a.grade, a.status, a.institution_id, a.account_id, "
            + "a.region_code, a.raised_at, a.occurred_at, a.updated_at, a.occurrences, a.summary, a.facts";

    private final JdbcTemplate jdbc;
    private final JsonMapper json = JsonMapper.builder().build();

    public AlertQueries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Page<AlertView> alerts(Viewer viewer, Filter filter, int page, int size) {
        StringBuilder where = new StringBuilder(" where true");
        List<Object> args = new ArrayList<>();
        viewer.limit(where, args, "a.institution_id", "a.region_code");
        condition(where, args, "a.institution_id = ?", filter.institutionId());
        condition(where, args, "a.region_code like ?", filter.regionCode() == null ? null : filter.regionCode() + "%");
        condition(where, args, "a.code = ?", filter.code());
        condition(where, args, "a.grade = ?", filter.grade());
        condition(where, args, "a.status = ?", filter.status());
        condition(where, args, "a.raised_at >= ?", filter.since() == null ? null : Timestamp.from(filter.since()));
        return Page.read(jdbc, "select " + COLUMNS + " from alert a" + where, "raised_at desc, alert_id",
                "select count(*) from alert a" + where, args, page, size, rs -> alert(rs, List.of()));
    }

    public Optional<AlertView> alert(String alertId) {
        List<AlertView.Step> history = jdbc.query("select action, status_after, acted_by, acted_at, note "
                        + "from alert_action where alert_id = ? order by action_id",
                (rs, n) -> new AlertView.Step(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getTimestamp(4).toInstant(), rs.getString(5)), alertId);
        return jdbc.query("select " + COLUMNS + " from alert a where a.alert_id = ?", (rs, n) -> alert(rs, history),
                alertId).stream().findFirst();
    }

    /** Changes after {@code afterChangeId} in regions starting with {@code regionPrefix}, oldest first. */
    public List<Change> changesAfter(long afterChangeId, String regionPrefix, int limit) {
        return jdbc.query("select c.change_id, " + COLUMNS + " from alert_change c join alert a on a.alert_id = c.alert_id "
                        + "where c.change_id > ? and c.region_code like ? order by c.change_id limit ?",
                (rs, n) -> new Change(rs.getLong(1), alert(rs, List.of())), afterChangeId,
                (regionPrefix == null ? "" : regionPrefix) + "%", limit);
    }

    public long latestChangeId() {
        Long latest = jdbc.queryForObject("select max(change_id) from alert_change", Long.class);
        return latest == null ? 0 : latest;
    }

    /** Open (or acknowledged) alerts of an institution, counted by grade: {red, yellow}. */
    public long[] openAlertCounts(String institutionId) {
        return jdbc.queryForObject("select count(*) filter (where grade = 'RED'), count(*) filter (where grade = 'YELLOW') "
                        + "from alert where institution_id = ? and status in ('OPEN', 'ACKNOWLEDGED')",
                (rs, n) -> new long[]{rs.getLong(1), rs.getLong(2)}, institutionId);
    }

    /**
     * The risk level that follows from open alerts: HIGH with two or more red; MEDIUM with one red or
     * three or more yellow; LOW with one or two yellow; NONE without open alerts.
     */
    public static String riskLevel(long red, long yellow) {
        if (red >= 2) {
            return "HIGH";
        }
        if (red == 1 || yellow >= 3) {
            return "MEDIUM";
        }
        return yellow > 0 ? "LOW" : "NONE";
    }

    /** The same rule in SQL, for filtering lists by risk level. */
    static String riskLevelSql(String institutionColumn) {
        String red = "(select count(*) from alert r where r.institution_id = " + institutionColumn
                + " and r.status in ('OPEN', 'ACKNOWLEDGED') and r.grade = 'RED')";
        String yellow = "(select count(*) from alert y where y.institution_id = " + institutionColumn
                + " and y.status in ('OPEN', 'ACKNOWLEDGED') and y.grade = 'YELLOW')";
        return "(case when " + red + " >= 2 then 'HIGH' when " + red + " = 1 or " + yellow + " >= 3 then 'MEDIUM' "
                + "when " + yellow + " > 0 then 'LOW' else 'NONE' end)";
    }

    private static void condition(StringBuilder where, List<Object> args, String sql, Object value) {
        if (value != null) {
            where.append(" and ").append(sql);
            args.add(value);
        }
    }

    private AlertView alert(ResultSet rs, List<AlertView.Step> history) throws SQLException {
        Map<String, Object> facts = json.readValue(rs.getString("facts"), new TypeReference<Map<String, Object>>() {
        });
        return new AlertView(rs.getString("alert_id"), rs.getString("code"), rs.getString("grade"),
                rs.getString("status"), rs.getString("institution_id"), rs.getString("account_id"),
                rs.getString("region_code"), rs.getTimestamp("raised_at").toInstant(),
                rs.getTimestamp("occurred_at").toInstant(), rs.getTimestamp("updated_at").toInstant(),
                rs.getInt("occurrences"), rs.getString("summary"), facts, history);
    }
}
