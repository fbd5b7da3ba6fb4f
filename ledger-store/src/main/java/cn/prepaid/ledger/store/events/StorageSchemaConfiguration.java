package cn.prepaid.ledger.store.events;

import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.eventhandling.deadletter.jdbc.DeadLetterSchema;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.lang.management.ManagementFactory;
import java.time.Duration;

import static cn.prepaid.ledger.store.events.StoreSchema.AGGREGATE_ID;
import static cn.prepaid.ledger.store.events.StoreSchema.DEAD_LETTERS;
import static cn.prepaid.ledger.store.events.StoreSchema.EVENTS;
import static cn.prepaid.ledger.store.events.StoreSchema.EVENT_ID;
import static cn.prepaid.ledger.store.events.StoreSchema.GLOBAL_INDEX;
import static cn.prepaid.ledger.store.events.StoreSchema.META_DATA;
import static cn.prepaid.ledger.store.events.StoreSchema.PAYLOAD;
import static cn.prepaid.ledger.store.events.StoreSchema.PAYLOAD_REVISION;
import static cn.prepaid.ledger.store.events.StoreSchema.PAYLOAD_TYPE;
import static cn.prepaid.ledger.store.events.StoreSchema.SEQUENCE;
import static cn.prepaid.ledger.store.events.StoreSchema.SNAPSHOTS;
import static cn.prepaid.ledger.store.events.StoreSchema.TIME_STAMP;
import static cn.prepaid.ledger.store.events.StoreSchema.TOKENS;
import static cn.prepaid.ledger.store.events.StoreSchema.TYPE;

/** How Axon's JDBC stores meet this project's PostgreSQL schema (see V1__event_store.sql). */
@Configuration(proxyBeanMethods = false)
public class StorageSchemaConfiguration {

    /** snake_case tables created by Flyway (V1__event_store.sql); Axon's defaults are unquoted camelCase. */
    @Bean
    public EventSchema eventSchema() {
        return EventSchema.builder()
                .eventTable(EVENTS)
                .snapshotTable(SNAPSHOTS)
                .globalIndexColumn(GLOBAL_INDEX)
                .eventIdentifierColumn(EVENT_ID)
                .aggregateIdentifierColumn(AGGREGATE_ID)
                .sequenceNumberColumn(SEQUENCE)
                .typeColumn(TYPE)
                .timestampColumn(TIME_STAMP)
                .payloadTypeColumn(PAYLOAD_TYPE)
                .payloadRevisionColumn(PAYLOAD_REVISION)
                .payloadColumn(PAYLOAD)
                .metaDataColumn(META_DATA)
                .build();
    }

    @Bean
    public TokenSchema tokenSchema() {
        return TokenSchema.builder()
                .setTokenTable(TOKENS)
                .setProcessorNameColumn("processor_name")
                .setSegmentColumn("segment")
                .setTokenColumn("token")
                .setTokenTypeColumn("token_type")
                .setTimestampColumn("timestamp")
                .setOwnerColumn("owner")
                .build();
    }

    /**
     * Axon's JDBC token store as Axon's own auto-configuration builds it, with the node's name as the owner of its
     * segment claims: {@code ledger.node-name}, or, left empty, Axon's default (process id @ host). Two nodes that
     * share a name could take each other's claims; two processes on one host never do, two application contexts in
     * one JVM (tests) would. It moves a position only from the one this node left ({@link PositionCheckedTokenStore}).
     */
    @Bean
    public TokenStore tokenStore(ConnectionProvider connectionProvider, Serializer serializer, TokenSchema tokenSchema,
            @Value("${axon.eventhandling.tokenstore.claim-timeout:10s}") Duration claimTimeout,
            @Value("${ledger.node-name:}") String nodeName) {
        return new PositionCheckedTokenStore(JdbcTokenStore.builder().connectionProvider(connectionProvider)
                .serializer(serializer).claimTimeout(claimTimeout), tokenSchema,
                nodeName.isBlank() ? ManagementFactory.getRuntimeMXBean().getName() : nodeName);
    }

    /** Parked events of failing handlers (V5__dead_letters.sql). */
    @Bean
    public DeadLetterSchema deadLetterSchema() {
        return DeadLetterSchema.builder()
                .deadLetterTable(DEAD_LETTERS)
                .deadLetterIdentifierColumn("dead_letter_id")
                .processingGroupColumn("processing_group")
                .sequenceIdentifierColumn("sequence_identifier")
                .sequenceIndexColumn("sequence_index")
                .messageTypeColumn("message_type")
                .eventIdentifierColumn("event_identifier")
                .timestampColumn("time_stamp")
                .payloadTypeColumn("payload_type")
                .payloadRevisionColumn("payload_revision")
                .payloadColumn("payload")
                .metaDataColumn("meta_data")
                .aggregateTypeColumn("aggregate_type")
                .aggregateIdentifierColumn("aggregate_identifier")
                .sequenceNumberColumn("sequence_number")
                .tokenTypeColumn("token_type")
                .tokenColumn("token")
                .enqueuedAtColumn("enqueued_at")
                .lastTouchedColumn("last_touched")
                .processingStartedColumn("processing_started")
                .causeTypeColumn("cause_type")
                .causeMessageColumn("cause_message")
                .diagnosticsColumn("diagnostics")
                .build();
    }

    /** Axon's default resolver does not recognise pgjdbc's errors (STACK.md pitfall 4). */
    @Bean
    public PersistenceExceptionResolver persistenceExceptionResolver() {
        return new PostgresDuplicateKeyResolver();
    }
}
