package cn.prepaid.ledger.core.account;

import cn.prepaid.ledger.core.account.EscrowAccountEvent.FundsReleased;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.FundsTransferredOut;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.OutflowRejected;
import cn.prepaid.ledger.core.account.InstitutionFunds.AccountFunds;
import cn.prepaid.ledger.core.institution.InstitutionStatus;
import cn.prepaid.ledger.core.money.Money;
import cn.prepaid.ledger.core.money.Ratio;
import cn.prepaid.ledger.core.policy.SupervisionMode;
import cn.prepaid.ledger.core.policy.SupervisionPolicy;
import cn.prepaid.ledger.core.rules.LedgerRejection;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static cn.prepaid.ledger.core.LedgerMatchers.rejection;
import static cn.prepaid.ledger.core.account.AccountCommands.T1;
import static cn.prepaid.ledger.core.account.AccountCommands.approve;
import static cn.prepaid.ledger.core.account.AccountCommands.release;
import static cn.prepaid.ledger.core.account.AccountCommands.transferOut;
import static cn.prepaid.ledger.core.account.AccountHistory.ACC;
import static cn.prepaid.ledger.core.account.AccountHistory.INSTITUTION;
import static cn.prepaid.ledger.core.rules.OutflowRejectionReason.BREACHES_FLOOR;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The floor belongs to the institution: an outflow from one account is judged against the money and
 * the unearned tuition of all the institution's accounts, as {@link InstitutionFunds} answers them.
 */
class InstitutionFloorTest {

    private static final SupervisionPolicy DEFAULTS = SupervisionPolicy.defaultsFor(SupervisionMode.FULL_CUSTODY);
    private static final SupervisionPolicy MIN_100_000 = DEFAULTS.withCoreValues(Money.parse("100000.00"),
            Ratio.parse("0.20"), Money.parse("50000.00"), Ratio.parse("0.30"), Money.parse("10000.00"));
    private static final long THOUSAND = 1000_00;

    private final List<String[]> asked = new ArrayList<>();

    /** Account A: ¥120,000 in two orders of 60 lessons at ¥1,000; 30 lessons of O-1 delivered (¥30,000 earned). */
    private static AccountHistory accountA(SupervisionPolicy policy) {
        return AccountHistory.opened(SupervisionMode.FULL_CUSTODY, InstitutionStatus.ACTIVE, policy)
                .deposit("O-1", 60, THOUSAND).deposit("O-2", 60, THOUSAND).consume("O-1", 30);
    }

    private FixtureConfiguration<EscrowAccount> fixtureWithSibling(AccountFunds sibling) {
        AggregateTestFixture<EscrowAccount> fixture = new AggregateTestFixture<>(EscrowAccount.class);
        fixture.registerInjectableResource((InstitutionFunds) (institutionId, accountId) -> {
            asked.add(new String[]{institutionId, accountId});
            return List.of(sibling);
        });
        return fixture;
    }

    @Test
    void aReleaseTheInstitutionCanAffordIsPaidAlthoughTheAccountAloneWouldFallBelowTheMinimum() {
        // The case: B holds ¥300,000; releasing A's ¥30,000 leaves the institution ¥390,000 over a ¥100,000 floor.
        fixtureWithSibling(new AccountFunds("ACC-B", 300_000 * 100L, 0, 0))
                .given(accountA(MIN_100_000).events())
                .when(release("T-9", "30000.00", "O-1"))
                .expectEvents(new FundsReleased(ACC, "ACC-1.P3", "T-9", "O-1", 30_000 * 100L, 90_000 * 100L, null, T1));
        assertThat(asked).singleElement().satisfies(question -> {
            assertThat(question[0]).isEqualTo(INSTITUTION);
            assertThat(question[1]).isEqualTo(ACC);
        });
    }

    @Test
    void anInstitutionOfOneAccountStillRefusesBelowTheMinimum() {
        AggregateTestFixture<EscrowAccount> fixture = new AggregateTestFixture<>(EscrowAccount.class);
        fixture.registerInjectableResource(InstitutionFunds.SINGLE_ACCOUNT);
        fixture.given(accountA(MIN_100_000).events())
                .when(release("T-9", "30000.00", "O-1"))
                .expectEvents(new OutflowRejected(ACC, "T-9", OutflowType.RELEASE, "O-1", 30_000 * 100L,
                        BREACHES_FLOOR, "the institution's balance after would be below its floor of 100000.00",
                        120_000 * 100L, T1));
    }

