package cn.prepaid.ledger.projections.readmodel;

import cn.prepaid.ledger.core.account.EscrowAccountEvent;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.AccountFrozen;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.AccountUnfrozen;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.BankFeeCharged;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.EarnedTake;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.EscrowAccountOpened;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.FundsReleased;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.FundsTransferredOut;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.HeldOutflowApproved;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.HeldOutflowRejected;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.InterestCredited;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.LessonsConsumed;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.OutflowHeld;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.OutflowRejected;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.RefundDisputeClosed;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.RefundDisputeOpened;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.SupervisionTermsChanged;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.TuitionDeposited;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.TuitionRefunded;
import cn.prepaid.ledger.core.account.OutflowType;
import cn.prepaid.ledger.core.institution.InstitutionStatus;
import cn.prepaid.ledger.core.policy.SupervisionMode;
import cn.prepaid.ledger.core.policy.SupervisionPolicy;
import cn.prepaid.ledger.core.rules.OutflowRejectionReason;
import cn.prepaid.ledger.projections.EventAtomicity;
import cn.prepaid.ledger.projections.ScratchDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The batching law for the read models: how the read-model processor's events fall into batches changes
 * nothing it writes. The same events for two accounts (deposits, lessons, releases, refunds, transfers
 * with earned takes, held outflows approved and rejected, freezes, fees, terms, disputes, refusals) are
 * handed to the real {@link EscrowAccountReadModel} on PostgreSQL once an event per transaction and once
 * in batches of random sizes (each a transaction and an Axon batch unit of work); the views must come out
 * the same, row for row, ids aside.
 */
class ReadModelBatchingPropertyTest {

    private static final Instant START = Instant.parse("2026-03-02T00:00:00Z");
    private static final AtomicInteger RUNS = new AtomicInteger();

    private static EmbeddedPostgres postgres;
    private static JdbcTemplate jdbc;
    private static TransactionTemplate transactions;
    private static DataSourceTransactionManager transactionManager;

    @BeforeContainer
    static void startDatabase() throws IOException {
        postgres = ScratchDatabase.started();
        jdbc = new JdbcTemplate(postgres.getPostgresDatabase());
        transactionManager = new DataSourceTransactionManager(postgres.getPostgresDatabase());
        transactions = new TransactionTemplate(transactionManager);
    }

    @AfterContainer
    static void stopDatabase() throws IOException {
        postgres.close();
    }

    enum Kind {
        DEPOSIT, CONSUME, RELEASE, REFUND, TRANSFER_OUT, HOLD, APPROVE, REJECT, FREEZE, UNFREEZE, FEE, INTEREST,
        TERMS, DISPUTE_OPENED, DISPUTE_CLOSED, REFUSED
    }

    /** One event: which account, what, an order (or held outflow, or dispute) among a few, how much. */
    record Step(int account, Kind kind, int item, long amountFen) {
    }

    @Property(tries = 50)
    void howEventsFallIntoBatchesChangesNothingTheReadModelWrites(@ForAll("histories") List<Step> history,
                                                                  @ForAll Random random) {
        List<Integer> batches = new ArrayList<>();
        int events = history.size() + 2; // and the openings
        int maxBatch = 1 + random.nextInt(events);
        for (int left = events; left > 0; ) {
            int size = Math.min(left, 1 + random.nextInt(maxBatch));
            batches.add(size);
            left -= size;
        }
        Map<String, List<String>> expected = singlyAndInBatches(history, batches, jdbc);

        Statistics.label("batched").collect(maxBatch > 1);
        Statistics.label("batched").coverage(coverage -> coverage.check(true).percentage(p -> p > 50));
        Statistics.label("held outflows").collect(!expected.get("held_outflow_view").isEmpty());
        Statistics.label("held outflows").coverage(coverage -> coverage.check(true).percentage(p -> p > 15));
    }

    /**
     * What batching is for: a batch of deposits over two accounts reads their positions in one statement
     * and writes the accounts and the orders in one each, where one event at a time takes three statements.
     */
    @Example
    void aBatchOfDepositsReadsThePositionsOnceAndWritesAccountsAndOrdersOnceEach() {
        ScratchDatabase.CountingJdbcTemplate counted = new ScratchDatabase.CountingJdbcTemplate(
                postgres.getPostgresDatabase());
        Map<String, Integer> statements = counted.statements();
        List<Step> deposits = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            deposits.add(new Step(i % 2, Kind.DEPOSIT, i, 100_000));
        }
        String tag = "r" + RUNS.incrementAndGet() + "c";
        List<Handled> events = events(deposits);
        transactions.executeWithoutResult(status -> events.subList(0, 2).forEach(opening ->
                handle(new AnnotationEventHandlerAdapter(readModel(counted)), opening.message(tag))));
        statements.clear();
        inOneBatch(events.subList(2, events.size()), tag, counted);

