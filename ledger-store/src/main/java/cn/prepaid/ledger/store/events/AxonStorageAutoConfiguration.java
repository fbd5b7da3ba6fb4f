package cn.prepaid.ledger.store.events;

import org.axonframework.springboot.autoconfig.AxonAutoConfiguration;
import org.axonframework.springboot.autoconfig.EventProcessingAutoConfiguration;
import org.axonframework.springboot.autoconfig.InterceptorAutoConfiguration;
import org.axonframework.springboot.autoconfig.JdbcAutoConfiguration;
import org.axonframework.springboot.autoconfig.NoOpTransactionAutoConfiguration;
import org.axonframework.springboot.autoconfig.TransactionAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * Wires Axon's JDBC event store, token store and transaction manager to Boot 4's DataSource.
 *
 * <p>Axon 4.13's own {@link JdbcAutoConfiguration} and {@link TransactionAutoConfiguration} order
 * themselves after Boot 3 class names, so on Boot 4 they are evaluated before the DataSource and
 * transaction manager exist and silently fall back to no transactions (STACK.md pitfall 1). They are
 * excluded in application.yml and imported here, after Boot 4's DataSource and transaction manager
 * and before anything of Axon that consumes them. {@code AxonWiringTest} asserts the result.
 */
@AutoConfiguration(
        after = {DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class},
        before = {AxonAutoConfiguration.class, NoOpTransactionAutoConfiguration.class,
                EventProcessingAutoConfiguration.class, InterceptorAutoConfiguration.class})
@Import({JdbcAutoConfiguration.class, TransactionAutoConfiguration.class})
public class AxonStorageAutoConfiguration {
    // The schema and exception-resolver beans Axon's JDBC configuration backs off for live in
    // StorageSchemaConfiguration: user configuration is registered before any auto-configuration.
}
