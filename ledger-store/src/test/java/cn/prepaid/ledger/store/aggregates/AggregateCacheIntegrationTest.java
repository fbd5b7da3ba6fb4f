package cn.prepaid.ledger.store.aggregates;

import cn.prepaid.ledger.core.account.EscrowAccount;
import cn.prepaid.ledger.core.account.PostingOutcome;
import cn.prepaid.ledger.core.ids.AccountId;
import cn.prepaid.ledger.core.supervision.SupervisionService;
import cn.prepaid.ledger.store.commands.ApplyPostingBatch.ItemOutcome;
import cn.prepaid.ledger.store.commands.ApplyPostingBatch;
import cn.prepaid.ledger.store.commands.CommandDispatcher;
import cn.prepaid.ledger.store.support.HeldAggregateLock;
import cn.prepaid.ledger.store.support.StoreIntegrationTest;
import cn.prepaid.ledger.store.support.TestLedger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** A cached aggregate is never decided on in a state the event store does not bear out. */
@StoreIntegrationTest
class AggregateCacheIntegrationTest {

    @Autowired
    CommandDispatcher dispatcher;
    @Autowired
    SupervisionService supervision;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    PlatformTransactionManager transactions;
    @Autowired
    DataSource dataSource;
    @Autowired
    AggregateStateReader reader;
    TestLedger ledger;

    @BeforeEach
    void setUp() {
        ledger = new TestLedger(dispatcher, supervision, jdbc);
    }

    @Test
    void aCachedCopyChangedByATransactionThatWasThenUndoneIsLoadedAfreshFromTheStore() {
        AccountId account = ledger.activeAccount();
        dispatcher.dispatch(TestLedger.interest(account, TestLedger.unique("KEPT"), "1.00"));
        long events = ledger.eventCount(account.value());

        // The command's unit of work ends well and leaves its change in the cached copy; the enclosing
        // transaction, which several commands share, is then rolled back, and the change never stored.
        assertThatThrownBy(() -> new TransactionTemplate(transactions).executeWithoutResult(status -> {
            dispatcher.dispatch(TestLedger.interest(account, TestLedger.unique("UNDONE"), "50.00"));
            throw new IllegalStateException("a later command of the same transaction failed");
        })).hasMessageContaining("later command");
        PostingOutcome next = dispatcher.<PostingOutcome>dispatch(
                TestLedger.interest(account, TestLedger.unique("NEXT"), "2.00")).payload();

        assertThat(next.balanceFen()).as("decided on the stored state: 1.00 + 2.00").isEqualTo(300L);
        assertThat(ledger.eventCount(account.value())).isEqualTo(events + 1);
        assertThat(jdbc.queryForObject("select max(sequence_number) + 1 = count(*) from domain_event_entry "
                + "where aggregate_identifier = ?", Boolean.class, account.value()))
                .as("sequence numbers without a gap").isTrue();
    }

    @Test
    void aBatchThatLocksItsAccountsInOneStatementStillLoadsACopyAheadOfTheStoreAfresh() {
        AccountId account = ledger.activeAccount();
        AccountId other = ledger.activeAccount();
        dispatcher.dispatch(TestLedger.interest(account, TestLedger.unique("KEPT"), "1.00"));
        assertThatThrownBy(() -> new TransactionTemplate(transactions).executeWithoutResult(status -> {
            dispatcher.dispatch(TestLedger.interest(account, TestLedger.unique("UNDONE"), "50.00"));
            throw new IllegalStateException("a later command of the same transaction failed");
        })).hasMessageContaining("later command");

        List<ItemOutcome> outcomes = dispatcher.<List<ItemOutcome>>dispatch(new ApplyPostingBatch(List.of(
                TestLedger.interest(account, TestLedger.unique("NEXT"), "2.00"),
                TestLedger.interest(other, TestLedger.unique("NEXT"), "3.00")))).payload();

        assertThat(outcomes).extracting(item -> item.outcome().balanceFen())
                .as("decided on the stored state: 1.00 + 2.00, and 3.00").containsExactly(300L, 300L);
        assertThat(jdbc.queryForObject("select max(sequence_number) + 1 = count(*) from domain_event_entry "
                + "where aggregate_identifier = ?", Boolean.class, account.value()))
                .as("sequence numbers without a gap").isTrue();
    }

    @Test
    void aBatchWaitsForTheLockOfEachOfItsAccountsThatAnotherTransactionHolds() throws Exception {
        AccountId first = ledger.activeAccount();
        AccountId second = ledger.activeAccount();
        CompletableFuture<List<ItemOutcome>> batch;
        try (HeldAggregateLock held = HeldAggregateLock.on(dataSource, second.value())) {
            batch = CompletableFuture.supplyAsync(() -> dispatcher.<List<ItemOutcome>>dispatch(new ApplyPostingBatch(
                    List.of(TestLedger.interest(first, TestLedger.unique("W"), "1.00"),
                            TestLedger.interest(second, TestLedger.unique("W"), "1.00")))).payload());
            await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject(
                    "select count(*) from pg_locks where locktype = 'advisory' and not granted", Integer.class) > 0);
            assertThat(batch).isNotDone();
        }
        assertThat(batch.get(10, TimeUnit.SECONDS)).extracting(item -> item.outcome().balanceFen())
                .containsExactly(100L, 100L);
    }

    /**
     * The lock across nodes comes before the lock in this JVM: a command waiting for an account that another
     * node holds does not hold it here meanwhile, so whatever takes the JVM lock alone (a read for an answer)
     * is not held up, and a batch holding the database locks of its accounts cannot wait for a JVM lock held by
     * a command that waits for one of them.
     */
    @Test
    void aCommandWaitingForAnAccountAnotherNodeHoldsDoesNotHoldItInThisJvm() throws Exception {
        AccountId account = ledger.activeAccount();
        CompletableFuture<PostingOutcome> posting;
        try (HeldAggregateLock held = HeldAggregateLock.on(dataSource, account.value())) {
            posting = CompletableFuture.supplyAsync(() -> dispatcher.<PostingOutcome>dispatch(
                    TestLedger.interest(account, TestLedger.unique("WAITS"), "1.00")).payload());
            await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject(
                    "select count(*) from pg_locks where locktype = 'advisory' and not granted", Integer.class) > 0);

            CompletableFuture<Long> read = CompletableFuture.supplyAsync(() ->
                    reader.account(account, state -> state.balance().fen()).orElseThrow());
            assertThat(read.get(5, TimeUnit.SECONDS)).as("read while the posting waits").isZero();
            assertThat(posting).isNotDone();
        }
        assertThat(posting.get(10, TimeUnit.SECONDS).balanceFen()).isEqualTo(100L);
    }
}
