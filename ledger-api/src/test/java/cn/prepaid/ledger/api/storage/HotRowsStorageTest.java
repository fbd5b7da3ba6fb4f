package cn.prepaid.ledger.api.storage;

import cn.prepaid.ledger.api.support.LedgerIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tables whose rows are updated again and again (one row per account updated by each of its events, and
 * each posting's idempotency record, inserted and then given its outcome) leave room in their pages for the
 * next version of a row, so an update stays on its page and adds no index entry (measured in
 * docs/benchmarks.md: without it, 40 accounts held 30,000 dead versions after a 90 s batch run).
 */
@LedgerIntegrationTest
class HotRowsStorageTest {

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void rowsUpdatedByEveryEventLeaveThreeQuartersOfTheirPagesFreeAndIdempotencyRecordsHalf() {
        for (String table : List.of("alert_account", "account_view", "institution_view")) {
            assertThat(options(table)).as(table).contains("fillfactor=25", "autovacuum_vacuum_scale_factor=0",
                    "autovacuum_vacuum_threshold=1000");
        }
        assertThat(options("idempotency_record")).containsExactly("fillfactor=50");
    }

    @Test
    void anAccountsAlertRowHoldsNoThresholdsTheyAreKeptApart() {
        List<String> columns = jdbc.queryForList("select column_name from information_schema.columns "
                + "where table_schema = 'public' and table_name = 'alert_account'", String.class);
        // 339 of the 483 bytes of every version of the row were the thresholds' JSON
        assertThat(columns).contains("balance_fen", "last_sequence").doesNotContain("alert_thresholds");
        assertThat(jdbc.queryForList("select column_name from information_schema.columns where table_schema = "
                + "'public' and table_name = 'alert_account_thresholds' order by column_name", String.class))
                .containsExactly("account_id", "alert_thresholds");
    }

    private List<String> options(String table) {
        return jdbc.queryForList("select unnest(reloptions) from pg_class where relname = ? "
                + "and relnamespace = 'public'::regnamespace", String.class, table);
    }
}
