package cn.prepaid.ledger.store.aggregates;

import cn.prepaid.ledger.core.account.PostingOutcome;
import cn.prepaid.ledger.core.ids.AccountId;
import cn.prepaid.ledger.core.ids.BankCode;
import cn.prepaid.ledger.core.ids.InstitutionId;
import cn.prepaid.ledger.core.ids.RegionCode;
import cn.prepaid.ledger.core.institution.InstitutionCategory;
import cn.prepaid.ledger.core.institution.InstitutionCommand.RegisterInstitution;
import cn.prepaid.ledger.core.policy.SupervisionMode;
import cn.prepaid.ledger.core.rules.LedgerRejection;
import cn.prepaid.ledger.core.rules.LedgerRuleException;
import cn.prepaid.ledger.core.supervision.SupervisionService;
import cn.prepaid.ledger.store.commands.CommandDispatcher;
import cn.prepaid.ledger.store.support.StoreIntegrationTest;
import cn.prepaid.ledger.store.support.TestLedger;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@StoreIntegrationTest
class EventStoreIntegrationTest {

    @Autowired
    CommandDispatcher dispatcher;
    @Autowired
    SupervisionService supervision;
    @Autowired
    JdbcTemplate jdbc;
    TestLedger ledger;

    @BeforeEach
    void setUp() {
        ledger = new TestLedger(dispatcher, supervision, jdbc);
    }

    @Test
    void eventsAreStoredAsJsonInByteaWithIsoTimestamps() {
        AccountId account = ledger.activeAccount();
        PostingOutcome outcome = dispatcher.<PostingOutcome>dispatch(
                TestLedger.deposit(account, TestLedger.unique("TXN"), 20, "80.00")).payload();
        assertThat(outcome.balanceFen()).isEqualTo(160_000L);

        List<Map<String, Object>> rows = jdbc.queryForList("select sequence_number, type, time_stamp, payload_type, "
                + "payload from domain_event_entry where aggregate_identifier = ? order by sequence_number",
                account.value());
        assertThat(rows).extracting(row -> row.get("payload_type")).containsExactly(
                "cn.prepaid.ledger.core.account.EscrowAccountEvent$EscrowAccountOpened",
                "cn.prepaid.ledger.core.account.EscrowAccountEvent$TuitionDeposited");
        assertThat(rows).extracting(row -> row.get("type")).containsOnly("EscrowAccount");
        for (Map<String, Object> row : rows) {
            Instant recorded = Instant.parse((String) row.get("time_stamp"));
            assertThat(recorded).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(1));
        }
        JsonNode deposit = JsonMapper.builder().build()
                .readTree(new String((byte[]) rows.get(1).get("payload"), StandardCharsets.UTF_8));
        assertThat(deposit.get("amountFen").asLong()).isEqualTo(160_000L);
        assertThat(deposit.get("lessons").asInt()).isEqualTo(20);
        assertThat(deposit.get("occurredAt").asString()).isEqualTo("2026-03-01T01:30:00Z");
        assertThat(deposit.get("courseStart").asString()).isEqualTo("2026-03-01");
    }

    @Test
    void registeringTheSameInstitutionTwiceIsRejectedAndAppendsNothing() {
        InstitutionId id = TestLedger.newInstitutionId();
        RegisterInstitution register = new RegisterInstitution(id, "Twice", RegionCode.of("330106"),
                InstitutionCategory.SUBJECT, SupervisionMode.FULL_CUSTODY, null, "test", Instant.now());
        dispatcher.dispatch(register);

        assertThatThrownBy(() -> dispatcher.dispatch(register)).isInstanceOf(AggregateStreamCreationException.class);
        assertThat(ledger.eventCount(id.value())).isEqualTo(1);
    }

    @Test
    void openingAnExistingAccountAgainIsRejectedAndAppendsNothing() {
        AccountId account = ledger.activeAccount();
        String institution = jdbc.queryForObject("select aggregate_identifier from domain_event_entry "
                + "where payload_type like '%EscrowAccountLinked' and convert_from(payload, 'UTF8') like ?",
                String.class, "%\"" + account.value() + "\"%");
        long institutionEvents = ledger.eventCount(institution);

        assertThatThrownBy(() -> supervision.openAccount(account, InstitutionId.of(institution),
                BankCode.of("ICBC-HZ"), "6222000011112222", Instant.now()))
                .isInstanceOfSatisfying(LedgerRuleException.class,
                        e -> assertThat(e.rejection()).isEqualTo(LedgerRejection.ACCOUNT_ALREADY_EXISTS));
        assertThat(ledger.eventCount(account.value())).isEqualTo(1);
        assertThat(ledger.eventCount(institution)).isEqualTo(institutionEvents);
    }

    @Test
    void anAccountIdTakenUnderAnotherInstitutionIsRejectedAtomically() {
        AccountId account = ledger.activeAccount();
        InstitutionId other = TestLedger.newInstitutionId();
        dispatcher.dispatch(new RegisterInstitution(other, "Other", RegionCode.of("330106"),
                InstitutionCategory.SUBJECT, SupervisionMode.FULL_CUSTODY, null, "test", Instant.now()));

        assertThatThrownBy(() -> supervision.openAccount(account, other, BankCode.of("ABC-HZ"), "1", Instant.now()))
                .isInstanceOf(AggregateStreamCreationException.class);
        // the link on the other institution rolled back with the failed creation
        assertThat(ledger.eventCount(other.value())).isEqualTo(1);
        assertThat(ledger.eventCount(account.value())).isEqualTo(1);
    }
}
