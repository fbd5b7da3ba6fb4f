package cn.prepaid.ledger.store.events;

import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.ConfigurerModule;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;

/**
 * Every pooled event processor (read models, alerts, balance checkpoints, the webhook outbox) handles its
 * batches and moves its tokens in {@link ProjectionTransactionManager}'s transactions. Set on the
 * processors themselves, not on their processing groups: a dead letter retried on an operator's request
 * runs in the group's transactions, which stay synchronous.
 */
@Configuration(proxyBeanMethods = false)
public class ProcessorTransactionsConfiguration {

    @Bean
    public ConfigurerModule processorTransactions(DataSource dataSource) {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        return configurer -> configurer.eventProcessing().registerPooledStreamingEventProcessorConfiguration(
                (axon, processor) -> processor.transactionManager(
                        new ProjectionTransactionManager(axon.getComponent(TransactionManager.class), jdbc)));
    }
}
