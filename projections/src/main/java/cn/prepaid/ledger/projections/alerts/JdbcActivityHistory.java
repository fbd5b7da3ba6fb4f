package cn.prepaid.ledger.projections.alerts;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** {@link ActivityHistory} over the {@code alert_activity} table (written by {@link AlertProjection}). */
@Component
public class JdbcActivityHistory implements ActivityHistory {

    private final JdbcTemplate jdbc;

    public JdbcActivityHistory(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public List<Activity> between(String accountId, Instant from, Instant to, Activity.Kind... kinds) {
        String[] names = Arrays.stream(kinds).map(Enum::name).toArray(String[]::new);
        return jdbc.query("select sequence, occurred_at, kind, amount_fen, signed_fen from alert_activity "
                        + "where account_id = ? and occurred_at > ? and occurred_at <= ? and kind = any (?) "
                        + "order by occurred_at, sequence",
                (rs, n) -> new Activity(rs.getLong(1), rs.getTimestamp(2).toInstant(),
                        Activity.Kind.valueOf(rs.getString(3)), rs.getLong(4), rs.getLong(5)),
                accountId, Timestamp.from(from), Timestamp.from(to), names);
    }

    @Override
    public long balanceAt(String accountId, Instant at) {
        return jdbc.queryForObject("select coalesce(sum(signed_fen), 0) from alert_activity where account_id = ? "
                + "and occurred_at <= ?", Long.class, accountId, Timestamp.from(at));
    }

    @Override
    public Optional<Instant> latest(String accountId, Activity.Kind kind, Instant at) {
        Timestamp latest = jdbc.queryForObject("select max(occurred_at) from alert_activity where account_id = ? "
                + "and kind = ? and occurred_at <= ?", Timestamp.class, accountId, kind.name(), Timestamp.from(at));
        return Optional.ofNullable(latest).map(Timestamp::toInstant);
    }

    @Override
    public Optional<Instant> earliest(String accountId, Activity.Kind kind) {
        Timestamp earliest = jdbc.queryForObject("select min(occurred_at) from alert_activity where account_id = ? "
                + "and kind = ?", Timestamp.class, accountId, kind.name());
        return Optional.ofNullable(earliest).map(Timestamp::toInstant);
    }
}
