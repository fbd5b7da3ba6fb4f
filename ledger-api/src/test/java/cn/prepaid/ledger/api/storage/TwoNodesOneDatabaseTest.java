package cn.prepaid.ledger.api.storage;

import cn.prepaid.ledger.api.ops.ProcessorLag;
import cn.prepaid.ledger.api.support.Http;
import cn.prepaid.ledger.api.support.NodesOnOneDatabase;
import cn.prepaid.ledger.core.account.EscrowAccount;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.ConsumeLessons;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.DepositTuition;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.Posting;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.RequestRefund;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.RequestRelease;
import cn.prepaid.ledger.core.account.PostingOutcome;
import cn.prepaid.ledger.core.ids.AccountId;
import cn.prepaid.ledger.core.ids.BankTxnId;
import cn.prepaid.ledger.core.ids.ConsumptionId;
import cn.prepaid.ledger.core.ids.InstitutionId;
import cn.prepaid.ledger.core.ids.OrderId;
import cn.prepaid.ledger.core.institution.InstitutionCommand.ChangeSupervisionPolicy;
import cn.prepaid.ledger.core.money.Money;
import cn.prepaid.ledger.core.money.Ratio;
import cn.prepaid.ledger.core.policy.SupervisionMode;
import cn.prepaid.ledger.core.policy.SupervisionPolicy;
import cn.prepaid.ledger.core.rules.OutflowRejectionReason;
import cn.prepaid.ledger.core.supervision.SupervisionService;
import cn.prepaid.ledger.store.aggregates.AggregateStateReader;
import cn.prepaid.ledger.store.commands.ApplyPostingBatch.ItemOutcome;
import cn.prepaid.ledger.store.commands.ApplyPostingBatch;
import cn.prepaid.ledger.store.commands.CommandDispatcher;
import cn.prepaid.ledger.store.support.TestLedger;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two ledger processes (two application contexts, each with its own aggregate cache and locks) on
 * one PostgreSQL. Commands on the same account from both take its advisory lock in turn and decide on
 * its stored state, the cached copy brought up to date with the other node's events: every command
 * succeeds exactly once, the balance is exact, and none has to run again after a lost race. A node whose
 * processors' segments the other node holds says it is healthy again as soon as it reaches the database again.
 */
class TwoNodesOneDatabaseTest {

    private static final String NOT_HELD_BY_A = "select count(*) from token_entry where processor_name = any (?) "
            + "and owner is distinct from 'a'";
    private static final String STORED_INTEREST = """
            select convert_from(payload, 'UTF8')::jsonb ->> 'bankTxnId', count(*) from domain_event_entry
            where aggregate_identifier = any (?) and payload_type like '%$InterestCredited' group by 1""";

    static NodesOnOneDatabase database;
    static ConfigurableApplicationContext nodeA;
    static ConfigurableApplicationContext nodeB;

    @BeforeAll
    static void startTwoNodes() throws Exception {
        database = new NodesOnOneDatabase();
        nodeA = database.start("--ledger.node-name=a");
        nodeB = database.start("--ledger.node-name=b");
    }

    @AfterAll
    static void stop() throws Exception {
        nodeA.close();
        nodeB.close();
        database.close();
    }

