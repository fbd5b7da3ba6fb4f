package cn.prepaid.ledger.store.aggregates;

import cn.prepaid.ledger.core.account.ConsumptionOutcome;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.ConsumeLessons;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.DepositTuition;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.RequestRelease;
import cn.prepaid.ledger.core.account.PostingOutcome;
import cn.prepaid.ledger.core.idempotency.IdempotencyConflictException;
import cn.prepaid.ledger.core.ids.AccountId;
import cn.prepaid.ledger.core.ids.BankTxnId;
import cn.prepaid.ledger.core.ids.ConsumptionId;
import cn.prepaid.ledger.core.ids.OrderId;
import cn.prepaid.ledger.core.money.Money;
import cn.prepaid.ledger.core.rules.OutflowRejectionReason;
import cn.prepaid.ledger.core.supervision.SupervisionService;
import cn.prepaid.ledger.store.commands.CommandDispatcher.Outcome;
import cn.prepaid.ledger.store.commands.CommandDispatcher;
import cn.prepaid.ledger.store.support.StoreIntegrationTest;
import cn.prepaid.ledger.store.support.TestLedger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Client ids are applied at most once, decided in the same transaction as the append. */
@StoreIntegrationTest
class IdempotencyIntegrationTest {

    @Autowired
    CommandDispatcher dispatcher;
    @Autowired
    SupervisionService supervision;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    VersionCheckedAggregateCache cache;
    TestLedger ledger;

    @BeforeEach
    void setUp() {
        ledger = new TestLedger(dispatcher, supervision, jdbc);
    }

    @Test
    void aRepeatedPostingAnswersTheFirstOutcomeAndAppendsNothing() {
        AccountId account = ledger.activeAccount();
        DepositTuition deposit = TestLedger.deposit(account, TestLedger.unique("TXN"), 10, "80.00");
        Outcome<PostingOutcome> first = dispatcher.dispatch(deposit);
        long events = ledger.eventCount(account.value());

        cache.removeAll(); // the repeat must be recognised from the database, not from this JVM's memory
        Outcome<PostingOutcome> repeat = dispatcher.dispatch(deposit);

        assertThat(first.replayed()).isFalse();
        assertThat(repeat.replayed()).isTrue();
        assertThat(repeat.payload()).isEqualTo(first.payload());
        assertThat(repeat.payload().balanceFen()).isEqualTo(80_000L);
        assertThat(ledger.eventCount(account.value())).isEqualTo(events);
    }

    @Test
    void theSameIdWithADifferentBodyIsAConflictAndAppendsNothing() {
        AccountId account = ledger.activeAccount();
        String txn = TestLedger.unique("TXN");
        dispatcher.dispatch(TestLedger.deposit(account, txn, 10, "80.00"));
        long events = ledger.eventCount(account.value());

        assertThatThrownBy(() -> dispatcher.dispatch(TestLedger.deposit(account, txn, 11, "80.00")))
                .isInstanceOf(IdempotencyConflictException.class);
        assertThat(ledger.eventCount(account.value())).isEqualTo(events);
    }

    @Test
    void aRepeatedRefusedOutflowAnswersTheSameRefusalAndRecordsItOnce() {
        AccountId account = ledger.activeAccount();
        DepositTuition deposit = TestLedger.deposit(account, TestLedger.unique("TXN"), 10, "80.00");
        dispatcher.dispatch(deposit);
        RequestRelease tooEarly = new RequestRelease(account, BankTxnId.of(TestLedger.unique("REL")),
                Money.parse("80.00"), deposit.orderId(), Instant.parse("2026-03-02T01:00:00Z"));

        Outcome<PostingOutcome> first = dispatcher.dispatch(tooEarly);
        Outcome<PostingOutcome> repeat = dispatcher.dispatch(tooEarly);

        assertThat(first.payload().rejection()).isEqualTo(OutflowRejectionReason.EXCEEDS_RELEASABLE);
        assertThat(repeat.payload()).isEqualTo(first.payload());
        assertThat(repeat.replayed()).isTrue();
        assertThat(jdbc.queryForObject("select count(*) from domain_event_entry where aggregate_identifier = ? "
                + "and payload_type like '%OutflowRejected'", Long.class, account.value())).isEqualTo(1);
    }

