package cn.prepaid.ledger.api.readmodel;

import cn.prepaid.ledger.api.support.LedgerIntegrationTest;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.ApproveHeldOutflow;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.ConsumeLessons;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.DepositTuition;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.FreezeAccount;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.RecordBankFee;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.RejectHeldOutflow;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.RequestRefund;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.RequestRelease;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.RequestTransferOut;
import cn.prepaid.ledger.core.account.PostingOutcome;
import cn.prepaid.ledger.core.ids.AccountId;
import cn.prepaid.ledger.core.ids.BankTxnId;
import cn.prepaid.ledger.core.ids.ConsumptionId;
import cn.prepaid.ledger.core.ids.HeldOutflowId;
import cn.prepaid.ledger.core.ids.InstitutionId;
import cn.prepaid.ledger.core.ids.OrderId;
import cn.prepaid.ledger.core.institution.InstitutionCommand.ChangeSupervisionPolicy;
import cn.prepaid.ledger.core.institution.InstitutionCommand.CloseInstitution;
import cn.prepaid.ledger.core.money.Money;
import cn.prepaid.ledger.core.money.Ratio;
import cn.prepaid.ledger.core.policy.SupervisionMode;
import cn.prepaid.ledger.core.policy.SupervisionPolicy;
import cn.prepaid.ledger.core.supervision.SupervisionService;
import cn.prepaid.ledger.projections.query.AccountSummary;
import cn.prepaid.ledger.projections.query.ReadModelQueries;
import cn.prepaid.ledger.projections.readmodel.ReadModels;
import cn.prepaid.ledger.store.aggregates.AggregateStateReader;
import cn.prepaid.ledger.store.commands.CommandDispatcher;
import cn.prepaid.ledger.store.support.TestLedger;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Read models agree with the aggregates, and a rebuild from the event store gives exactly the live tables. */
@LedgerIntegrationTest
class ReadModelIntegrationTest {

    @Autowired
    CommandDispatcher dispatcher;
    @Autowired
    SupervisionService supervision;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    AggregateStateReader aggregates;
    @Autowired
    ReadModelQueries queries;
    @Autowired
    EventProcessingConfiguration processing;
    TestLedger ledger;

    @BeforeEach
    void setUp() {
        ledger = new TestLedger(dispatcher, supervision, jdbc);
    }

    @Test
    void accountViewsMatchTheAggregatesAfterVariedTraffic() {
        List<AccountId> accounts = varied(new Random(7), 4);
        for (AccountId account : accounts) {
            AccountSummary expected = aggregates.account(account, state -> new AccountSummary(state.accountId(),
                    state.institutionId(), state.regionCode(), state.bankCode(), state.bankAccountNo(), state.balance(),
                    state.floor(), state.releasable(), state.outstandingLiability(), state.frozen(), state.orderCount(),
                    0)).orElseThrow();
            long stored = jdbc.queryForObject("select max(sequence_number) from domain_event_entry "
                    + "where aggregate_identifier = ?", Long.class, account.value());
            await().atMost(Duration.ofSeconds(10)).until(() -> queries.account(account.value())
                    .map(AccountSummary::lastSequence).orElse(-1L) == stored);
            assertThat(queries.account(account.value()).orElseThrow())
                    .usingRecursiveComparison().ignoringFields("lastSequence").isEqualTo(expected);
        }
    }

