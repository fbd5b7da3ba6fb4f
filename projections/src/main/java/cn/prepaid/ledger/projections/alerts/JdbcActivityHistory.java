package cn.prepaid.ledger.projections.alerts;

import cn.prepaid.ledger.projections.PostgresTime;
import cn.prepaid.ledger.projections.ProcessorBatch;
import cn.prepaid.ledger.projections.RowsAtCommit;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * {@link ActivityHistory} over the {@code alert_activity} table (written by {@link AlertProjection}): an
 * account's history, or ({@link #acrossInstitution()}) the history of all accounts of an institution, where
 * the id asked about is the institution's.
 *
 * <p>The facts the alert processor {@link #record records} are written together at its batch's commit
 * (one statement for the batch instead of one per event), or before any read of the history in the same
 * transaction, which so always finds them.
 */
@Component
public class JdbcActivityHistory implements ActivityHistory {

    private static final String ONE_ACCOUNT = "account_id = ?";
    /**
     * The institution's accounts as one array, for the reads by kind: each then looks up those accounts in
     * the index with the kind. As a join ({@code in (select ...)}) the generic plan of a small institution
     * could scan the whole table instead (a close call, tipped by the width of alert_account's rows).
     */
    private static final String ACCOUNTS_OF_INSTITUTION_BY_KIND =
            "account_id = any (array(select account_id from alert_account where institution_id = ?))";
    /** The institution's accounts as a join, for the balance (which takes any index, or none, over time alone). */
    private static final String ALL_ACCOUNTS_OF_INSTITUTION =
            "account_id in (select account_id from alert_account where institution_id = ?)";

    /** The history's statements over one scope: an account, or every account of an institution. */
    public record Statements(String between, String balanceAt, String latest, String earliest) {

        static Statements over(String scope) {
            return over(scope, scope);
        }

        /** With the scope of the reads by kind and of the balance written each its own way. */
        static Statements over(String byKind, String forBalance) {
            return new Statements(
                    "select sequence, occurred_at, kind, amount_fen, signed_fen, account_id from alert_activity where "
                            + byKind
                            + " and occurred_at > ? and occurred_at <= ? and kind = any (?) "
                            + "order by occurred_at, sequence",
                    // facts that move no money add 0; leaving them out lets only this read use alert_activity_money
                    "select coalesce(sum(signed_fen), 0) from alert_activity where " + forBalance
                            + " and occurred_at <= ? and signed_fen <> 0",
                    "select max(occurred_at) from alert_activity where " + byKind + " and kind = ? and occurred_at <= ?",
                    "select min(occurred_at) from alert_activity where " + byKind + " and kind = ?");
        }
    }

    // public for the test that checks each statement's generic plan uses the index that matches it
    public static final Statements OF_ACCOUNT = Statements.over(ONE_ACCOUNT);
    public static final Statements OF_INSTITUTION = Statements.over(ACCOUNTS_OF_INSTITUTION_BY_KIND,
            ALL_ACCOUNTS_OF_INSTITUTION);
    public static final String ACCOUNTS_WITH_ACTIVITY = "select distinct account_id from alert_activity where "
            + ACCOUNTS_OF_INSTITUTION_BY_KIND + " and occurred_at > ? and occurred_at <= ? and kind = any (?) "
            + "order by account_id";

    /** Facts recorded and not yet written: at most this many are held (a rebuild is one long transaction). */
    static final int MOST_RECORDED_HELD = 2_000;
    private static final String RECORD = "insert into alert_activity (account_id, sequence, occurred_at, kind, "
            + "amount_fen, signed_fen) select * from unnest(?::varchar[], ?::bigint[], ?::varchar[]::timestamptz[], ?::varchar[], "
            + "?::bigint[], ?::bigint[]) on conflict (account_id, sequence) do nothing";

    private final JdbcTemplate jdbc;
    private final Statements statements;
    private final RowsAtCommit<AccountActivity> recorded;

    @Autowired
    public JdbcActivityHistory(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.statements = OF_ACCOUNT;
        this.recorded = new RowsAtCommit<>(this::write, MOST_RECORDED_HELD);
    }

    private JdbcActivityHistory(JdbcActivityHistory over, Statements statements) {
        this.jdbc = over.jdbc;
        this.statements = statements;
        this.recorded = over.recorded;
    }

    /** The same history over every account of an institution, asked about by the institution's id. */
    public JdbcActivityHistory acrossInstitution() {
        return new JdbcActivityHistory(this, OF_INSTITUTION);
    }

    /** Adds a fact of an account (once: a fact recorded again is ignored), to be written with its transaction. */
    public void record(String accountId, Activity fact) {
        recorded.add(new AccountActivity(accountId, fact));
    }

    private void write(List<AccountActivity> facts) {
        jdbc.update(RECORD, ProcessorBatch.columns(facts)
                .of("varchar", AccountActivity::accountId)
                .of("bigint", fact -> fact.activity().sequence())
                // as a parameter of its own would be kept: to the microsecond, half a microsecond up
                .of("varchar", fact -> PostgresTime.asStored(fact.activity().occurredAt()).toString())
                .of("varchar", fact -> fact.activity().kind().name())
                .of("bigint", fact -> fact.activity().amountFen())
                .of("bigint", fact -> fact.activity().signedFen()).setter());
    }

    /** The facts recorded so far, written: every read begins here. */
    private JdbcTemplate reading() {
        recorded.flush();
        return jdbc;
    }

    @Override
    public List<Activity> between(String scopeId, Instant from, Instant to, Activity.Kind... kinds) {
        return betweenByAccount(scopeId, from, to, kinds).stream().map(AccountActivity::activity).toList();
    }

    /** A fact with the account it belongs to: an institution's history holds the facts of all its accounts. */
    public record AccountActivity(String accountId, Activity activity) {
    }

    /** {@link #between}, each fact with its account. */
    public List<AccountActivity> betweenByAccount(String scopeId, Instant from, Instant to, Activity.Kind... kinds) {
        String[] names = Arrays.stream(kinds).map(Enum::name).toArray(String[]::new);
        return reading().query(statements.between(), (rs, n) -> new AccountActivity(rs.getString(6),
                        new Activity(rs.getLong(1), rs.getTimestamp(2).toInstant(), Activity.Kind.valueOf(rs.getString(3)),
                                rs.getLong(4), rs.getLong(5))),
                scopeId, Timestamp.from(from), Timestamp.from(to), names);
    }

    @Override
    public long balanceAt(String scopeId, Instant at) {
        return reading().queryForObject(statements.balanceAt(), Long.class, scopeId, Timestamp.from(at));
    }

    @Override
    public Optional<Instant> latest(String scopeId, Activity.Kind kind, Instant at) {
        Timestamp latest = reading().queryForObject(statements.latest(), Timestamp.class, scopeId, kind.name(), Timestamp.from(at));
        return Optional.ofNullable(latest).map(Timestamp::toInstant);
    }

    @Override
    public Optional<Instant> earliest(String scopeId, Activity.Kind kind) {
        Timestamp earliest = reading().queryForObject(statements.earliest(), Timestamp.class, scopeId, kind.name());
        return Optional.ofNullable(earliest).map(Timestamp::toInstant);
    }

    /** The accounts of an institution that have facts of these kinds in {@code (from, to]}, by id. */
    public List<String> accountsWithActivity(String institutionId, Instant from, Instant to, Activity.Kind... kinds) {
        String[] names = Arrays.stream(kinds).map(Enum::name).toArray(String[]::new);
        return reading().queryForList(ACCOUNTS_WITH_ACTIVITY, String.class,
                institutionId, Timestamp.from(from), Timestamp.from(to), names);
    }
}
