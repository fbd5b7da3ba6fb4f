package cn.prepaid.ledger.store.aggregates;

import cn.prepaid.ledger.core.account.PostingOutcome;
import cn.prepaid.ledger.core.ids.AccountId;
import cn.prepaid.ledger.core.supervision.SupervisionService;
import cn.prepaid.ledger.store.commands.CommandDispatcher;
import cn.prepaid.ledger.store.support.StoreIntegrationTest;
import cn.prepaid.ledger.store.support.TestLedger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
}
