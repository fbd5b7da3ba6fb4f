package cn.prepaid.ledger.projections.query;

import cn.prepaid.ledger.core.money.Money;
import cn.prepaid.ledger.core.policy.SupervisionMode;
import cn.prepaid.ledger.core.policy.SupervisionPolicy;
import cn.prepaid.ledger.projections.readmodel.InstitutionAlertThresholds;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads of the read-model tables. Scope filters are part of every list query: a region prefix for
 * regulators ("" sees all), a bank code for banks (only institutions they hold an account of).
 */
@Component
public class ReadModelQueries {

    /** Who is asking, as far as lists are concerned: null fields mean no restriction. */
    /**
     * What a principal may see in lists: institutions in a region (prefix of the region code), those
     * holding accounts at a bank, and/or named institutions. With both a region and named institutions, an
     * institution in either is seen; with neither (and no bank), everything.
     */
    public record Viewer(String regionPrefix, String bankCode, List<String> institutions) {
        public static final Viewer EVERYTHING = new Viewer(null, null);

        public Viewer {
            institutions = institutions == null ? List.of() : List.copyOf(institutions);
        }

        public Viewer(String regionPrefix, String bankCode) {
            this(regionPrefix, bankCode, List.of());
        }

        /** Appends the viewer's region and institution limits on the given columns. */
        void limit(StringBuilder where, List<Object> args, String institutionColumn, String regionColumn) {
            boolean byRegion = regionPrefix != null && !regionPrefix.isEmpty();
            if (institutions.isEmpty()) {
                if (byRegion) {
                    where.append(" and ").append(regionColumn).append(" like ?");
                    args.add(regionPrefix + "%");
                }
                return;
            }
            where.append(" and (").append(institutionColumn).append(" in (")
                    .append(String.join(", ", Collections.nCopies(institutions.size(), "?"))).append(")");
            args.addAll(institutions);
            if (regionPrefix != null) {
                where.append(" or ").append(regionColumn).append(" like ?");
                args.add(regionPrefix + "%");
            }
            where.append(")");
        }
    }

    private static final String ACCOUNT_COLUMNS = "account_id, institution_id, region_code, bank_code, "
            + "bank_account_no, supervision_mode, minimum_balance_fen, liability_ratio_bp, balance_fen, liability_fen, "
            + "consumed_value_fen, released_fen, held_release_fen, reserved_fen, frozen, order_count, last_sequence, "
            + "(select sum(o.liability_fen) from account_view o where o.institution_id = a.institution_id) "
            + "as institution_liability_fen, "
            + "(select count(*) from account_view o where o.institution_id = a.institution_id) as institution_accounts";

    /** Open RED and YELLOW alerts per institution, computed once per row for ranking. */
    private static final String OPEN_ALERT_COUNTS = " left join lateral (select "
            + "count(*) filter (where a.grade = 'RED') as red, count(*) filter (where a.grade = 'YELLOW') as yellow "
            + "from alert a where a.institution_id = i.institution_id and a.status in ('OPEN', 'ACKNOWLEDGED')) o on true";
    /**
     * The risk levels of AlertQueries.riskLevel as ranks, riskiest first; then more reds, more yellows. By
     * the page's column names (red, yellow from OPEN_ALERT_COUNTS).
     */
    private static final String RISK_ORDER = "case when red >= 2 then 3 when red = 1 or yellow >= 3 "
            + "then 2 when yellow > 0 then 1 else 0 end desc, red desc, yellow desc, institution_id";

    private static final String ORDERS_OF_ACCOUNT = "select order_id, student_ref, lessons, lesson_price_fen, "
            + "paid_fen, course_start, course_end, lessons_consumed, released_fen, refunded_fen, deposited_at "
            + "from order_view where account_id = ? order by deposited_at desc, order_id limit ? offset ?";
    private static final String HELD_COLUMNS = "select h.held_outflow_id, h.account_id, a.institution_id, "
            + "a.region_code, a.bank_code, h.type, h.amount_fen, h.bank_txn_id, h.held_at, h.status, h.decided_at, "
            + "h.decided_by, h.decision_note, h.posting_id";
    private static final String HELD_FROM = " from held_outflow_view h join account_view a on a.account_id = h.account_id";

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

    /**
     * What a list of institutions is narrowed to: region prefix, status, risk level, a search by name
     * (any part, any case) or credit code (its start); {@code byRisk} ranks the riskiest first instead
     * of ordering by credit code.
     */
    public record InstitutionFilter(String regionCode, String status, String riskLevel, String search,
                                    boolean byRisk) {
    }

