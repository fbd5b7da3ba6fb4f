package cn.prepaid.ledger.projections.alerts;

import cn.prepaid.ledger.core.account.EscrowAccountEvent;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.EscrowAccountOpened;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.FundsReleased;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.FundsTransferredOut;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.LessonsConsumed;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.OutflowRejected;
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
import cn.prepaid.ledger.projections.PostgresTime;
import cn.prepaid.ledger.projections.alerts.rules.BalanceBelowFloorRule;
import cn.prepaid.ledger.projections.alerts.rules.BalanceNearFloorRule;
import cn.prepaid.ledger.projections.alerts.rules.ChargeCapExceededRule;
import cn.prepaid.ledger.projections.alerts.rules.CollectAndRunRule;
import cn.prepaid.ledger.projections.alerts.rules.ConsumptionStallRule;
import cn.prepaid.ledger.projections.alerts.rules.LargeOutflowRule;
import cn.prepaid.ledger.projections.alerts.rules.RapidDrainRule;
import cn.prepaid.ledger.projections.alerts.rules.RefundSurgeRule;
import cn.prepaid.ledger.projections.alerts.rules.RejectedOutflowRule;
import cn.prepaid.ledger.projections.alerts.rules.StructuringRule;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
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
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The batching law: how the alert processor's events fall into batches changes nothing it writes. The same
 * events, for two accounts of one institution and one of another (money in and out around the
 * thresholds, lessons, refusals, a change of terms, some late), are handed to the real projection on
 * PostgreSQL once an event per transaction and once in batches of random sizes (each a transaction and an
 * Axon batch unit of work, as the processor gives them); the alert tables must come out the same, row for
 * row, ids aside.
 */
class AlertBatchingPropertyTest {

    private static final Instant START = Instant.parse("2026-03-02T00:00:00Z");
    private static final AtomicInteger RUNS = new AtomicInteger();

    private static EmbeddedPostgres postgres;
    private static JdbcTemplate jdbc;
    private static TransactionTemplate transactions;
    private static DrivenAlertProjection projection;

    @BeforeContainer
    static void startDatabase() throws IOException {
        postgres = ScratchDatabase.started();
        jdbc = new JdbcTemplate(postgres.getPostgresDatabase());
        DataSourceTransactionManager transactionManager = new DataSourceTransactionManager(postgres.getPostgresDatabase());
        transactions = new TransactionTemplate(transactionManager);
        List<AlertRule> rules = List.of(new StructuringRule(), new RapidDrainRule(), new RefundSurgeRule(),
                new CollectAndRunRule(), new RejectedOutflowRule(), new LargeOutflowRule(), new BalanceBelowFloorRule(),
                new BalanceNearFloorRule(), new ChargeCapExceededRule(), new ConsumptionStallRule());
        projection = new DrivenAlertProjection(jdbc, new JdbcActivityHistory(jdbc), new AlertBook(jdbc), rules,
                new EventAtomicity(transactionManager));
    }

    @AfterContainer
    static void stopDatabase() throws IOException {
        postgres.close();
    }

    /** One posting or fact: which account (0 and 1 share an institution), what, when, how much. */
    record Step(int account, Kind kind, Instant at, long amountFen) {
    }

    enum Kind { DEPOSIT, RELEASE, REFUND, TRANSFER_OUT, OUTFLOW_REJECTED, CONSUMED, TERMS_CHANGED }

    @Property(tries = 60)
    void howEventsFallIntoBatchesChangesNothingTheAlertProcessorWrites(@ForAll("histories") List<Step> history,
                                                                       @ForAll Random random) {
        List<Integer> batches = new ArrayList<>();
        int events = history.size() + 3; // and the openings
        int maxBatch = 1 + random.nextInt(events);
        for (int left = events; left > 0; ) {
            int size = Math.min(left, 1 + random.nextInt(maxBatch));
            batches.add(size);
            left -= size;
        }
        Map<String, List<String>> expected = singlyAndInBatches(history, batches);

        // the law would hold vacuously if nothing were raised, or every batch held one event
        Statistics.label("raised").collect(expected.get("alert").size() > 1);
        Statistics.label("raised").coverage(coverage -> coverage.check(true).percentage(p -> p > 30));
        Statistics.label("windows").collect(!expected.get("alert_window").isEmpty());
        Statistics.label("windows").coverage(coverage -> coverage.check(true).percentage(p -> p > 10));
        Statistics.label("batched").collect(maxBatch > 1);
        Statistics.label("batched").coverage(coverage -> coverage.check(true).percentage(p -> p > 50));
    }

