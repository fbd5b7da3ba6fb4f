package cn.prepaid.ledger.store.aggregates;

import cn.prepaid.ledger.core.account.EscrowAccount;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.ConsumeLessons;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.DepositTuition;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.RequestRefund;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.RequestRelease;
import cn.prepaid.ledger.core.account.PostingOutcome;
import cn.prepaid.ledger.core.ids.AccountId;
import cn.prepaid.ledger.core.ids.BankCode;
import cn.prepaid.ledger.core.ids.BankTxnId;
import cn.prepaid.ledger.core.ids.ConsumptionId;
import cn.prepaid.ledger.core.ids.InstitutionId;
import cn.prepaid.ledger.core.institution.InstitutionCommand.ChangeSupervisionPolicy;
import cn.prepaid.ledger.core.institution.InstitutionCommand.CloseInstitution;
import cn.prepaid.ledger.core.institution.InstitutionCommand.SuspendInstitution;
import cn.prepaid.ledger.core.institution.InstitutionStatus;
import cn.prepaid.ledger.core.money.Money;
import cn.prepaid.ledger.core.policy.SupervisionMode;
import cn.prepaid.ledger.core.policy.SupervisionPolicy;
import cn.prepaid.ledger.core.rules.OutflowRejectionReason;
import cn.prepaid.ledger.core.supervision.SupervisionService;
import cn.prepaid.ledger.store.commands.CommandDispatcher;
import cn.prepaid.ledger.store.support.StoreIntegrationTest;
import cn.prepaid.ledger.store.support.TestLedger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Institution changes reach every account in the same transaction; closure turns unconsumed tuition into refund obligations. */
@StoreIntegrationTest
class SupervisionIntegrationTest {

    @Autowired
    CommandDispatcher dispatcher;
    @Autowired
    SupervisionService supervision;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    AggregateStateReader aggregates;
    TestLedger ledger;

    @BeforeEach
    void setUp() {
        ledger = new TestLedger(dispatcher, supervision, jdbc);
    }

    @Test
    void aSuspendedInstitutionsAccountsRefuseReleasesButStillRefund() {
        AccountId account = ledger.activeAccount();
        DepositTuition deposit = TestLedger.deposit(account, TestLedger.unique("TXN"), 10, "80.00");
        dispatcher.dispatch(deposit);
        dispatcher.dispatch(new ConsumeLessons(account, deposit.orderId(), ConsumptionId.of(TestLedger.unique("C")), 4,
                Instant.parse("2026-03-10T10:00:00Z")));

        supervision.change(new SuspendInstitution(institutionOf(account), "complaints", "regulator", Instant.now()));

        PostingOutcome release = dispatcher.<PostingOutcome>dispatch(new RequestRelease(account,
                BankTxnId.of(TestLedger.unique("REL")), Money.parse("80.00"), deposit.orderId(), Instant.now())).payload();
        PostingOutcome refund = dispatcher.<PostingOutcome>dispatch(new RequestRefund(account,
                BankTxnId.of(TestLedger.unique("REF")), Money.parse("480.00"), deposit.orderId(), Instant.now())).payload();
        assertThat(release.rejection()).isEqualTo(OutflowRejectionReason.INSTITUTION_NOT_ACTIVE);
        assertThat(refund.status()).isEqualTo(PostingOutcome.Status.REFUNDED);
        assertThat(refund.balanceFen()).isEqualTo(80_000L - 48_000L);
        assertThat(accountState(account).institutionStatus()).isEqualTo(InstitutionStatus.SUSPENDED);
    }

    @Test
    void aPolicyChangeReachesEveryAccountOfTheInstitution() {
        AccountId first = ledger.activeAccount();
        InstitutionId institution = institutionOf(first);
        AccountId second = AccountId.of(TestLedger.unique("ACC"));
        supervision.openAccount(second, institution, BankCode.of("ABC-HZ"), "95599", Instant.now());
        SupervisionPolicy stricter = SupervisionPolicy.defaultsFor(SupervisionMode.FULL_CUSTODY)
                .withCoreValues(Money.parse("100000.00"), cn.prepaid.ledger.core.money.Ratio.parse("0.5"),
                        Money.parse("20000.00"), cn.prepaid.ledger.core.money.Ratio.parse("0.3"),
                        Money.parse("5000.00"));

        supervision.change(new ChangeSupervisionPolicy(institution, stricter, "regulator", Instant.now()));

        assertThat(accountState(first).policy()).isEqualTo(stricter);
        assertThat(accountState(second).policy()).isEqualTo(stricter);
        assertThat(accountState(second).floor()).isEqualTo(Money.parse("100000.00"));
    }

    @Test
    void closingTheInstitutionRecordsEveryUnconsumedOrderAsARefundObligation() {
        AccountId account = ledger.activeAccount();
        DepositTuition a = TestLedger.deposit(account, TestLedger.unique("TXN"), 10, "80.00");
        DepositTuition b = TestLedger.deposit(account, TestLedger.unique("TXN"), 20, "50.00");
        dispatcher.dispatch(a);
        dispatcher.dispatch(b);
        dispatcher.dispatch(new ConsumeLessons(account, a.orderId(), ConsumptionId.of(TestLedger.unique("C")), 10,
                Instant.parse("2026-03-10T10:00:00Z")));
        dispatcher.dispatch(new ConsumeLessons(account, b.orderId(), ConsumptionId.of(TestLedger.unique("C")), 5,
                Instant.parse("2026-03-10T10:00:00Z")));

        supervision.change(new CloseInstitution(institutionOf(account), "termination", "regulator", Instant.now()));

        byte[] payload = jdbc.queryForObject("select payload from domain_event_entry where aggregate_identifier = ? "
                + "and payload_type like '%RefundObligationsEstablished'", byte[].class, account.value());
        var json = JsonMapper.builder().build().readTree(new String(payload, StandardCharsets.UTF_8));
        assertThat(json.get("totalFen").asLong()).isEqualTo(15 * 5_000L);
        assertThat(json.get("obligations")).hasSize(1);
        assertThat(json.get("obligations").get(0).get("orderId").asString()).isEqualTo(b.orderId().value());
        PostingOutcome release = dispatcher.<PostingOutcome>dispatch(new RequestRelease(account,
                BankTxnId.of(TestLedger.unique("REL")), Money.parse("800.00"), a.orderId(), Instant.now())).payload();
        assertThat(release.rejection()).isEqualTo(OutflowRejectionReason.INSTITUTION_NOT_ACTIVE);
    }

    private InstitutionId institutionOf(AccountId account) {
        return InstitutionId.of(accountState(account).institutionId());
    }

    private EscrowAccount.State accountState(AccountId account) {
        return aggregates.account(account, state -> state).orElseThrow();
    }
}
