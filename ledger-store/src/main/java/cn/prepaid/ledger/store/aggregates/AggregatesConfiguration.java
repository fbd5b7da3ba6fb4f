package cn.prepaid.ledger.store.aggregates;

import cn.prepaid.ledger.core.account.EscrowAccount;
import cn.prepaid.ledger.core.institution.Institution;
import cn.prepaid.ledger.store.chain.HashChainedAppend;
import cn.prepaid.ledger.store.events.WakeableEventStore;
import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.AggregateConfigurer;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.AggregateSnapshotter;
import org.axonframework.eventsourcing.GenericAggregateFactory;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.messaging.StreamableMessageSource;
import org.axonframework.modelling.command.inspection.AnnotatedAggregateMetaModelFactory;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.jackson3.Jackson3SerializerCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.jsontype.BasicPolymorphicTypeValidator;
import tools.jackson.databind.jsontype.PolymorphicTypeValidator;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * Registers the two aggregates with Axon. Accounts live for years of postings, so both are
 * snapshotted (after {@code ledger.aggregates.snapshot-every-events} events, more as they grow:
 * {@link PacedSnapshotTriggerDefinition}) and kept in a version-checked cache. The domain module
 * stays free of Spring: no {@code @Aggregate} stereotype.
 */
@Configuration(proxyBeanMethods = false)
public class AggregatesConfiguration {

    /** Events per read, an aggregate's (a window of sequence numbers) and the processors' (of global positions). */
    public static final int EVENTS_PER_READ = 100;

    /**
     * Axon's JDBC storage engine, declared here because declaring the event store below makes Axon's
     * JDBC auto-configuration back off from both (the same settings it would use), with two changes:
     * every appended event is hash-chained to its aggregate's previous one (tamper evidence); and an
     * aggregate's events are read in windows of {@link #EVENTS_PER_READ} sequence numbers until a window
     * is not full, where Axon's JDBC engine reads on until a window comes back empty. An aggregate's
     * sequence numbers have no gaps here (each append takes the next one, a unique key guards it, and
     * nothing is ever deleted), so a window that is not full is the end: bringing a cached account up to
     * date, every command's first read, is one query instead of two.
     */
    @Bean
    public EventStorageEngine eventStorageEngine(Serializer serializer,
                                                 @Qualifier("eventSerializer") Serializer eventSerializer,
                                                 PersistenceExceptionResolver persistenceExceptionResolver,
                                                 org.axonframework.config.Configuration axon,
                                                 ConnectionProvider connectionProvider,
                                                 TransactionManager transactionManager, EventSchema eventSchema) {
        return withLedgerSettings(JdbcEventStorageEngine.builder())
                .snapshotSerializer(serializer)
                .eventSerializer(eventSerializer)
                .upcasterChain(axon.upcasterChain())
                .snapshotFilter(axon.snapshotFilter())
                .persistenceExceptionResolver(persistenceExceptionResolver)
                .connectionProvider(connectionProvider)
                .transactionManager(transactionManager)
                .schema(eventSchema)
                .build();
    }

    /** The ledger's two changes to Axon's JDBC engine (above): hash-chained appends, and reads that stop at a window not full. */
    public static JdbcEventStorageEngine.Builder withLedgerSettings(JdbcEventStorageEngine.Builder builder) {
        return builder.appendEvents(new HashChainedAppend())
                .batchSize(EVENTS_PER_READ)
                .finalAggregateBatchPredicate(events -> events.size() < EVENTS_PER_READ);
    }

    /** The event store for processors that poll rather than being woken at each commit. */
    @Bean
    public StreamableMessageSource<TrackedEventMessage<?>> quietEventSource(WakeableEventStore eventBus) {
        return eventBus.withoutWakeUps();
    }

    /** Replaces Axon's default event store bean (same name) with one that PostgreSQL NOTIFY can wake. */
    @Bean(name = "eventBus")
    @Qualifier("eventStore")
    public WakeableEventStore eventStore(EventStorageEngine storageEngine, org.axonframework.config.Configuration axon,
                                         @Value("${ledger.events.fallback-poll:500ms}") Duration fallbackPoll,
                                         @Value("${ledger.events.read-delay:2ms}") Duration readDelay) {
        return WakeableEventStore.over(storageEngine, EmbeddedEventStore.builder()
                .messageMonitor(axon.messageMonitor(EventStore.class, "eventStore"))
                .spanFactory(axon.getComponent(EventBusSpanFactory.class)), fallbackPoll, readDelay);
    }

    /** Reads the events it catches up with from the event store, found once Axon's configuration is complete. */
    @Bean
    public VersionCheckedAggregateCache aggregateCache(AggregateLocks locks,
                                                       ObjectProvider<org.axonframework.config.Configuration> axon,
                                                       @Value("${ledger.aggregates.cache-entries:20000}") int entries) {
        return new VersionCheckedAggregateCache(locks, () -> axon.getObject().eventStore(), entries);
    }