    /**
     * A rare case of the law, pinned: a window that an outflow makes hold and a late deposit refutes within
     * the same batch is withdrawn, as it is when they come in batches of their own.
     */
    @Example
    void aWindowHeldAndRefutedWithinOneBatchIsWithdrawnAsAcrossBatches() {
        List<Step> history = List.of(new Step(0, Kind.DEPOSIT, START.minus(Duration.ofDays(2)), 10_000_000),
                new Step(0, Kind.TRANSFER_OUT, START, 5_000_000), // half the balance in a day: rapid drain
                new Step(0, Kind.DEPOSIT, START.minus(Duration.ofHours(36)), 20_000_000)); // a third of it
        Map<String, List<String>> expected = singlyAndInBatches(history, List.of(4));
        assertThat(expected.get("alert")).filteredOn(row -> row.contains("RAPID_DRAIN")).singleElement().asString()
                .contains("WITHDRAWN");
    }

    /**
     * What batching is for: a batch of deposits in time order over two institutions reads all their accounts'
     * rows in one statement, and writes the rows and the facts in one each, where one event at a time takes
     * a read per event. (An outflow still reads the history its rules look back over, writing the facts
     * recorded before it first.)
     */
    @Example
    void aBatchReadsItsInstitutionsRowsOnceAndWritesThemOnce() {
        ScratchDatabase.CountingJdbcTemplate counted = new ScratchDatabase.CountingJdbcTemplate(
                postgres.getPostgresDatabase());
        Map<String, Integer> statements = counted.statements();
        DrivenAlertProjection countedProjection = new DrivenAlertProjection(counted, new JdbcActivityHistory(counted),
                new AlertBook(jdbc), List.of(new RapidDrainRule(), new CollectAndRunRule(), new LargeOutflowRule()),
                new EventAtomicity(new DataSourceTransactionManager(postgres.getPostgresDatabase())));
        List<Step> history = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            history.add(new Step(i % 3, Kind.DEPOSIT, START.plus(Duration.ofHours(i)), 200_000));
        }
        String tag = "r" + RUNS.incrementAndGet() + "c";
        List<Handled> events = events(history);
        // each account's opening and first deposit, then the other nine deposits in one batch
        List<Handled> opened = events.subList(0, 6);
        List<Handled> batch = events.subList(6, events.size());
        transactions.executeWithoutResult(status -> opened.forEach(event ->
                countedProjection.handle(event.of(tag), event.sequence(), event.recordedAt())));
        statements.clear();
        inOneBatch(batch, tag, countedProjection);

        assertThat(batch).hasSize(9);
        assertThat(statements).as("statements by their start").containsOnly(Map.entry("select a.*, (select ", 1),
                Map.entry("update alert_account", 1), Map.entry("insert into alert_ac", 1));
        assertThat(jdbc.queryForList("select balance_fen from alert_account where account_id like ? order by account_id",
                Long.class, "%" + tag + "%")).containsExactly(800_000L, 800_000L, 800_000L);
        assertThat(jdbc.queryForObject("select count(*) from alert_activity where account_id like ?", Long.class,
                "%" + tag + "%")).isEqualTo(12);

