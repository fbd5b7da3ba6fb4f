package cn.prepaid.ledger.api.alerts;

import cn.prepaid.ledger.api.support.LedgerIntegrationTest;
import cn.prepaid.ledger.projections.alerts.JdbcActivityHistory;
import cn.prepaid.ledger.store.support.TestLedger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The alert rules' reads of {@code alert_activity} run as prepared statements, on PostgreSQL's generic plan.
 * That plan once took the time index for reads by kind and filtered the kinds afterwards, reading every fact
 * of each account in the window: each read by kind must use the index with the kind, and only the balance
 * (no kind) the index by time. Checked on an institution whose accounts hold many facts at one time, as a
 * bank batch leaves them; the facts are added in a transaction that is rolled back.
 */
@LedgerIntegrationTest
class AlertActivityPlansTest {

    private static final String KIND_INDEX = "alert_activity_kind_time";
    private static final String MONEY_INDEX = "alert_activity_money";

    private static final String ACCOUNTS = "insert into alert_account (account_id, institution_id, region_code, "
            + "minimum_balance_fen, liability_ratio_bp, large_threshold_fen, rapid_drain_24h_bp, rapid_drain_7d_bp, "
            + "last_sequence) select ? || '-' || a, ?, '330106', 0, 2000, 5000000, 3000, 6000, 0 "
            + "from generate_series(1, 20) a";
    /** Per account 400 deposits at one time, and a consumption and a refund a day later. */
    private static final String FACTS = "insert into alert_activity (account_id, sequence, occurred_at, kind, "
            + "amount_fen, signed_fen) select a.account_id, n, timestamptz '2026-09-01 09:00:00+08' "
            + "+ case when n <= 400 then interval '0' else interval '1 day' end, "
            + "case when n <= 400 then 'DEPOSIT' when n = 401 then 'CONSUMPTION' else 'REFUND' end, 10000, "
            + "case when n <= 400 then 10000 when n = 401 then 0 else -10000 end "
            + "from alert_account a cross join generate_series(1, 402) n where a.institution_id = ?";

    @Autowired
    DataSource dataSource;

    @Test
    void everyReadByKindUsesTheIndexWithTheKindAndOnlyTheBalanceTheIndexByTime() throws SQLException {
        String institution = TestLedger.newInstitutionId().value();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                update(connection, ACCOUNTS, institution, institution);
                update(connection, FACTS, institution);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("analyze alert_account, alert_activity");
                    statement.execute("set local plan_cache_mode = force_generic_plan");
                }
                for (JdbcActivityHistory.Statements scope : List.of(JdbcActivityHistory.OF_ACCOUNT,
                        JdbcActivityHistory.OF_INSTITUTION)) {
                    for (String byKind : List.of(scope.between(), scope.latest(), scope.earliest())) {
                        assertThat(genericPlan(connection, byKind)).as(byKind)
                                .contains(KIND_INDEX).doesNotContain(MONEY_INDEX);
                    }
                    assertThat(genericPlan(connection, scope.balanceAt())).as(scope.balanceAt())
                            .doesNotContain(KIND_INDEX);
                }
                // an institution's balance reads most of this small table and may scan it; an account's uses the index
                assertThat(genericPlan(connection, JdbcActivityHistory.OF_ACCOUNT.balanceAt())).contains(MONEY_INDEX);
                assertThat(genericPlan(connection, JdbcActivityHistory.ACCOUNTS_WITH_ACTIVITY))
                        .contains(KIND_INDEX).doesNotContain(MONEY_INDEX);
            } finally {
                if (!connection.isClosed()) {
                    connection.rollback();
                }
            }
        }
    }

    private static void update(Connection connection, String sql, String... values) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                statement.setString(i + 1, values[i]);
            }
            assertThat(statement.executeUpdate()).isPositive();
        }
    }

    /** The plan PostgreSQL keeps for the statement once prepared, whatever its parameters. */
    private static String genericPlan(Connection connection, String sql) throws SQLException {
        StringBuilder numbered = new StringBuilder();
        List<String> noValues = new ArrayList<>();
        for (char c : sql.toCharArray()) {
            if (c == '?') {
                noValues.add("null");
                numbered.append('$').append(noValues.size());
            } else {
                numbered.append(c);
            }
        }
        List<String> lines = new ArrayList<>();
        try (Statement statement = connection.createStatement()) {
            statement.execute("prepare read_of_history as " + numbered);
            try (ResultSet plan = statement.executeQuery("explain execute read_of_history("
                    + String.join(", ", noValues) + ")")) {
                while (plan.next()) {
                    lines.add(plan.getString(1));
                }
            }
            statement.execute("deallocate read_of_history");
        }
        return String.join("\n", lines);
    }
}