    /** Aggregates' locks across nodes, taken before Axon's own in this JVM. */
    @Bean
    public AggregateLocks aggregateLocks(JdbcTemplate jdbc) {
        return new AggregateLocks(jdbc);
    }

    /**
     * Where snapshots are taken: one thread of its own ({@link SnapshotThread}), never the command's.
     * Axon takes a snapshot after the command's commit but before its aggregate locks are released, in
     * a new transaction. On the command's thread that meant holding locks while waiting for a second
     * pooled connection; under load (a batch holds several accounts' locks) every pooled connection
     * ended up with a command waiting for those locks, and nothing moved until the pool's 30 s timeout.
     * The queue needs no bound: Axon schedules at most one snapshot per aggregate at a time.
     */
    @Bean
    public SnapshotThread snapshotThread() {
        return new SnapshotThread();
    }

    /**
     * Not an {@code Executor} bean on purpose: one would make Spring Boot leave out its own task
     * executor, which the alert stream's asynchronous requests use.
     */
    public static final class SnapshotThread implements AutoCloseable {
        private final ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "aggregate-snapshots");
            thread.setDaemon(true);
            return thread;
        });

        @Override
        public void close() {
            executor.shutdownNow();
        }
    }

    @Bean
    public ConfigurerModule aggregatesModule(VersionCheckedAggregateCache cache, AggregateLocks locks,
                                             SnapshotThread snapshots,
                                             @Value("${ledger.aggregates.snapshot-every-events:500}") int snapshotEvery,
                                             @Value("${ledger.aggregates.snapshot-every-events-at-most:5000}")
                                             int snapshotEveryAtMost) {
        Function<org.axonframework.config.Configuration, SnapshotTriggerDefinition> paced = c ->
                new PacedSnapshotTriggerDefinition(c.getComponent(AggregateSnapshotter.class), snapshotEvery,
                        snapshotEveryAtMost);
        return configurer -> {
            configurer.registerComponent(AggregateSnapshotter.class, c -> AggregateSnapshotter.builder()
                    .executor(snapshots.executor)
                    .eventStore(c.eventStore())
                    .transactionManager(c.getComponent(TransactionManager.class))
                    // factories and the snapshotter's own inspection of each aggregate with the configuration's
                    // resolvers: the classpath's alone cannot resolve the outflow handlers' InstitutionFunds (a
                    // Spring bean), and every snapshot of an account failed with "Unable to resolve parameter 1".
                    // axon-test's resolver, which resolves any parameter, is kept off these modules' test
                    // classpaths so that SnapshotIntegrationTest sees what the packaged ledger sees.
                    .aggregateFactories(factory(c, EscrowAccount.class), factory(c, Institution.class))
                    .parameterResolverFactory(c.parameterResolverFactory())
                    .handlerDefinition(c.handlerDefinition(EscrowAccount.class))
                    .build());
            configurer.configureAggregate(AggregateConfigurer.defaultConfiguration(EscrowAccount.class)
                    .configureLockFactory(c -> locks.lockFactory())
                    .configureCache(c -> cache)
                    .configureSnapshotTrigger(paced));
            configurer.configureAggregate(AggregateConfigurer.defaultConfiguration(Institution.class)
                    .configureLockFactory(c -> locks.lockFactory())
                    .configureCache(c -> cache)
                    .configureSnapshotTrigger(paced));
        };
    }

    private static <A> GenericAggregateFactory<A> factory(org.axonframework.config.Configuration configuration,
                                                         Class<A> type) {
        return new GenericAggregateFactory<>(AnnotatedAggregateMetaModelFactory.inspectAggregate(type,
                configuration.parameterResolverFactory(), configuration.handlerDefinition(type)));
    }

    /**
     * Snapshots serialise the aggregates' private fields; events and commands are records. Unknown
     * properties fail loudly: a stored event that no longer fits its class is a bug to see, not skip.
     */
    @Bean
    public Jackson3SerializerCustomizer fieldVisibleSerializer() {
        // Axon's tracking tokens (a ReplayToken holds an Object-typed context) carry their class name;
        // Jackson 3 refuses such polymorphism unless told which classes may appear: Axon's own only.
        PolymorphicTypeValidator axonTypesOnly = BasicPolymorphicTypeValidator.builder()
                .allowIfSubType("org.axonframework.").build();
        return builder -> builder.polymorphicTypeValidator(axonTypesOnly).changeDefaultVisibility(visibility -> visibility
                .withVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
                .withVisibility(PropertyAccessor.GETTER, JsonAutoDetect.Visibility.NONE)
                .withVisibility(PropertyAccessor.IS_GETTER, JsonAutoDetect.Visibility.NONE));
    }
}