        statements.clear();
        String singly = "r" + RUNS.incrementAndGet() + "c";
        for (Handled event : events) {
            countedProjection.handle(event.of(singly), event.sequence(), event.recordedAt());
        }
        assertThat(statements).as("one event a transaction").containsEntry("select a.*, (select ", 12)
                .containsEntry("update alert_account", 12).containsEntry("insert into alert_ac", 12);
    }

    /**
     * Hands the events to the projection once an event per transaction and once in batches of these sizes,
     * checks both wrote the same, and returns what they wrote.
     */
    private static Map<String, List<String>> singlyAndInBatches(List<Step> history, List<Integer> batches) {
        int run = RUNS.incrementAndGet();
        String single = "r" + run + "s";
        String batched = "r" + run + "b";
        List<Handled> events = events(history);
        for (Handled event : events) {
            projection.handle(event.of(single), event.sequence(), event.recordedAt()); // its own transaction
        }
        int from = 0;
        for (int size : batches) {
            inOneBatch(events.subList(from, from + size), batched);
            from += size;
        }
        assertThat(from).as("every event batched").isEqualTo(events.size());
        Map<String, List<String>> expected = tables(single);
        assertThat(expected.get("alert_activity")).isNotEmpty();
        assertThat(tables(batched)).isEqualTo(expected);
        return expected;
    }

    /**
     * What the batch keeps in memory of a time is what PostgreSQL keeps of it as a parameter: the rows a batch
     * holds compare times the way the statements they replace did.
     */
    @Property(tries = 200)
    void anInstantIsHeldAsPostgresqlStoresItsParameter(@ForAll("instants") Instant instant) {
        Instant stored = jdbc.queryForObject("select ?::timestamptz", java.sql.Timestamp.class,
                java.sql.Timestamp.from(instant)).toInstant();
        assertThat(PostgresTime.asStored(instant)).isEqualTo(stored);
    }

    @Provide
    Arbitrary<Instant> instants() {
        Arbitrary<Integer> nanos = Arbitraries.oneOf(Arbitraries.integers().between(0, 999_999_999),
                Arbitraries.integers().between(0, 999_999).map(micros -> micros * 1_000 + 500),
                Arbitraries.of(0, 499, 500, 501, 999_999_499, 999_999_500, 999_999_999));
        return Combinators.combine(Arbitraries.longs().between(0, 4_000_000_000L), nanos)
                .as((seconds, nano) -> Instant.ofEpochSecond(seconds, nano));
    }

    /** The events in one transaction and one Axon batch, each handled with the batch as its unit of work. */
    private static void inOneBatch(List<Handled> batch, String tag) {
        inOneBatch(batch, tag, projection);
    }

    private static void inOneBatch(List<Handled> batch, String tag, DrivenAlertProjection projection) {
        Map<EventMessage<?>, Handled> handled = new IdentityHashMap<>();
        List<EventMessage<?>> messages = new ArrayList<>();
        for (Handled event : batch) {
            EventMessage<?> message = GenericEventMessage.asEventMessage(event.of(tag));
            handled.put(message, event);
            messages.add(message);
        }
        transactions.executeWithoutResult(status -> {
            ResultMessage<?> result = new BatchingUnitOfWork<>(messages).executeWithResult(() -> {
                EventMessage<?> message = (EventMessage<?>) CurrentUnitOfWork.get().getMessage();
                Handled event = handled.get(message);
                projection.handle((EscrowAccountEvent) message.getPayload(), event.sequence(), event.recordedAt());
                return null;
            });
            if (result.isExceptional()) {
                throw new IllegalStateException(result.exceptionResult());
            }
        });
    }

    /** An event with its account's sequence and when it was recorded; its ids carry the run's tag. */
    private record Handled(java.util.function.Function<String, EscrowAccountEvent> event, long sequence,
                           Instant recordedAt) {
        EscrowAccountEvent of(String tag) {
            return event.apply(tag);
        }
    }

    private static String account(String tag, int account) {
        return (account == 2 ? "Q" : "P") + tag + "-" + account;
    }

    private static String institution(String tag, int account) {
        return (account == 2 ? "Q" : "P") + tag;
    }

    private static List<Handled> events(List<Step> history) {
        List<Handled> events = new ArrayList<>();
        long[] sequence = new long[3];
        long[] balance = new long[3];
        Instant recorded = START.plus(Duration.ofDays(30));
        int index = 0;
        boolean[] opened = new boolean[3];
        for (Step step : history) {
            int a = step.account();
            if (!opened[a]) { // just before its first fact: the batch may hold its institution already
                opened[a] = true;
                events.add(new Handled(tag -> new EscrowAccountOpened(account(tag, a), institution(tag, a), "330106",
                        "B01", "6222-" + a, SupervisionMode.RISK_RESERVE, InstitutionStatus.ACTIVE,
                        SupervisionPolicy.defaultsFor(SupervisionMode.RISK_RESERVE), START.minus(Duration.ofDays(2))),
                        sequence[a]++, recorded));
            }
            String id = "T" + index++;
            long amount = step.amountFen();
            long after = switch (step.kind()) {
                case DEPOSIT -> balance[a] + amount;
                case RELEASE, REFUND, TRANSFER_OUT -> balance[a] - amount;
                default -> balance[a];
            };
            balance[a] = after;
            Instant at = step.at();
            recorded = recorded.plusSeconds(1);
            events.add(new Handled(tag -> {
                String accountId = account(tag, a);
                return switch (step.kind()) {
                    case DEPOSIT -> new TuitionDeposited(accountId, id, id, "O" + id, "S", 10, amount / 10, amount,
                            LocalDate.of(2026, 3, 1), LocalDate.of(2026, 5, 31), after, at);
                    case RELEASE -> new FundsReleased(accountId, id, id, "O1", amount, after, null, at);
                    case REFUND -> new TuitionRefunded(accountId, id, id, "O1", amount, after, at);
                    case TRANSFER_OUT -> new FundsTransferredOut(accountId, id, id, amount, "x", "y", after, null, at,
                            List.of());
                    case OUTFLOW_REJECTED -> new OutflowRejected(accountId, id, OutflowType.RELEASE, "O1", amount,
                            OutflowRejectionReason.EXCEEDS_RELEASABLE, "", after, at);
                    case CONSUMED -> new LessonsConsumed(accountId, "O1", id, 1, 1, 9, amount / 100, at);
                    case TERMS_CHANGED -> new SupervisionTermsChanged(accountId, InstitutionStatus.ACTIVE,
                            SupervisionMode.FULL_CUSTODY, SupervisionPolicy.defaultsFor(SupervisionMode.FULL_CUSTODY), at);
                };
            }, sequence[a]++, recorded));
        }
        return events;
    }

    @Provide
    Arbitrary<List<Step>> histories() {
        Arbitrary<Integer> accounts = Arbitraries.integers().between(0, 2);
        Arbitrary<Kind> kinds = Arbitraries.frequency(
                Tuple.of(6, Kind.DEPOSIT), Tuple.of(3, Kind.RELEASE),
                Tuple.of(3, Kind.REFUND), Tuple.of(3, Kind.TRANSFER_OUT),
                Tuple.of(2, Kind.OUTFLOW_REJECTED), Tuple.of(2, Kind.CONSUMED),
                Tuple.of(1, Kind.TERMS_CHANGED));
        // a week by the hour (windows of a day, two and a week overlap and are refuted by late facts), now and then at a finer time than PostgreSQL keeps (1.5 and 2.4 µs are
        // kept as 2, 2.6 as 3)
        Arbitrary<Instant> times = Combinators.combine(Arbitraries.integers().between(0, 7 * 24),
                Arbitraries.frequency(Tuple.of(12, 0), Tuple.of(1, 1_500), Tuple.of(1, 2_000), Tuple.of(1, 2_400),
                        Tuple.of(1, 2_600)))
                .as((hours, nanos) -> START.plus(Duration.ofHours(hours)).plusNanos(nanos));
        Arbitrary<Long> amounts = Arbitraries.of(200_000L, 1_000_000L, 3_999_999L, 4_000_000L, 5_000_000L,
                20_000_000L);
        Arbitrary<Step> steps = Combinators.combine(accounts, kinds, times, amounts).as(Step::new);
        return steps.list().ofMinSize(3).ofMaxSize(30).map(list -> {
            List<Step> history = new ArrayList<>();
            for (int account = 0; account < 3; account++) {
                history.add(new Step(account, Kind.DEPOSIT, START.minus(Duration.ofDays(1)), 30_000_000));
            }
            history.addAll(list);
            return history;
        });
    }

    /** Every alert table's rows of one run, as text, the run's tag taken out of them. */
    private static Map<String, List<String>> tables(String tag) {
        String like = "'%" + tag + "%'";
        Map<String, List<String>> tables = new java.util.TreeMap<>();
        tables.put("alert_account", rows("select t::text from alert_account t where account_id like " + like
                + " order by account_id", tag));
        tables.put("alert_account_thresholds", rows("select t::text from alert_account_thresholds t where account_id like "
                + like + " order by account_id", tag));
        tables.put("alert_activity", rows("select t::text from alert_activity t where account_id like " + like
                + " order by account_id, sequence", tag));
        tables.put("alert", rows("select t::text from alert t where account_id like " + like + " order by alert_id", tag));
        tables.put("alert_window", rows("select t::text from alert_window t where account_id like " + like
                + " order by account_id, code, window_end", tag));
        tables.put("alert_change", rows("select alert_id from alert_change where alert_id like " + like
                + " order by change_id", tag));
        return tables;
    }

    private static List<String> rows(String sql, String tag) {
        return jdbc.queryForList(sql, String.class).stream().map(row -> row.replace(tag, "#")).toList();
    }
}
