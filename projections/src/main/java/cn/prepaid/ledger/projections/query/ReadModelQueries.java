package cn.prepaid.ledger.projections.query;

import cn.prepaid.ledger.core.money.Money;
import cn.prepaid.ledger.core.policy.SupervisionMode;
import cn.prepaid.ledger.core.policy.SupervisionPolicy;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads of the read-model tables. Scope filters are part of every list query: a region prefix for
 * regulators ("" sees all), a bank code for banks (only institutions they hold an account of).
 */
@Component
public class ReadModelQueries {

    /** Who is asking, as far as lists are concerned: null fields mean no restriction. */
    public record Viewer(String regionPrefix, String bankCode) {
        public static final Viewer EVERYTHING = new Viewer(null, null);
    }

    private static final String ACCOUNT_COLUMNS = "account_id, institution_id, region_code, bank_code, "
            + "bank_account_no, supervision_mode, minimum_balance_fen, liability_ratio_bp, balance_fen, liability_fen, "
            + "consumed_value_fen, released_fen, held_release_fen, reserved_fen, frozen, order_count, last_sequence, "
            + "(select sum(o.liability_fen) from account_view o where o.institution_id = a.institution_id) "
            + "as institution_liability_fen, "
            + "(select count(*) from account_view o where o.institution_id = a.institution_id) as institution_accounts";

    private final JdbcTemplate jdbc;
    private final AlertQueries alerts;

    public ReadModelQueries(JdbcTemplate jdbc, AlertQueries alerts) {
        this.jdbc = jdbc;
        this.alerts = alerts;
    }

    public Optional<AccountSummary> account(String accountId) {
        return jdbc.query("select " + ACCOUNT_COLUMNS +  " from account_view a where account_id = ?",
                (rs, n) -> account(rs), accountId).stream().findFirst();
    }

    public List<AccountSummary> accountsOf(String institutionId) {
        return jdbc.query("select " + ACCOUNT_COLUMNS +  " from account_view a where institution_id = ? "
                + "order by opened_at, account_id", (rs, n) -> account(rs), institutionId);
    }

    public Optional<InstitutionSummary> institution(String institutionId) {
        return jdbc.query("select * from institution_view where institution_id = ?", (rs, n) -> institution(rs),
                institutionId).stream().findFirst();
    }

    public Page<InstitutionSummary> institutions(Viewer viewer, String regionCode, String status, String riskLevel,
                                                 int page, int size) {
        StringBuilder where = new StringBuilder(" where true");
        List<Object> args = new ArrayList<>();
        if (viewer.regionPrefix() != null && !viewer.regionPrefix().isEmpty()) {
            where.append(" and i.region_code like ?");
            args.add(viewer.regionPrefix() + "%");
        }
        if (viewer.bankCode() != null) {
            where.append(" and exists (select 1 from account_view a where a.institution_id = i.institution_id "
                    + "and a.bank_code = ?)");
            args.add(viewer.bankCode());
        }
        if (regionCode != null) {
            where.append(" and i.region_code like ?");
            args.add(regionCode + "%");
        }
        if (status != null) {
            where.append(" and i.status = ?");
            args.add(status);
        }
        if (riskLevel != null) {
            where.append(" and ").append(AlertQueries.riskLevelSql("i.institution_id")).append(" = ?");
            args.add(riskLevel);
        }
        return Page.read(jdbc, "select i.* from institution_view i" + where, "institution_id",
                "select count(*) from institution_view i" + where, args, page, size, this::institution);
    }

    public Page<HeldOutflowSummary> heldOutflows(Viewer viewer, String status, int page, int size) {
        StringBuilder where = new StringBuilder(" where true");
        List<Object> args = new ArrayList<>();
        if (viewer.regionPrefix() != null && !viewer.regionPrefix().isEmpty()) {
            where.append(" and a.region_code like ?");
            args.add(viewer.regionPrefix() + "%");
        }
        if (status != null) {
            where.append(" and h.status = ?");
            args.add(status);
        }
        String from = " from held_outflow_view h join account_view a on a.account_id = h.account_id";
        return Page.read(jdbc, "select h.held_outflow_id, h.account_id, a.institution_id, a.region_code, h.type, "
                        + "h.amount_fen, h.bank_txn_id, h.held_at, h.status" + from + where,
                "held_at, held_outflow_id", "select count(*)" + from + where, args, page, size,
                rs -> new HeldOutflowSummary(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), Money.ofFen(rs.getLong(6)), rs.getString(7), rs.getTimestamp(8).toInstant(),
                        rs.getString(9)));
    }

    private InstitutionSummary institution(ResultSet rs) throws SQLException {
        String id = rs.getString("institution_id");
        List<AccountSummary> accounts = accountsOf(id);
        long balance = 0;
        long liability = 0;
        for (AccountSummary account : accounts) {
            balance += account.balance().fen();
            liability += account.outstandingLiability().fen();
        }
        Money floor = SupervisionPolicy.floor(rs.getLong("minimum_balance_fen"), rs.getLong("liability_ratio_bp"),
                Money.ofFen(liability));
        long[] open = alerts.openAlertCounts(id);
        return new InstitutionSummary(id, rs.getString("name"), rs.getString("region_code"),
                rs.getString("category"), rs.getString("supervision_mode"), rs.getString("status"),
                Money.ofFen(rs.getLong("minimum_balance_fen")), rs.getLong("liability_ratio_bp"),
                Money.ofFen(rs.getLong("large_threshold_fen")), rs.getLong("large_ratio_bp"),
                Money.ofFen(rs.getLong("large_ratio_from_fen")),
                accounts.stream().map(AccountSummary::accountId).toList(), Money.ofFen(balance),
                Money.ofFen(liability), floor, AlertQueries.riskLevel(open[0], open[1]),
                (int) (open[0] + open[1]), rs.getLong("last_sequence"));
    }

    /**
     * The floor is the institution's ({@code SupervisionPolicy.floor} over the unearned tuition of all its
     * accounts); an account answers its share of it ({@code SupervisionPolicy.floorShare}). Releasable
     * under full custody is earned-but-unreleased value (held releases excluded), under risk reserve
     * what lies above the account's share of the floor.
     */
    private static AccountSummary account(ResultSet rs) throws SQLException {
        Money balance = Money.ofFen(rs.getLong("balance_fen"));
        Money liability = Money.ofFen(rs.getLong("liability_fen"));
        long institutionLiability = rs.getLong("institution_liability_fen");
        Money institutionFloor = SupervisionPolicy.floor(rs.getLong("minimum_balance_fen"),
                rs.getLong("liability_ratio_bp"), Money.ofFen(institutionLiability));
        Money floor = SupervisionPolicy.floorShare(institutionFloor, liability.fen(), institutionLiability,
                rs.getInt("institution_accounts"));
        long releasable = SupervisionMode.valueOf(rs.getString("supervision_mode")) == SupervisionMode.RISK_RESERVE
                ? Math.max(0, balance.fen() - rs.getLong("reserved_fen") - floor.fen())
                : rs.getLong("consumed_value_fen") - rs.getLong("released_fen") - rs.getLong("held_release_fen");
        return new AccountSummary(rs.getString("account_id"), rs.getString("institution_id"),
                rs.getString("region_code"), rs.getString("bank_code"), rs.getString("bank_account_no"), balance,
                floor, Money.ofFen(releasable), liability, rs.getBoolean("frozen"), rs.getInt("order_count"),
                rs.getLong("last_sequence"));
    }
}
