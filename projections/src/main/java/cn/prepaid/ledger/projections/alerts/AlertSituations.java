package cn.prepaid.ledger.projections.alerts;

import cn.prepaid.ledger.core.policy.AlertThresholds;
import cn.prepaid.ledger.projections.BatchMemory;
import cn.prepaid.ledger.projections.ProcessorBatch;
import cn.prepaid.ledger.projections.RowsAtCommit;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The alert processor's rows of {@code alert_account} (each account as the rules see it) for one batch:
 * read together, by institution, the first time the batch needs one of them (with the rows of every
 * other institution the batch's events concern), changed in memory as the events are taken in, and
 * written back together when the batch commits, or earlier should the batch grow long. One read and one
 * write per batch replace a statement per event.
 *
 * <p>This holds because the alerts processor handles every account of an institution on one thread, in
 * order ({@code AlertsByInstitution}): while one batch holds an institution's rows no other transaction
 * changes them. A process taking over the segment begins from the committed rows; nothing is kept
 * beyond the transaction ({@link BatchMemory}).
 */
final class AlertSituations {

    /** Rows changed and not yet written: at most this many changes are held (a rebuild is one long transaction). */
    private static final int MOST_CHANGES_HELD = 2_000;

    private final JdbcTemplate jdbc;
    private final RowsAtCommit<Row> changed;

    AlertSituations(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.changed = RowsAtCommit.eachOnce(this::write, MOST_CHANGES_HELD);
    }

    /** An account's row as the batch has it, with what the batch needs to know about it. */
    static final class Row {
        final String accountId;
        final String institutionId;
        final String regionCode;
        long balanceFen;
        long liabilityFen;
        long minimumBalanceFen;
        long liabilityRatioBp;
        long largeThresholdFen;
        long rapidDrain24hBp;
        long rapidDrain7dBp;
        AlertThresholds thresholds;
        long lastSequence;
        /** As stored: to the microsecond. */
        Instant firstDepositAt;
        /** As stored: to the microsecond. */
        Instant latestWindowEndAt;
        /** Whether windows of the account's own are kept ({@code alert_window}). */
        boolean windowsKept;
        /** The events not yet taken in after which a sweep acted (found again by a rebuild). */
        final Set<Long> sweptAfter;

        private Row(ResultSet rs) throws SQLException {
            accountId = rs.getString("account_id");
            institutionId = rs.getString("institution_id");
            regionCode = rs.getString("region_code");
            balanceFen = rs.getLong("balance_fen");
            liabilityFen = rs.getLong("liability_fen");
            minimumBalanceFen = rs.getLong("minimum_balance_fen");
            liabilityRatioBp = rs.getLong("liability_ratio_bp");
            largeThresholdFen = rs.getLong("large_threshold_fen");
            rapidDrain24hBp = rs.getLong("rapid_drain_24h_bp");
            rapidDrain7dBp = rs.getLong("rapid_drain_7d_bp");
            thresholds = AlertProjection.thresholds(rs.getString("alert_thresholds"));
            lastSequence = rs.getLong("last_sequence");
            firstDepositAt = instant(rs.getTimestamp("first_deposit_at"));
            latestWindowEndAt = instant(rs.getTimestamp("latest_window_end_at"));
            windowsKept = rs.getBoolean("account_windows");
            sweptAfter = new HashSet<>(Arrays.asList((Long[]) rs.getArray("swept_after").getArray()));
        }

        AccountSituation situation() {
            return new AccountSituation(accountId, institutionId, regionCode, balanceFen, liabilityFen,
                    minimumBalanceFen, liabilityRatioBp, largeThresholdFen, rapidDrain24hBp, rapidDrain7dBp, thresholds);
        }

        private static Instant instant(Timestamp stored) {
            return stored == null ? null : stored.toInstant();
        }
    }

    /** An institution's rows, all of them, and whether windows of the institution as one are kept. */
    static final class Institution {
        final List<Row> rows = new ArrayList<>();
        boolean windowsKept;
    }

    private static final class Held {
        final Map<String, Row> accounts = new HashMap<>();
        final Map<String, Institution> institutions = new HashMap<>();
    }

    /** The account's row, read with its institution's (and the batch's others) unless the batch has it already. */
    Optional<Row> row(String accountId) {
        Held held = BatchMemory.of(this, Held::new);
        Row row = held.accounts.get(accountId);
        if (row == null) {
            load(held, "a.institution_id = any (array(select institution_id from alert_account where account_id = any (?))) "
                    + "and not (a.institution_id = any (?))", ProcessorBatch.accountsToRead(accountId, held.accounts.keySet()),
                    held.institutions.keySet().toArray(String[]::new));
            row = held.accounts.get(accountId);
        }
        return Optional.ofNullable(row);
    }

    /** The institution of a row the batch holds. */
    Institution institution(Row row) {
        return BatchMemory.of(this, Held::new).institutions.get(row.institutionId);
    }

    /** A row was just inserted: an institution the batch holds has it too. */
    void opened(String accountId, String institutionId) {
        Held held = BatchMemory.of(this, Held::new);
        if (held.institutions.containsKey(institutionId) && !held.accounts.containsKey(accountId)) {
            load(held, "a.account_id = ?", accountId);
        }
    }

    /** Windows of these scopes (the account's own, or its institution's as one) are kept now. */
    void windowsKept(Row row, Collection<String> scopes) {
        row.windowsKept |= scopes.contains(row.accountId);
        institution(row).windowsKept |= scopes.contains(row.institutionId);
    }

    /** The row has changed: it is written with the batch. */
    void changed(Row row) {
        changed.add(row);
    }

    private static final String LOAD = "select a.*, " + AlertProjection.THRESHOLDS_OF.formatted("a") + " alert_thresholds, "
            + "exists (select 1 from alert_window k where k.account_id = a.account_id) account_windows, "
            + "exists (select 1 from alert_window k where k.account_id = a.institution_id) institution_windows, "
            + "array(select w.after_sequence from alert_sweep w where w.account_id = a.account_id "
            + "and w.after_sequence > a.last_sequence union select d.after_sequence from alert_dispute_sweep d "
            + "where d.account_id = a.account_id and d.after_sequence > a.last_sequence) swept_after "
            + "from alert_account a where ";

    private void load(Held held, String where, Object... args) {
        jdbc.query(LOAD + where, (ResultSet rs) -> {
            Row row = new Row(rs);
            Institution institution = held.institutions.computeIfAbsent(row.institutionId, id -> new Institution());
            institution.rows.add(row);
            institution.windowsKept |= rs.getBoolean("institution_windows");
            held.accounts.put(row.accountId, row);
        }, args);
    }

    private static final String WRITE = "update alert_account a set balance_fen = v.balance_fen, "
            + "liability_fen = v.liability_fen, minimum_balance_fen = v.minimum_balance_fen, "
            + "liability_ratio_bp = v.liability_ratio_bp, large_threshold_fen = v.large_threshold_fen, "
            + "rapid_drain_24h_bp = v.rapid_drain_24h_bp, rapid_drain_7d_bp = v.rapid_drain_7d_bp, "
            + "last_sequence = v.last_sequence, first_deposit_at = v.first_deposit_at, "
            + "latest_window_end_at = v.latest_window_end_at from unnest(?::varchar[], ?::bigint[], ?::bigint[], "
            + "?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], "
            + "?::varchar[]::timestamptz[], ?::varchar[]::timestamptz[]) as v (account_id, balance_fen, liability_fen, "
            + "minimum_balance_fen, liability_ratio_bp, large_threshold_fen, rapid_drain_24h_bp, rapid_drain_7d_bp, "
            + "last_sequence, first_deposit_at, latest_window_end_at) where a.account_id = v.account_id";

    /** Each changed row once, as it is now. */
    private void write(List<Row> rows) {
        jdbc.update(WRITE, ProcessorBatch.columns(rows)
                .of("varchar", row -> row.accountId)
                .of("bigint", row -> row.balanceFen)
                .of("bigint", row -> row.liabilityFen)
                .of("bigint", row -> row.minimumBalanceFen)
                .of("bigint", row -> row.liabilityRatioBp)
                .of("bigint", row -> row.largeThresholdFen)
                .of("bigint", row -> row.rapidDrain24hBp)
                .of("bigint", row -> row.rapidDrain7dBp)
                .of("bigint", row -> row.lastSequence)
                .of("varchar", row -> text(row.firstDepositAt))
                .of("varchar", row -> text(row.latestWindowEndAt)).setter());
    }

    private static String text(Instant stored) {
        return stored == null ? null : stored.toString();
    }
}