        assertThat(statements).as("statements by their start").containsOnly(
                Map.entry("select account_id, l", 1), Map.entry("update account_view ", 1),
                Map.entry("insert into order_vi", 1));
        assertThat(jdbc.queryForList("select balance_fen || ' ' || order_count from account_view where account_id like ? "
                + "order by account_id", String.class, "%" + tag + "%")).containsExactly("500000 5", "500000 5");
        assertThat(jdbc.queryForObject("select count(*) from order_view where account_id like ?", Long.class,
                "%" + tag + "%")).isEqualTo(10);
    }

    private static EscrowAccountReadModel readModel(JdbcTemplate template) {
        return new EscrowAccountReadModel(template, new EventAtomicity(transactionManager));
    }

    private static Map<String, List<String>> singlyAndInBatches(List<Step> history, List<Integer> batches,
                                                                JdbcTemplate template) {
        int run = RUNS.incrementAndGet();
        String single = "r" + run + "s";
        String batched = "r" + run + "b";
        List<Handled> events = events(history);
        AnnotationEventHandlerAdapter singly = new AnnotationEventHandlerAdapter(readModel(template));
        for (Handled event : events) {
            handle(singly, event.message(single)); // its own transaction
        }
        int from = 0;
        for (int size : batches) {
            inOneBatch(events.subList(from, from + size), batched, template);
            from += size;
        }
        assertThat(from).as("every event batched").isEqualTo(events.size());
        Map<String, List<String>> expected = tables(single);
        assertThat(expected.get("account_view")).hasSize(2);
        assertThat(tables(batched)).isEqualTo(expected);
        return expected;
    }

    private static void handle(AnnotationEventHandlerAdapter handler, EventMessage<?> message) {
        try {
            handler.handle(message);
        } catch (Exception failed) {
            throw new IllegalStateException(failed);
        }
    }

    /** The events in one transaction and one Axon batch, each handled with the batch as its unit of work. */
    private static void inOneBatch(List<Handled> batch, String tag, JdbcTemplate template) {
        AnnotationEventHandlerAdapter handler = new AnnotationEventHandlerAdapter(readModel(template));
        List<EventMessage<?>> messages = batch.stream().<EventMessage<?>>map(event -> event.message(tag)).toList();
        transactions.executeWithoutResult(status -> {
            ResultMessage<?> result = new BatchingUnitOfWork<>(messages).executeWithResult(() -> {
                handle(handler, (EventMessage<?>) CurrentUnitOfWork.get().getMessage());
                return null;
            });
            if (result.isExceptional()) {
                throw new IllegalStateException(result.exceptionResult());
            }
        });
    }

    /** An event of an account with its sequence; its ids carry the run's tag. */
    private record Handled(int account, Function<String, EscrowAccountEvent> event, long sequence) {
        EventMessage<?> message(String tag) {
            return new GenericDomainEventMessage<>("EscrowAccount", ReadModelBatchingPropertyTest.account(tag, account), sequence,
                    event.apply(tag));
        }
    }

    private static String account(String tag, int account) {
        return "P" + tag + "-" + account;
    }

    private static List<Handled> events(List<Step> history) {
        List<Handled> events = new ArrayList<>();
        long[] sequence = new long[2];
        long[] balance = new long[2];
        for (int account = 0; account < 2; account++) {
            int a = account;
            events.add(new Handled(a, tag -> new EscrowAccountOpened(account(tag, a), "P" + tag, "330106", "B01",
                    "6222-" + a, SupervisionMode.RISK_RESERVE, InstitutionStatus.ACTIVE,
                    SupervisionPolicy.defaultsFor(SupervisionMode.RISK_RESERVE), START), sequence[a]++));
        }
        int index = 0;
        for (Step step : history) {
            int a = step.account();
            String id = "T" + index;
            Instant at = START.plus(Duration.ofMinutes(++index)).plusNanos(index % 3 == 0 ? 1_500 : 0);
            long amount = step.amountFen();
            balance[a] += switch (step.kind()) {
                case DEPOSIT, INTEREST -> amount;
                case RELEASE, REFUND, TRANSFER_OUT, FEE -> -amount;
                default -> 0;
            };
            long after = balance[a];
            String order = "O" + step.item();
            String held = "H" + a + "-" + step.item();
            String dispute = "D" + step.item();
            events.add(new Handled(a, tag -> {
                String accountId = account(tag, a);
                return switch (step.kind()) {
                    case DEPOSIT -> new TuitionDeposited(accountId, id, id, "O" + id.substring(1), "S" + a, 10,
                            amount / 10, amount, LocalDate.of(2026, 3, 1), LocalDate.of(2026, 5, 31), after, at);
                    case CONSUME -> new LessonsConsumed(accountId, order, id, 1, 1, 9, amount / 10, at);
                    case RELEASE -> new FundsReleased(accountId, id, id, order, amount, after,
                            step.item() % 2 == 0 ? held + tag : null, at);
                    case REFUND -> new TuitionRefunded(accountId, id, id, order, amount, after, at);
                    case TRANSFER_OUT -> new FundsTransferredOut(accountId, id, id, amount, "x", "y", after,
                            step.item() % 2 == 0 ? held + tag : null, at, List.of(new EarnedTake(order, amount / 2)));
                    case HOLD -> new OutflowHeld(accountId, held + tag, id, step.item() % 2 == 0 ? OutflowType.RELEASE
                            : OutflowType.TRANSFER_OUT, order, amount, "x", "y", after, at,
                            step.item() % 2 == 0 ? List.of() : List.of(new EarnedTake(order, amount / 2)));
                    case APPROVE -> new HeldOutflowApproved(accountId, held + tag, "regulator", "ok", at);
                    case REJECT -> new HeldOutflowRejected(accountId, held + tag, "regulator", "no", at);
                    case FREEZE -> new AccountFrozen(accountId, "why", "regulator", at);
                    case UNFREEZE -> new AccountUnfrozen(accountId, "why", "regulator", at);
                    case FEE -> new BankFeeCharged(accountId, id, id, amount, "fee", after, at);
                    case INTEREST -> new InterestCredited(accountId, id, id, amount, "interest", after, at);
                    case TERMS -> new SupervisionTermsChanged(accountId, InstitutionStatus.ACTIVE,
                            SupervisionMode.FULL_CUSTODY, SupervisionPolicy.defaultsFor(SupervisionMode.FULL_CUSTODY), at);
                    case DISPUTE_OPENED -> new RefundDisputeOpened(accountId, dispute, order, "family", "why", at);
                    case DISPUTE_CLOSED -> new RefundDisputeClosed(accountId, dispute, order, "regulator", "done", at);
                    case REFUSED -> new OutflowRejected(accountId, id, OutflowType.RELEASE, order, amount,
                            OutflowRejectionReason.EXCEEDS_RELEASABLE, "", after, at);
                };
            }, sequence[a]++));
        }
        return events;
    }

    @Provide
    Arbitrary<List<Step>> histories() {
        Arbitrary<Kind> kinds = Arbitraries.frequency(
                net.jqwik.api.Tuple.of(8, Kind.DEPOSIT), net.jqwik.api.Tuple.of(3, Kind.CONSUME),
                net.jqwik.api.Tuple.of(3, Kind.RELEASE), net.jqwik.api.Tuple.of(2, Kind.REFUND),
                net.jqwik.api.Tuple.of(2, Kind.TRANSFER_OUT), net.jqwik.api.Tuple.of(4, Kind.HOLD),
                net.jqwik.api.Tuple.of(2, Kind.APPROVE), net.jqwik.api.Tuple.of(2, Kind.REJECT),
                net.jqwik.api.Tuple.of(1, Kind.FREEZE), net.jqwik.api.Tuple.of(1, Kind.UNFREEZE),
                net.jqwik.api.Tuple.of(1, Kind.FEE), net.jqwik.api.Tuple.of(1, Kind.INTEREST),
                net.jqwik.api.Tuple.of(1, Kind.TERMS), net.jqwik.api.Tuple.of(1, Kind.DISPUTE_OPENED),
                net.jqwik.api.Tuple.of(1, Kind.DISPUTE_CLOSED), net.jqwik.api.Tuple.of(1, Kind.REFUSED));
        // orders are the deposits' ("O" and their number): items 1 to 6 name the first deposits' orders
        Arbitrary<Step> steps = Combinators.combine(Arbitraries.integers().between(0, 1), kinds,
                        Arbitraries.integers().between(1, 6), Arbitraries.of(10_000L, 250_000L, 1_000_000L))
                .as(Step::new);
        return steps.list().ofMinSize(1).ofMaxSize(40);
    }

    /** Every view's rows of one run, as text, the run's tag taken out of them. */
    private static Map<String, List<String>> tables(String tag) {
        String like = "'%" + tag + "%'";
        Map<String, List<String>> tables = new TreeMap<>();
        for (String table : List.of("account_view", "order_view", "held_outflow_view", "dispute_view",
                "refund_obligation_view")) {
            String key = table.equals("held_outflow_view") ? "held_outflow_id" : "account_id";
            tables.put(table, jdbc.queryForList("select t::text from " + table + " t where account_id like " + like
                    + " order by " + key + (table.equals("account_view") ? "" : ", t::text"), String.class)
                    .stream().map(row -> row.replace(tag, "#")).toList());
        }
        return tables;
    }
}
