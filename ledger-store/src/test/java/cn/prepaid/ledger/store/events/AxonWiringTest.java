package cn.prepaid.ledger.store.events;

import cn.prepaid.ledger.store.commands.IdempotencyInterceptor;
import cn.prepaid.ledger.store.support.StoreIntegrationTest;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.jackson3.Jackson3Serializer;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/** The Boot 4 + Axon 4.13 wiring is the real JDBC/Spring one, not a silent in-memory or no-transaction fallback. */
@StoreIntegrationTest
class AxonWiringTest {

    @Autowired
    ApplicationContext context;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void eventStorageIsAxonsJdbcEngineOnPostgres() {
        assertThat(context.getBean(EventStorageEngine.class)).isInstanceOf(JdbcEventStorageEngine.class);
        assertThat(context.getBean(EventStore.class)).isInstanceOf(EmbeddedEventStore.class);
        assertThat(jdbc.queryForObject("select version()", String.class)).startsWith("PostgreSQL");
    }

    @Test
    void unitsOfWorkRunInSpringTransactions() {
        assertThat(context.getBean(TransactionManager.class)).isInstanceOf(SpringTransactionManager.class);
    }

    @Test
    void tokensAreStoredWithJdbc() {
        assertThat(context.getBean(TokenStore.class)).isInstanceOf(JdbcTokenStore.class);
    }

    @Test
    void eventsAndSnapshotsAreJson(@Qualifier("eventSerializer") Serializer eventSerializer) {
        assertThat(eventSerializer).isInstanceOf(Jackson3Serializer.class);
        assertThat(context.getBean("serializer", Serializer.class)).isInstanceOf(Jackson3Serializer.class);
    }

    @Test
    void postgresUniqueViolationsAreRecognisedAsDuplicateKeys() {
        PersistenceExceptionResolver resolver = context.getBean(PersistenceExceptionResolver.class);
        assertThat(resolver.isDuplicateKeyViolation(new RuntimeException(new SQLException("dup", "23505")))).isTrue();
        assertThat(resolver.isDuplicateKeyViolation(new RuntimeException(new SQLException("fk", "23503")))).isFalse();
    }

    @Test
    void idempotencyInterceptorIsInstalled() {
        assertThat(context.getBeansOfType(IdempotencyInterceptor.class)).hasSize(1);
    }

    @Test
    void tablesAreSnakeCaseWithByteaPayloads() {
        assertThat(jdbc.queryForList("select table_name || '.' || column_name || ':' || data_type "
                + "from information_schema.columns where column_name in ('payload', 'meta_data', 'token', 'diagnostics') "
                + "and table_schema = 'public' order by 1", String.class))
                .containsExactly("dead_letter_entry.diagnostics:bytea", "dead_letter_entry.meta_data:bytea",
                        "dead_letter_entry.payload:bytea", "dead_letter_entry.token:bytea",
                        "domain_event_entry.meta_data:bytea", "domain_event_entry.payload:bytea",
                        "snapshot_event_entry.meta_data:bytea", "snapshot_event_entry.payload:bytea",
                        "token_entry.token:bytea");
    }
}
