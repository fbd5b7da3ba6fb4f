package cn.prepaid.ledger.store.aggregates;

import cn.prepaid.ledger.core.account.EscrowAccount;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.InterestCredited;
import cn.prepaid.ledger.core.account.PostingOutcome;
import cn.prepaid.ledger.core.ids.AccountId;
import cn.prepaid.ledger.core.supervision.SupervisionService;
import cn.prepaid.ledger.store.commands.CommandDispatcher;
import cn.prepaid.ledger.store.support.StoreIntegrationTest;
import cn.prepaid.ledger.store.support.TestLedger;
import org.awaitility.Awaitility;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Accounts live for years of postings: loading one reads its latest snapshot, not its whole stream. */
@StoreIntegrationTest
class SnapshotIntegrationTest {

    static final int HISTORY = 10_000;

    @Autowired
    CommandDispatcher dispatcher;
    @Autowired
    SupervisionService supervision;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    EventStorageEngine storageEngine;
    @Autowired
    EventStore eventStore;
    @Autowired
    VersionCheckedAggregateCache cache;

    @Test
    void anAccountWithTenThousandEventsLoadsFromItsSnapshot() {
        AccountId account = new TestLedger(dispatcher, supervision, jdbc).activeAccount();
        appendInterestHistory(account, HISTORY - 1); // + the opening event = 10,000 events
        assertThat(new TestLedger(dispatcher, supervision, jdbc).eventCount(account.value())).isEqualTo(HISTORY);

        // The first load after that history replays all of it and schedules a snapshot when it commits,
        // taken on the snapshot thread, not the command's.
        cache.removeAll();
        dispatcher.dispatch(TestLedger.interest(account, "after-history-1", "1.00"));

        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(jdbc.queryForObject(
                "select max(sequence_number) from snapshot_event_entry where aggregate_identifier = ?",
                Long.class, account.value())).isEqualTo((long) HISTORY));

        // What a load reads now: the snapshot and nothing older.
        DomainEventStream stream = eventStore.readEvents(account.value());
        List<DomainEventMessage<?>> read = new ArrayList<>();
        stream.forEachRemaining(read::add);
        assertThat(read).hasSize(1);
        assertThat(read.get(0).getPayload()).isInstanceOf(EscrowAccount.class);
        assertThat(((EscrowAccount) read.get(0).getPayload()).state().balance().fen()).isEqualTo((HISTORY - 1) * 3L + 100);

        // And the aggregate rebuilt from that snapshot decides with the full balance.
        cache.removeAll();
        PostingOutcome next = dispatcher.<PostingOutcome>dispatch(
                TestLedger.interest(account, "after-history-2", "0.50")).payload();
        assertThat(next.balanceFen()).isEqualTo((HISTORY - 1) * 3L + 150);
        assertThat(next.postingId()).isEqualTo(account.value() + ".P" + (HISTORY + 1));
    }

    /** Appends interest credits of 0.03 straight to the event store, a thousand per transaction. */
    private void appendInterestHistory(AccountId account, int count) {
        long balance = 0;
        List<DomainEventMessage<?>> batch = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            balance += 3;
            InterestCredited credit = new InterestCredited(account.value(), account.value() + ".P" + i, "HIST-" + i, 3,
                    "history", balance, Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i));
            batch.add(new GenericDomainEventMessage<>("EscrowAccount", account.value(), i, credit));
            if (batch.size() == 1_000 || i == count) {
                storageEngine.appendEvents(batch);
                batch = new ArrayList<>();
            }
        }
    }
}