    @Test
    void rebuildingEveryReadModelFromTheEventStoreGivesTheLiveTablesBack() {
        varied(new Random(11), 3);
        StreamingEventProcessor processor = processing.eventProcessor(ReadModels.PROCESSING_GROUP,
                StreamingEventProcessor.class).orElseThrow();
        long head = jdbc.queryForObject("select max(global_index) from domain_event_entry", Long.class);
        await().atMost(Duration.ofSeconds(20)).until(() -> caughtUp(processor, head));
        Map<String, List<Map<String, Object>>> live = tables();
        assertThat(live.get("account_view")).isNotEmpty();
        assertThat(live.get("held_outflow_view")).isNotEmpty();

        processor.shutDown();
        processor.resetTokens();
        assertThat(jdbc.queryForObject("select count(*) from account_view", Long.class)).isZero();
        processor.start();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(tables()).isEqualTo(live));
    }

    private boolean caughtUp(StreamingEventProcessor processor, long head) {
        return processor.processingStatus().values().stream().allMatch(status -> status.getCurrentPosition()
                .orElse(-1) >= head) && !processor.processingStatus().isEmpty();
    }

    private Map<String, List<Map<String, Object>>> tables() {
        return Map.of(
                "institution_view", jdbc.queryForList("select * from institution_view order by institution_id"),
                "account_view", jdbc.queryForList("select * from account_view order by account_id"),
                "order_view", jdbc.queryForList("select * from order_view order by account_id, order_id"),
                "held_outflow_view", jdbc.queryForList("select * from held_outflow_view order by held_outflow_id"));
    }

    /** Accounts with deposits, consumption, releases (some held, then approved or rejected), refunds, fees, freezes. */
    private List<AccountId> varied(Random random, int count) {
        List<AccountId> accounts = new ArrayList<>();
        Instant at = Instant.now().minus(Duration.ofDays(5));
        for (int a = 0; a < count; a++) {
            AccountId account = ledger.activeAccount();
            accounts.add(account);
            InstitutionId institution = InstitutionId.of(aggregates.account(account, s -> s.institutionId()).orElseThrow());
            int orders = 3 + random.nextInt(4);
            for (int o = 0; o < orders; o++) {
                int lessons = 20 + random.nextInt(41);
                Money price = Money.ofYuan(60 + random.nextInt(1500));
                OrderId order = OrderId.of("O" + o);
                dispatcher.dispatch(new DepositTuition(account, BankTxnId.of(account + "-D" + o), price.times(lessons), order,
                        "s" + o, lessons, price, LocalDate.of(2026, 3, 1), LocalDate.of(2026, 5, 20), at));
                int consumed = random.nextInt(lessons + 1);
                if (consumed > 0) {
                    dispatcher.dispatch(new ConsumeLessons(account, order, ConsumptionId.of("C" + o), consumed, at));
                }
                Money release = price.times(consumed);
                if (consumed > 0) {
                    PostingOutcome released = dispatcher.<PostingOutcome>dispatch(
                            new RequestRelease(account, BankTxnId.of(account + "-R" + o), release, order, at)).payload();
                    if (released.status() == PostingOutcome.Status.HELD) {
                        HeldOutflowId held = HeldOutflowId.of(released.heldOutflowId());
                        dispatcher.dispatch(random.nextBoolean()
                                ? new ApproveHeldOutflow(account, held, "regulator", "ok", at)
                                : new RejectHeldOutflow(account, held, "regulator", "no", at));
                    }
                }
                if (random.nextBoolean() && consumed < lessons) {
                    dispatcher.dispatch(new RequestRefund(account, BankTxnId.of(account + "-F" + o), price, order, at));
                }
            }
            dispatcher.dispatch(new RecordBankFee(account, BankTxnId.of(account + "-FEE"), Money.parse("15.00"), "fee", at));
            dispatcher.dispatch(new RequestTransferOut(account, BankTxnId.of(account + "-T"), Money.parse("99999.00"), "x", "y", at));
            if (a % 3 == 1) {
                dispatcher.dispatch(new FreezeAccount(account, "check", "regulator", at));
            }
            if (a % 3 == 2) {
                supervision.change(new ChangeSupervisionPolicy(institution, SupervisionPolicy
                        .defaultsFor(SupervisionMode.FULL_CUSTODY).withCoreValues(Money.parse("5000.00"),
                                Ratio.parse("0.35"), Money.parse("30000.00"), Ratio.parse("0.25"),
                                Money.parse("8000.00")), "regulator", at));
            }
            if (a == 0) {
                supervision.change(new CloseInstitution(institution, "closing", "regulator", at));
            }
        }
        return accounts;
    }
}
