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

    private List<String> options(String table) {
        return jdbc.queryForList("select unnest(reloptions) from pg_class where relname = ? "
                + "and relnamespace = 'public'::regnamespace", String.class, table);
    }
}
