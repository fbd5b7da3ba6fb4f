package cn.prepaid.ledger.api.storage;

import cn.prepaid.ledger.core.account.EscrowAccount;
import cn.prepaid.ledger.core.institution.Institution;
import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.AggregateConfigurer;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventsourcing.AggregateSnapshotter;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.GenericAggregateFactory;
import org.axonframework.serialization.jackson3.Jackson3SerializerCustomizer;
import tools.jackson.databind.jsontype.BasicPolymorphicTypeValidator;
import tools.jackson.databind.jsontype.PolymorphicTypeValidator;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Registers the two aggregates with Axon. Accounts live for years of postings, so both are
 * snapshotted every {@code ledger.aggregates.snapshot-every-events} events and kept in a
 * version-checked cache. The domain module stays free of Spring: no {@code @Aggregate} stereotype.
 */
@Configuration(proxyBeanMethods = false)
public class AggregatesConfiguration {

    @Bean
    public VersionCheckedAggregateCache aggregateCache(JdbcTemplate jdbc,
                                                       @Value("${ledger.aggregates.cache-entries:20000}") int entries) {
        return new VersionCheckedAggregateCache(jdbc, "domain_event_entry", entries);
    }

    @Bean
    public ConfigurerModule aggregatesModule(VersionCheckedAggregateCache cache,
                                             @Value("${ledger.aggregates.snapshot-every-events:500}") int snapshotEvery) {
        return configurer -> {
            configurer.registerComponent(AggregateSnapshotter.class, c -> AggregateSnapshotter.builder()
                    .eventStore(c.eventStore())
                    .transactionManager(c.getComponent(TransactionManager.class))
                    .aggregateFactories(new GenericAggregateFactory<>(EscrowAccount.class),
                            new GenericAggregateFactory<>(Institution.class))
                    .build());
            configurer.configureAggregate(AggregateConfigurer.defaultConfiguration(EscrowAccount.class)
                    .configureCache(c -> cache)
                    .configureSnapshotTrigger(c -> new EventCountSnapshotTriggerDefinition(
                            c.getComponent(AggregateSnapshotter.class), snapshotEvery)));
            configurer.configureAggregate(AggregateConfigurer.defaultConfiguration(Institution.class)
                    .configureCache(c -> cache)
                    .configureSnapshotTrigger(c -> new EventCountSnapshotTriggerDefinition(
                            c.getComponent(AggregateSnapshotter.class), snapshotEvery)));
        };
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