    @Test
    void concurrentPostingsOnOneAccountFromTwoNodesAllApplyExactlyOnce() throws Exception {
        TestLedger onA = new TestLedger(nodeA.getBean(CommandDispatcher.class), nodeA.getBean(SupervisionService.class),
                nodeA.getBean(JdbcTemplate.class));
        AccountId account = onA.activeAccount();
        int threadsPerNode = 4;
        int depositsPerThread = 20;
        ExecutorService pool = Executors.newFixedThreadPool(threadsPerNode * 2);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> work = new ArrayList<>();
        for (ConfigurableApplicationContext node : List.of(nodeA, nodeB)) {
            CommandDispatcher dispatcher = node.getBean(CommandDispatcher.class);
            for (int t = 0; t < threadsPerNode; t++) {
                String prefix = (node == nodeA ? "A" : "B") + t;
                work.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < depositsPerThread; i++) {
                        DepositTuition deposit = TestLedger.deposit(account, prefix + "-" + i, 2, "45.00");
                        dispatcher.dispatch(deposit);
                    }
                    return null;
                }));
            }
        }
        start.countDown();
        for (Future<?> f : work) {
            f.get();
        }
        pool.shutdown();

        int deposits = 2 * threadsPerNode * depositsPerThread;
        long retries = nodeA.getBean(CommandDispatcher.class).lostRacesRetried()
                + nodeB.getBean(CommandDispatcher.class).lostRacesRetried();
        PostingOutcome check = nodeB.getBean(CommandDispatcher.class)
                .<PostingOutcome>dispatch(TestLedger.interest(account, "final-check", "0.01")).payload();
        assertThat(check.balanceFen()).isEqualTo(deposits * 9_000L + 1);
        assertThat(onA.eventCount(account.value())).isEqualTo(1 + deposits + 1);
        assertThat(retries).as("commands on one account waited for each other's lock instead of colliding").isZero();
    }

    @Test
    void batchesOverTheSameAccountsFromTwoNodesApplyExactlyOnceWithoutALostRace() throws Exception {
        TestLedger onA = new TestLedger(nodeA.getBean(CommandDispatcher.class), nodeA.getBean(SupervisionService.class),
                nodeA.getBean(JdbcTemplate.class));
        List<AccountId> accounts = List.of(onA.activeAccount(), onA.activeAccount(), onA.activeAccount());
        int batchesPerNode = 25;
        long retriedBefore = nodeA.getBean(CommandDispatcher.class).lostRacesRetried()
                + nodeB.getBean(CommandDispatcher.class).lostRacesRetried();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> work = new ArrayList<>();
        for (ConfigurableApplicationContext node : List.of(nodeA, nodeB)) {
            CommandDispatcher dispatcher = node.getBean(CommandDispatcher.class);
            String prefix = node == nodeA ? "A" : "B";
            work.add(pool.submit(() -> {
                start.await();
                for (int b = 0; b < batchesPerNode; b++) {
                    List<Posting> postings = new ArrayList<>();
                    for (AccountId account : accounts) {
                        postings.add(TestLedger.deposit(account, account + "-" + prefix + "-" + b, 1, "10.00"));
                    }
                    List<ItemOutcome> outcomes = dispatcher
                            .<List<ItemOutcome>>dispatch(
                                    new ApplyPostingBatch(postings)).payload();
                    assertThat(outcomes).allSatisfy(outcome -> {
                        assertThat(outcome.outcome()).isNotNull();
                        assertThat(outcome.replayed()).isFalse();
                    });
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : work) {
            f.get();
        }
        pool.shutdown();

        long retried = nodeA.getBean(CommandDispatcher.class).lostRacesRetried()
                + nodeB.getBean(CommandDispatcher.class).lostRacesRetried() - retriedBefore;
        for (AccountId account : accounts) {
            assertThat(onA.eventCount(account.value())).isEqualTo(1 + 2 * batchesPerNode);
            PostingOutcome check = nodeB.getBean(CommandDispatcher.class)
                    .<PostingOutcome>dispatch(TestLedger.interest(account, account + "-check", "0.01")).payload();
            assertThat(check.balanceFen()).isEqualTo(2 * batchesPerNode * 1_000L + 1);
        }
        Long claims = nodeA.getBean(JdbcTemplate.class).queryForObject("select count(*) from idempotency_record "
                + "where split_part(idempotency_key, ':', 2) = any (?) and outcome is not null", Long.class,
                (Object) accounts.stream().map(AccountId::value).toArray(String[]::new));
        assertThat(claims).as("one stored answer per posting, none left from undone attempts")
                .isEqualTo(2L * batchesPerNode * accounts.size() + accounts.size());
        assertThat(retried).as("batches took the accounts' locks in one order and waited for each other").isZero();
    }

    /** A posting a node acknowledged (201), and what it adds to its account's balance. */
    private record Acknowledged(String account, long fen) {
    }

    @Test
    void postingsBatchesAndPolicyChangesAtOnceOnTwoNodesOverTheSameAccountsStoreEveryAcknowledgedPostingOnce()
            throws Exception {
        TestLedger onA = new TestLedger(nodeA.getBean(CommandDispatcher.class), nodeA.getBean(SupervisionService.class),
                nodeA.getBean(JdbcTemplate.class));
        SupervisionPolicy policy = SupervisionPolicy.defaultsFor(SupervisionMode.FULL_CUSTODY);
        List<String> accounts = onA.institutionWithAccounts(policy, 4).stream().map(AccountId::value).toList();
        String institution = nodeA.getBean(AggregateStateReader.class)
                .account(AccountId.of(accounts.get(0)), EscrowAccount.State::institutionId).orElseThrow();
        List<Http> nodes = List.of(new Http(port(nodeA)), new Http(port(nodeB)));
        String occurredAt = Instant.now().minusSeconds(3600).truncatedTo(ChronoUnit.SECONDS).toString();
        long retriedBefore = nodeA.getBean(CommandDispatcher.class).lostRacesRetried()
                + nodeB.getBean(CommandDispatcher.class).lostRacesRetried();
        Map<String, Acknowledged> acknowledged = new ConcurrentHashMap<>();
        List<String> unexpected = new CopyOnWriteArrayList<>();
        int rounds = 8;
        ExecutorService pool = Executors.newFixedThreadPool(7);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> work = new ArrayList<>();
        for (int node = 0; node < 2; node++) {
            Http here = nodes.get(node);
            Http there = nodes.get(1 - node);
            for (int writer = 0; writer < 2; writer++) {
                String prefix = "S" + node + writer + "-";
                int offset = writer;
                work.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < rounds; i++) {
                        String account = accounts.get((i + offset) % accounts.size());
                        String interest = Http.json("bankTxnId", prefix + i, "type", "INTEREST", "amount", "1.00",
                                "currency", "CNY", "occurredAt", occurredAt, "memo", "interest");
                        String path = "/api/v1/accounts/" + account + "/transactions";
                        Http.Answer answer = here.post(Http.BANK, path, interest);
                        if (answer.status() != 201) {
                            unexpected.add(prefix + i + ": " + answer.status() + " " + answer.body());
                            continue;
                        }
                        acknowledged.put(prefix + i, new Acknowledged(account, 100));
                        if (i % 4 == 0) {
                            Http.Answer repeat = there.post(Http.BANK, path, interest);
                            if (repeat.status() != 201 || !"true".equals(repeat.header("Idempotent-Replay"))
                                    || !repeat.body().equals(answer.body())) {
                                unexpected.add(prefix + i + " repeated: " + repeat.status() + " " + repeat.body());
                            }
                        }
                    }
                    return null;
                }));
            }
            String prefix = "B" + node + "-";
            // node A lists a batch's accounts in ascending order, node B in descending: locks go by identifier all the same
            List<String> listed = new ArrayList<>(accounts);
            if (node == 1) {
                Collections.reverse(listed);
            }
            work.add(pool.submit(() -> {
                start.await();
                for (int b = 0; b < rounds / 2; b++) {
                    List<String> items = new ArrayList<>();
                    for (String account : listed) {
                        items.add(Http.json("accountId", account, "bankTxnId", prefix + b + "-" + account,
                                "type", "INTEREST", "amount", "2.00", "currency", "CNY", "occurredAt", occurredAt,
                                "memo", "interest"));
                    }
                    Http.Answer answer = here.post(Http.BANK, "/api/v1/transactions/batch",
                            "{\"transactions\": [" + String.join(",", items) + "]}");
                    if (answer.status() != 200) {
                        unexpected.add(prefix + b + ": " + answer.status() + " " + answer.body());
                        continue;
                    }
                    for (JsonNode result : answer.json().get("results")) {
                        String account = listed.get(result.get("index").asInt());
                        if (result.get("status").asInt() == 201) {
                            acknowledged.put(prefix + b + "-" + account, new Acknowledged(account, 200));
                        } else {
                            unexpected.add(prefix + b + "-" + account + ": " + result);
                        }
                    }
                }
                return null;
            }));
        }
        // an institution's change reaches every account in the same transaction, locking them all
        SupervisionService supervisionOnB = nodeB.getBean(SupervisionService.class);
        work.add(pool.submit(() -> {
            start.await();
            for (int change = 0; change < 4; change++) {
                supervisionOnB.change(new ChangeSupervisionPolicy(InstitutionId.of(institution), policy, "test",
                        Instant.now()));
            }
            return null;
        }));
        start.countDown();
        for (Future<?> f : work) {
            f.get();
        }
        pool.shutdown();

        assertThat(unexpected).as("every posting recorded, every repeat an idempotent replay, no 5xx").isEmpty();
        assertThat(acknowledged).hasSize(2 * 2 * rounds + 2 * (rounds / 2) * accounts.size());
        Map<String, Long> stored = new HashMap<>();
        nodeA.getBean(JdbcTemplate.class).query(STORED_INTEREST, row -> {
            stored.put(row.getString(1), row.getLong(2));
        }, (Object) accounts.toArray(String[]::new));
        assertThat(stored).as("each acknowledged posting stored exactly once, nothing else stored")
                .hasSize(acknowledged.size()).allSatisfy((id, count) -> assertThat(count).as(id).isEqualTo(1));
        assertThat(stored.keySet()).isEqualTo(acknowledged.keySet());
        for (String account : accounts) {
            long expected = acknowledged.values().stream().filter(posting -> posting.account().equals(account))
                    .mapToLong(Acknowledged::fen).sum();
            assertThat(nodeB.getBean(AggregateStateReader.class)
                    .account(AccountId.of(account), state -> state.balance().fen())).as(account).contains(expected);
        }
        long retried = nodeA.getBean(CommandDispatcher.class).lostRacesRetried()
                + nodeB.getBean(CommandDispatcher.class).lostRacesRetried() - retriedBefore;
        assertThat(retried).as("nodes waited for each other's locks instead of colliding").isZero();
    }

    @Test
    void aPostingRepeatedOnAnotherNodeIsAnsweredFromTheDatabaseAsTheFirstAnswer() {
        TestLedger onA = new TestLedger(nodeA.getBean(CommandDispatcher.class), nodeA.getBean(SupervisionService.class),
                nodeA.getBean(JdbcTemplate.class));
        AccountId account = onA.activeAccount();
        Http httpA = new Http(port(nodeA));
        Http httpB = new Http(port(nodeB));
        String occurredAt = java.time.Instant.now().minusSeconds(3600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                .toString();
        String fee = Http.json("bankTxnId", "FEE-1", "type", "BANK_FEE", "amount", "12.00", "currency", "CNY",
                "occurredAt", occurredAt, "memo", "account fee");

        Http.Answer first = httpA.post(Http.BANK, "/api/v1/accounts/" + account + "/transactions", fee);
        Http.Answer repeat = httpB.post(Http.BANK, "/api/v1/accounts/" + account + "/transactions", fee);

        assertThat(first.status()).isEqualTo(201);
        assertThat(repeat.status()).isEqualTo(201);
        assertThat(repeat.body()).isEqualTo(first.body());
        assertThat(repeat.header("Idempotent-Replay")).isEqualTo("true");
        assertThat(onA.eventCount(account.value())).isEqualTo(2);
    }

    @Test
    void aCachedAggregateAnotherNodeMovedOnIsBroughtUpToDateBeforeTheDecision() {
        TestLedger onA = new TestLedger(nodeA.getBean(CommandDispatcher.class), nodeA.getBean(SupervisionService.class),
                nodeA.getBean(JdbcTemplate.class));
        AccountId account = onA.activeAccount();
        CommandDispatcher a = nodeA.getBean(CommandDispatcher.class);
        CommandDispatcher b = nodeB.getBean(CommandDispatcher.class);
        a.dispatch(TestLedger.interest(account, "A-ONLY", "0.01")); // node A now holds the account in its cache
        b.dispatch(TestLedger.deposit(account, "ON-B", 10, "50.00")); // an order node A's cached copy does not know
        long retriedBefore = a.lostRacesRetried();

        // On its cached copy as it was, node A would refuse: no such order. Holding the account's lock, it first
        // applies node B's deposit to that copy, and decides once, on the stored state.
        cn.prepaid.ledger.core.account.ConsumptionOutcome consumed = a.<cn.prepaid.ledger.core.account.ConsumptionOutcome>dispatch(
                new cn.prepaid.ledger.core.account.EscrowAccountCommand.ConsumeLessons(account,
                        cn.prepaid.ledger.core.ids.OrderId.of("ORD-ON-B"), cn.prepaid.ledger.core.ids.ConsumptionId.of("C-1"),
                        2, java.time.Instant.parse("2026-03-10T01:30:00Z"))).payload();

        assertThat(consumed.lessonsConsumed()).isEqualTo(2);
        assertThat(a.lostRacesRetried()).as("decided once, on fresh state").isEqualTo(retriedBefore);
        assertThat(onA.eventCount(account.value())).isEqualTo(1 + 1 + 1 + 1);
    }

    @Test
    void aBatchOnANodeWhoseCachedAccountsAnotherNodeMovedOnDecidesOnTheStoredState() {
        TestLedger onA = new TestLedger(nodeA.getBean(CommandDispatcher.class), nodeA.getBean(SupervisionService.class),
                nodeA.getBean(JdbcTemplate.class));
        List<AccountId> accounts = onA.institutionWithAccounts(null, 3);
        CommandDispatcher a = nodeA.getBean(CommandDispatcher.class);
        CommandDispatcher b = nodeB.getBean(CommandDispatcher.class);
        accounts.forEach(account -> a.dispatch(TestLedger.interest(account, account + "-A", "0.01"))); // cached on A
        AccountId movedOn = accounts.get(1);
        b.dispatch(TestLedger.deposit(movedOn, movedOn + "-B", 2, "50.00")); // an order A's copy does not know
        long retriedBefore = a.lostRacesRetried();

        // The batch takes the three accounts' locks and reads their stored versions in two statements; the
        // account node B moved on is brought up to date before the refund of B's order is decided.
        List<ItemOutcome> outcomes = a.<List<ItemOutcome>>dispatch(new ApplyPostingBatch(List.of(
                TestLedger.interest(accounts.get(0), accounts.get(0) + "-A2", "0.02"),
                new RequestRefund(movedOn, BankTxnId.of(movedOn + "-R"), Money.parse("100.00"),
                        OrderId.of("ORD-" + movedOn + "-B"), Instant.parse("2026-03-10T01:30:00Z")),
                TestLedger.interest(accounts.get(2), accounts.get(2) + "-A2", "0.03")))).payload();

        assertThat(outcomes).extracting(item -> item.outcome().status())
                .containsExactly(PostingOutcome.Status.RECORDED, PostingOutcome.Status.REFUNDED,
                        PostingOutcome.Status.RECORDED);
        assertThat(outcomes).extracting(item -> item.outcome().balanceFen()).containsExactly(3L, 1L, 4L);
        assertThat(a.lostRacesRetried()).as("decided once, on fresh state").isEqualTo(retriedBefore);
    }

    @Test
    void twoReleasesFromTwoAccountsOfOneInstitutionDecidedAtOnceOnTwoNodesNeverTogetherBreachItsFloor()
            throws Exception {
        TestLedger onA = new TestLedger(nodeA.getBean(CommandDispatcher.class), nodeA.getBean(SupervisionService.class),
                nodeA.getBean(JdbcTemplate.class));
        // Each account: ¥120,000 in two orders of 60 lessons at ¥1,000, ¥30,000 of it earned. The institution's
        // floor is its ¥200,000 minimum: of ¥240,000 one ¥30,000 release fits, two do not.
        SupervisionPolicy minimum200000 = SupervisionPolicy.defaultsFor(SupervisionMode.FULL_CUSTODY)
                .withCoreValues(Money.parse("200000.00"), Ratio.parse("0.20"), Money.parse("50000.00"),
                        Ratio.parse("0.30"), Money.parse("10000.00"));
        int institutions = 8;
        List<List<AccountId>> pairs = new ArrayList<>();
        for (int i = 0; i < institutions; i++) {
            List<AccountId> pair = onA.institutionWithAccounts(minimum200000, 2);
            for (AccountId account : pair) {
                CommandDispatcher a = nodeA.getBean(CommandDispatcher.class);
                a.dispatch(TestLedger.deposit(account, account + "-1", 60, "1000.00"));
                a.dispatch(TestLedger.deposit(account, account + "-2", 60, "1000.00"));
                a.dispatch(new ConsumeLessons(account, OrderId.of("ORD-" + account + "-1"), ConsumptionId.of("C-1"), 30,
                        Instant.parse("2026-03-10T01:30:00Z")));
            }
            pairs.add(pair);
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<PostingOutcome>> onNodeA = new ArrayList<>();
        List<Future<PostingOutcome>> onNodeB = new ArrayList<>();
        for (List<AccountId> pair : pairs) {
            CyclicBarrier atOnce = new CyclicBarrier(2);
            onNodeA.add(pool.submit(() -> releaseThirtyThousand(nodeA, pair.get(0), atOnce)));
            onNodeB.add(pool.submit(() -> releaseThirtyThousand(nodeB, pair.get(1), atOnce)));
        }
        for (int i = 0; i < institutions; i++) {
            List<PostingOutcome> decided = List.of(onNodeA.get(i).get(), onNodeB.get(i).get());
            assertThat(decided).as("institution %d: one release paid, the other refused", i)
                    .extracting(PostingOutcome::status)
                    .containsExactlyInAnyOrder(PostingOutcome.Status.RELEASED, PostingOutcome.Status.REJECTED);
            assertThat(decided).filteredOn(outcome -> outcome.status() == PostingOutcome.Status.REJECTED)
                    .singleElement().extracting(PostingOutcome::rejection).isEqualTo(OutflowRejectionReason.BREACHES_FLOOR);
            long institutionBalance = 0;
            for (AccountId account : pairs.get(i)) {
                institutionBalance += nodeB.getBean(AggregateStateReader.class)
                        .account(account, state -> state.balance().fen()).orElseThrow();
            }
            assertThat(institutionBalance).isEqualTo(210_000_00L);
        }
        pool.shutdown();
    }

    private static PostingOutcome releaseThirtyThousand(ConfigurableApplicationContext node, AccountId account,
                                                        CyclicBarrier atOnce) throws Exception {
        RequestRelease release = new RequestRelease(account, BankTxnId.of("REL-" + account), Money.parse("30000.00"),
                OrderId.of("ORD-" + account + "-1"), Instant.parse("2026-03-11T01:30:00Z"));
        atOnce.await();
        return node.getBean(CommandDispatcher.class).<PostingOutcome>dispatch(release).payload();
    }

    private static int port(ConfigurableApplicationContext node) {
        return Integer.parseInt(node.getEnvironment().getProperty("local.server.port"));
    }

    @Test
    void aNodeHoldingNoSegmentsIsHealthyAgainOnceItReachesTheDatabaseAgain() throws Exception {
        List<StreamingEventProcessor> onB = ProcessorLag.PROCESSORS.stream().map(name -> nodeB
                .getBean(EventProcessingConfiguration.class).eventProcessor(name, StreamingEventProcessor.class)
                .orElseThrow()).toList();
        // B's processors stopped until A holds every segment, then started again: B has none to work on
        onB.forEach(StreamingEventProcessor::shutDown);
        JdbcTemplate jdbc = nodeA.getBean(JdbcTemplate.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(NOT_HELD_BY_A, Integer.class,
                (Object) ProcessorLag.PROCESSORS.toArray(String[]::new)) == 0);
        onB.forEach(StreamingEventProcessor::start);
        Http b = new Http(port(nodeB));

        // B's pool emptied (its connections taken as B's own threads let go of them): B's processors cannot reach
        // the token store, as while the database fails over
        DataSource pool = nodeB.getBean(DataSource.class);
        List<Connection> taken = new ArrayList<>();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                try {
                    taken.add(pool.getConnection());
                } catch (SQLTransientConnectionException emptied) {
                    // none left for anybody on B
                }
                return onB.stream().allMatch(StreamingEventProcessor::isError);
            });
        } finally {
            for (Connection connection : taken) {
                connection.close();
            }
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> b.get(null, "/actuator/health").status() == 200);
        assertThat(b.get(null, "/actuator/health").json().get("status").asString()).isEqualTo("UP");
        assertThat(onB).allMatch(processor -> processor.processingStatus().isEmpty());
    }
}