    @Test
    void theOtherAccountsUnearnedTuitionRaisesTheFloorThisAccountAloneWouldKeep() {
        // A alone: floor 20 % of ¥90,000 = ¥18,000, ¥90,000 left: fine. B owes ¥2,000,000 of unearned tuition:
        // the institution's floor is 20 % of ¥2,090,000 = ¥418,000, and ¥390,000 would be left.
        fixtureWithSibling(new AccountFunds("ACC-B", 300_000 * 100L, 0, 2_000_000 * 100L))
                .given(accountA(DEFAULTS).events())
                .when(release("T-9", "30000.00", "O-1"))
                .expectEvents(new OutflowRejected(ACC, "T-9", OutflowType.RELEASE, "O-1", 30_000 * 100L,
                        BREACHES_FLOOR, "the institution's balance after would be below its floor of 418000.00",
                        120_000 * 100L, T1));
    }

    @Test
    void whatTheOtherAccountsReserveForHeldOutflowsDoesNotHoldTheFloor() {
        // B holds ¥300,000 but ¥295,000 of it waits for a regulator: ¥95,000 would be left against ¥100,000.
        fixtureWithSibling(new AccountFunds("ACC-B", 300_000 * 100L, 295_000 * 100L, 0))
                .given(accountA(MIN_100_000).events())
                .when(release("T-9", "30000.00", "O-1"))
                .expectEvents(new OutflowRejected(ACC, "T-9", OutflowType.RELEASE, "O-1", 30_000 * 100L,
                        BREACHES_FLOOR, "the institution's balance after would be below its floor of 100000.00",
                        120_000 * 100L, T1));
    }

    @Test
    void aTransferOutIsJudgedAgainstTheInstitutionsFloorToo() {
        // ¥5,000 of interest backs no order; A alone would drop to ¥120,000, below a ¥130,000 minimum.
        SupervisionPolicy min130000 = DEFAULTS.withCoreValues(Money.parse("130000.00"), Ratio.parse("0.20"),
                Money.parse("50000.00"), Ratio.parse("0.30"), Money.parse("10000.00"));
        fixtureWithSibling(new AccountFunds("ACC-B", 300_000 * 100L, 0, 0))
                .given(accountA(min130000).interest(5_000 * 100L).events())
                .when(transferOut("T-9", "5000.00"))
                .expectEvents(new FundsTransferredOut(ACC, "ACC-1.P4", "T-9", 5_000 * 100L,
                        "Institution basic account", "interest sweep", 120_000 * 100L, null, T1));
    }

    @Test
    void anApprovalIsPaidWhenTheInstitutionAffordsItAndRefusedWhenItNoLongerDoes() {
        // ¥60,000 earned and held as large; paying it leaves A ¥60,000 against a ¥100,000 minimum.
        AccountHistory history = AccountHistory.opened(SupervisionMode.FULL_CUSTODY, InstitutionStatus.ACTIVE,
                MIN_100_000).deposit("O-1", 60, THOUSAND).deposit("O-2", 60, THOUSAND).consume("O-1", 60)
                .heldRelease("T-H", "O-1", 60_000 * 100L);
        fixtureWithSibling(new AccountFunds("ACC-B", 300_000 * 100L, 0, 0))
                .given(history.events())
                .when(approve("ACC-1.H1"))
                .expectSuccessfulHandlerExecution()
                .expectState(account -> assertThat(account.balance()).isEqualTo(Money.parse("60000.00")));
        fixtureWithSibling(new AccountFunds("ACC-B", 30_000 * 100L, 0, 0))
                .given(history.events())
                .when(approve("ACC-1.H1"))
                .expectException(rejection(LedgerRejection.HELD_OUTFLOW_BLOCKED))
                .expectExceptionMessage("paying it now would take the institution's balance below its floor of "
                        + "100000.00");
    }
}
