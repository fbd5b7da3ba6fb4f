package cn.prepaid.ledger.core.account;

import cn.prepaid.ledger.core.account.EscrowAccountCommand.ConsumeLessons;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.RequestRefund;
import cn.prepaid.ledger.core.ids.BankTxnId;
import cn.prepaid.ledger.core.ids.ConsumptionId;
import cn.prepaid.ledger.core.ids.OrderId;
import cn.prepaid.ledger.core.money.Money;
import cn.prepaid.ledger.core.rules.LedgerRejection;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static cn.prepaid.ledger.core.LedgerMatchers.rejection;
import static cn.prepaid.ledger.core.account.AccountHistory.ACCOUNT;
import static cn.prepaid.ledger.core.account.AccountHistory.T0;

/** Lessons cannot be delivered, nor tuition refunded, before the family paid for the order. */
class ImpossibleDatesTest {

    private static final Instant BEFORE_DEPOSIT = T0.minusSeconds(1);

    private FixtureConfiguration<EscrowAccount> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(EscrowAccount.class);
        fixture.registerInjectableResource(InstitutionFunds.SINGLE_ACCOUNT);
    }

    /** O-1 paid at T0: 40 lessons at ¥80. */
    private static AccountHistory paidAtT0() {
        return AccountHistory.fullCustody().deposit("O-1", 40, 80_00);
    }

    @Test
    void aConsumptionDatedBeforeItsOrdersDepositIsRefusedAndStoresNothing() {
        fixture.given(paidAtT0().events())
                .when(new ConsumeLessons(ACCOUNT, OrderId.of("O-1"), ConsumptionId.of("C-1"), 2, BEFORE_DEPOSIT))
                .expectNoEvents()
                .expectException(rejection(LedgerRejection.OCCURRED_BEFORE_DEPOSIT))
                .expectExceptionMessage("lessons of order O-1 cannot be delivered at 2024-03-01T01:59:59Z, before the "
                        + "order was paid at 2024-03-01T02:00:00Z");
    }

    @Test
    void aRefundDatedBeforeItsOrdersDepositIsRefusedAndStoresNothing() {
        fixture.given(paidAtT0().events())
                .when(new RequestRefund(ACCOUNT, BankTxnId.of("R-1"), Money.parse("80.00"), OrderId.of("O-1"),
                        BEFORE_DEPOSIT))
                .expectNoEvents()
                .expectException(rejection(LedgerRejection.OCCURRED_BEFORE_DEPOSIT))
                .expectExceptionMessage("order O-1 cannot be refunded at 2024-03-01T01:59:59Z, before it was paid at "
                        + "2024-03-01T02:00:00Z");
    }

    @Test
    void atTheInstantOfTheDepositBothAreAccepted() {
        fixture.given(paidAtT0().events())
                .when(new ConsumeLessons(ACCOUNT, OrderId.of("O-1"), ConsumptionId.of("C-1"), 2, T0))
                .expectSuccessfulHandlerExecution();
        fixture.given(paidAtT0().events())
                .when(new RequestRefund(ACCOUNT, BankTxnId.of("R-1"), Money.parse("80.00"), OrderId.of("O-1"), T0))
                .expectSuccessfulHandlerExecution();
    }
}