    @Test
    void consumptionIdsAreIdempotentToo() {
        AccountId account = ledger.activeAccount();
        DepositTuition deposit = TestLedger.deposit(account, TestLedger.unique("TXN"), 10, "80.00");
        dispatcher.dispatch(deposit);
        ConsumeLessons consume = new ConsumeLessons(account, deposit.orderId(),
                ConsumptionId.of(TestLedger.unique("C")), 2, Instant.parse("2026-03-08T10:00:00Z"));

        Outcome<ConsumptionOutcome> first = dispatcher.dispatch(consume);
        Outcome<ConsumptionOutcome> repeat = dispatcher.dispatch(consume);

        assertThat(first.payload().lessonsRemaining()).isEqualTo(8);
        assertThat(repeat.payload()).isEqualTo(first.payload());
        assertThat(repeat.replayed()).isTrue();
    }

    @Test
    void concurrentIdenticalPostingsAppendOnceAndAllGetTheSameAnswer() throws Exception {
        AccountId account = ledger.activeAccount();
        DepositTuition deposit = TestLedger.deposit(account, TestLedger.unique("TXN"), 12, "75.50");
        int parallel = 8;
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Outcome<PostingOutcome>>> answers = new ArrayList<>();
        for (int i = 0; i < parallel; i++) {
            answers.add(pool.submit(() -> {
                start.await();
                return dispatcher.dispatch(deposit);
            }));
        }
        start.countDown();
        List<Outcome<PostingOutcome>> outcomes = new ArrayList<>();
        for (Future<Outcome<PostingOutcome>> answer : answers) {
            outcomes.add(answer.get());
        }
        pool.shutdown();

        assertThat(outcomes).extracting(Outcome::payload).containsOnly(outcomes.get(0).payload());
        assertThat(outcomes).filteredOn(outcome -> !outcome.replayed()).hasSize(1);
        assertThat(outcomes.get(0).payload().balanceFen()).isEqualTo(90_600L);
        assertThat(jdbc.queryForObject("select count(*) from domain_event_entry where aggregate_identifier = ? "
                + "and payload_type like '%TuitionDeposited'", Long.class, account.value())).isEqualTo(1);
    }

    @Test
    void differentClientIdsOnOneAccountFromManyThreadsAllApply() throws Exception {
        AccountId account = ledger.activeAccount();
        int parallel = 8;
        int perThread = 25;
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < parallel; t++) {
            int thread = t;
            done.add(pool.submit(() -> {
                for (int i = 0; i < perThread; i++) {
                    dispatcher.dispatch(TestLedger.interest(account, "INT-" + account + "-" + thread + "-" + i, "0.07"));
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();

        PostingOutcome last = dispatcher.<PostingOutcome>dispatch(
                TestLedger.interest(account, "INT-" + account + "-last", "0.01")).payload();
        assertThat(last.balanceFen()).isEqualTo(parallel * perThread * 7L + 1);
        assertThat(ledger.eventCount(account.value())).isEqualTo(1 + parallel * perThread + 1);
    }

    @Test
    void anUnknownOrderReleaseIsRecordedAsRefused() {
        AccountId account = ledger.activeAccount();
        Outcome<PostingOutcome> outcome = dispatcher.dispatch(new RequestRelease(account,
                BankTxnId.of(TestLedger.unique("REL")), Money.parse("1.00"), OrderId.of("NOPE"), Instant.now()));
        assertThat(outcome.payload().rejection()).isEqualTo(OutflowRejectionReason.UNKNOWN_ORDER);
        assertThat(ledger.eventCount(account.value())).isEqualTo(2);
    }
}