    public Page<InstitutionSummary> institutions(Viewer viewer, InstitutionFilter filter, int page, int size) {
        StringBuilder where = new StringBuilder(" where true");
        List<Object> args = new ArrayList<>();
        viewer.limit(where, args, "i.institution_id", "i.region_code");
        if (viewer.bankCode() != null) {
            where.append(" and exists (select 1 from account_view a where a.institution_id = i.institution_id "
                    + "and a.bank_code = ?)");
            args.add(viewer.bankCode());
        }
        if (filter.regionCode() != null) {
            where.append(" and i.region_code like ?");
            args.add(filter.regionCode() + "%");
        }
        if (filter.status() != null) {
            where.append(" and i.status = ?");
            args.add(filter.status());
        }
        if (filter.riskLevel() != null) {
            where.append(" and ").append(AlertQueries.riskLevelSql("i.institution_id")).append(" = ?");
            args.add(filter.riskLevel());
        }
        if (filter.search() != null) {
            String literal = filter.search().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
            where.append(" and (i.name ilike ? or i.institution_id like ?)");
            args.add("%" + literal + "%");
            args.add(literal.toUpperCase(Locale.ROOT) + "%");
        }
        if (filter.byRisk()) {
            return Page.read(jdbc, "select i.*, o.red, o.yellow from institution_view i" + OPEN_ALERT_COUNTS + where,
                    RISK_ORDER, "select count(*) from institution_view i" + where, args, page, size,
                    this::institution);
        }
        return Page.read(jdbc, "select i.* from institution_view i" + where, "institution_id",
                "select count(*) from institution_view i" + where, args, page, size, this::institution);
    }

    /** An account's orders, newest deposit first. */
    public Page<OrderSummary> ordersOf(String accountId, int page, int size) {
        long total = jdbc.queryForObject("select count(*) from order_view where account_id = ?", Long.class,
                accountId);
        List<OrderSummary> content = jdbc.query(ORDERS_OF_ACCOUNT, (rs, n) -> new OrderSummary(rs.getString(1),
                rs.getString(2), rs.getInt(3), Money.ofFen(rs.getLong(4)), Money.ofFen(rs.getLong(5)),
                rs.getDate(6).toLocalDate(), rs.getDate(7).toLocalDate(), rs.getInt(8), Money.ofFen(rs.getLong(9)),
                Money.ofFen(rs.getLong(10)), rs.getTimestamp(11).toInstant()), accountId, size, (long) page * size);
        return new Page<>(content, page, size, total);
    }

    /**
     * Held outflows the viewer may see (a regulator's region, a bank's own accounts), oldest first;
     * optionally one status and one institution.
     */
    public Page<HeldOutflowSummary> heldOutflows(Viewer viewer, String status, String institutionId, int page,
                                                 int size) {
        StringBuilder where = new StringBuilder(" where true");
        List<Object> args = new ArrayList<>();
        viewer.limit(where, args, "a.institution_id", "a.region_code");
        if (viewer.bankCode() != null) {
            where.append(" and a.bank_code = ?");
            args.add(viewer.bankCode());
        }
        if (status != null) {
            where.append(" and h.status = ?");
            args.add(status);
        }
        if (institutionId != null) {
            where.append(" and a.institution_id = ?");
            args.add(institutionId);
        }
        return Page.read(jdbc, HELD_COLUMNS + HELD_FROM + where, "held_at, held_outflow_id",
                "select count(*)" + HELD_FROM + where, args, page, size, ReadModelQueries::heldOutflow);
    }

    public Optional<HeldOutflowSummary> heldOutflow(String heldOutflowId) {
        return jdbc.query(HELD_COLUMNS + HELD_FROM + " where h.held_outflow_id = ?", (rs, n) -> heldOutflow(rs),
                heldOutflowId).stream().findFirst();
    }

    /**
     * A closed institution's refund obligations, by account and order; only those on accounts held at
     * {@code bankCode} when it is not null (a bank sees what it must pay out, not another bank's share).
     */
    public Page<RefundObligationSummary> refundObligations(String institutionId, String bankCode, int page, int size) {
        String where = " from refund_obligation_view r join account_view a on a.account_id = r.account_id "
                + "where r.institution_id = ? and (cast(? as varchar) is null or a.bank_code = ?)";
        // a bank code of null (every bank) must stay a bind parameter, which List.of refuses
        List<Object> args = Arrays.asList(institutionId, bankCode, bankCode);
        return Page.read(jdbc, "select r.account_id, r.order_id, r.student_ref, r.amount_fen, r.paid_fen, "
                        + "r.established_at" + where, "account_id, order_id", "select count(*)" + where,
                args, page, size,
                rs -> new RefundObligationSummary(rs.getString(1), rs.getString(2), rs.getString(3),
                        Money.ofFen(rs.getLong(4)), Money.ofFen(rs.getLong(5)), rs.getTimestamp(6).toInstant()));
    }

    private static HeldOutflowSummary heldOutflow(ResultSet rs) throws SQLException {
        Timestamp decidedAt = rs.getTimestamp(11);
        return new HeldOutflowSummary(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), Money.ofFen(rs.getLong(7)), rs.getString(8),
                rs.getTimestamp(9).toInstant(), rs.getString(10), decidedAt == null ? null : decidedAt.toInstant(),
                rs.getString(12), rs.getString(13), rs.getString(14));
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
                (int) (open[0] + open[1]), rs.getLong("last_sequence"),
                InstitutionAlertThresholds.read(rs.getString("alert_thresholds")));
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
