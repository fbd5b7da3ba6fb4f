package cn.prepaid.ledger.api.storage;

import cn.prepaid.ledger.api.support.LedgerIntegrationTest;
import cn.prepaid.ledger.core.account.PostingOutcome;
import cn.prepaid.ledger.core.ids.AccountId;
import cn.prepaid.ledger.core.supervision.SupervisionService;
import cn.prepaid.ledger.store.commands.CommandDispatcher;
import cn.prepaid.ledger.store.commands.CommandOrigin;
import cn.prepaid.ledger.store.support.TestLedger;
import org.axonframework.config.Configuration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Events keep the origin of the command that appended them in their metadata, while the processors
 * handling them are given no correlation data (which spared reading each event's metadata).
 */
@LedgerIntegrationTest
class EventMetadataTest {

    @Autowired
    CommandDispatcher dispatcher;
    @Autowired
    SupervisionService supervision;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    Configuration axon;

    @Test
    void anEventAppendedByACommandCarriesTheCommandsOriginAndOnlyTheCommandOriginProviderIsConfigured() {
        assertThat(axon.correlationDataProviders()).singleElement().isInstanceOf(CommandOrigin.class);

        AccountId account = new TestLedger(dispatcher, supervision, jdbc).activeAccount();
        CommandDispatcher.Outcome<PostingOutcome> outcome = dispatcher.dispatch(
                TestLedger.deposit(account, TestLedger.unique("TXN"), 10, "80.00"));
        assertThat(outcome.replayed()).isFalse();

        String metadata = jdbc.queryForObject("select convert_from(meta_data, 'UTF8') from domain_event_entry "
                + "where aggregate_identifier = ? order by sequence_number desc limit 1", String.class,
                account.value());
        Map<String, Object> origin = JsonMapper.builder().build().readValue(metadata, new TypeReference<>() {
        });
        assertThat(origin).containsOnlyKeys("correlationId", "traceId");
        assertThat(origin.get("traceId")).asString().hasSize(36);
    }
}
