package cn.prepaid.ledger.store.commands;

import cn.prepaid.ledger.core.supervision.SupervisionService;
import cn.prepaid.ledger.store.aggregates.AggregateLocks;
import cn.prepaid.ledger.store.aggregates.CommittedInstitutionFunds;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/** The write side's entry points: idempotency, retries and multi-aggregate transactions. */
@Configuration(proxyBeanMethods = false)
public class CommandsConfiguration {

    /** Replaces Axon's default correlation data provider (it is defined only when no other one is). */
    @Bean
    public CommandOrigin commandOrigin() {
        return new CommandOrigin();
    }

    /** Registered on the command bus by Axon's interceptor auto-configuration, after its transaction interceptor. */
    @Bean
    public IdempotencyStore idempotencyStore(JdbcTemplate jdbc) {
        return new IdempotencyStore(jdbc, JsonMapper.builder().build());
    }

    @Bean
    public IdempotencyInterceptor idempotencyInterceptor(IdempotencyStore store) {
        return new IdempotencyInterceptor(store);
    }

    @Bean
    public PostingBatchHandler postingBatchHandler(org.axonframework.config.Configuration axon, IdempotencyStore store,
                                                   AggregateLocks locks, CommittedInstitutionFunds institutionFunds) {
        return new PostingBatchHandler(axon, store, locks, institutionFunds);
    }

    /** Resolved by Axon as the {@code InstitutionFunds} parameter of the accounts' outflow handlers. */
    @Bean
    public CommittedInstitutionFunds institutionFunds(JdbcTemplate jdbc,
                                                      ObjectProvider<org.axonframework.config.Configuration> axon) {
        return new CommittedInstitutionFunds(jdbc, axon::getObject);
    }

    @Bean
    public CommandDispatcher commandDispatcher(CommandBus commandBus, MeterRegistry meters) {
        return new MeteredCommandDispatcher(commandBus, meters);
    }

    /**
     * Single postings that arrive together commit together: {@code committers} transactions at once, each
     * taking up to {@code max-postings} of the postings waiting.
     */
    @Bean
    public PostingGroupCommit postingGroupCommit(CommandDispatcher commands, MeterRegistry meters,
                                                 @Value("${ledger.postings.group-commit.committers:2}") int committers,
                                                 @Value("${ledger.postings.group-commit.max-postings:200}") int maxPostings) {
        return new PostingGroupCommit(commands, meters, committers, maxPostings);
    }

    @Bean
    public SupervisionService supervisionService(CommandGateway commandGateway, PlatformTransactionManager transactions) {
        return new SupervisionService(commandGateway, new TransactionalAtomicWork(new TransactionTemplate(transactions)));
    }
}
