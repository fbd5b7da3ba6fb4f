package cn.prepaid.ledger.store.audit;

import cn.prepaid.ledger.core.ids.AccountId;
import cn.prepaid.ledger.core.supervision.SupervisionService;
import cn.prepaid.ledger.store.commands.CommandDispatcher;
import cn.prepaid.ledger.store.support.StoreIntegrationTest;
import cn.prepaid.ledger.store.support.TestLedger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

import java.util.List;
import java.util.Map;

import static cn.prepaid.ledger.store.events.StoreSchema.CHECKPOINTS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The next checkpoint of an account starts from the state this process wrote for the previous one,
 * without reading it back, and writes exactly what starting from the stored one writes.
 */
@StoreIntegrationTest
class BalanceCheckpointsHandOverTest {

    private static final int EVERY = 5;

    @Autowired
    CommandDispatcher dispatcher;
    @Autowired
    SupervisionService supervision;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    AccountReplay replay;
    @Autowired
    PlatformTransactionManager transactions;

    @Test
    void checkpointsWrittenFromTheStateAtHandAreTheOnesWrittenFromTheStoredState() {
        AccountId account = new TestLedger(dispatcher, supervision, jdbc).activeAccount();
        for (int i = 0; i < 3 * EVERY - 1; i++) { // with the opening: events 0..14
            dispatcher.dispatch(TestLedger.deposit(account, TestLedger.unique("TXN"), 10, "80.00"));
        }

        BalanceCheckpoints handingOver = new BalanceCheckpoints(jdbc, replay, transactions, EVERY);
        handingOver.writeThrough(account.value(), EVERY - 1);
        handingOver.writeThrough(account.value(), 2 * EVERY - 1);
        handingOver.writeThrough(account.value(), 3 * EVERY - 1);
        assertThat(handingOver.restoredStates()).as("states read back").isZero();
        List<Map<String, Object>> handedOver = checkpoints(account);
        assertThat(handedOver).extracting(row -> row.get("sequence_number")).containsExactly(4L, 9L, 14L);

        // the same two checkpoints again, each started from the stored state before it
        jdbc.update("delete from " + CHECKPOINTS + " where account_id = ? and sequence_number > ?", account.value(),
                EVERY - 1);
        BalanceCheckpoints fresh = new BalanceCheckpoints(jdbc, replay, transactions, EVERY);
        fresh.writeThrough(account.value(), 2 * EVERY - 1);
        BalanceCheckpoints another = new BalanceCheckpoints(jdbc, replay, transactions, EVERY);
        another.writeThrough(account.value(), 3 * EVERY - 1);
        assertThat(fresh.restoredStates() + another.restoredStates()).isEqualTo(2);

        List<Map<String, Object>> fromStored = checkpoints(account);
        assertThat(fromStored).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(fromStored.get(i)).usingRecursiveComparison().isEqualTo(handedOver.get(i));
        }
    }

    private List<Map<String, Object>> checkpoints(AccountId account) {
        return jdbc.queryForList("select sequence_number, events_counted, max_occurred_at, max_recorded_at, state_type, "
                + "state_revision, state from " + CHECKPOINTS + " where account_id = ? order by sequence_number",
                account.value());
    }
}
