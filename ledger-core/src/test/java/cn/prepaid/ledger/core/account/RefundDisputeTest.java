package cn.prepaid.ledger.core.account;

import cn.prepaid.ledger.core.account.EscrowAccountCommand.CloseRefundDispute;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.OpenRefundDispute;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.EarnedTake;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.FundsReleased;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.FundsTransferredOut;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.OutflowRejected;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.RefundDisputeClosed;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.RefundDisputeOpened;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.TuitionRefunded;
import cn.prepaid.ledger.core.ids.DisputeId;
import cn.prepaid.ledger.core.ids.OrderId;
import cn.prepaid.ledger.core.rules.LedgerRejection;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static cn.prepaid.ledger.core.LedgerMatchers.rejection;
import static cn.prepaid.ledger.core.account.AccountCommands.T1;
import static cn.prepaid.ledger.core.account.AccountCommands.refund;
import static cn.prepaid.ledger.core.account.AccountCommands.release;
import static cn.prepaid.ledger.core.account.AccountCommands.transferOut;
import static cn.prepaid.ledger.core.account.AccountHistory.ACC;
import static cn.prepaid.ledger.core.account.AccountHistory.ACCOUNT;
import static cn.prepaid.ledger.core.account.AccountHistory.T0;
import static cn.prepaid.ledger.core.rules.OutflowRejectionReason.ORDER_IN_DISPUTE;
import static org.assertj.core.api.Assertions.assertThat;

/** A refund dispute on an order postpones the order's releases until a regulator closes it. */
class RefundDisputeTest {

    private static final RefundDisputeOpened OPENED = new RefundDisputeOpened(ACC, "DSP-1", "O-1", "bank",
            "family disputes the refund", T0);

    private FixtureConfiguration<EscrowAccount> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(EscrowAccount.class);
        fixture.registerInjectableResource(InstitutionFunds.SINGLE_ACCOUNT);
    }

    /** O-1: 40 lessons at ¥80, 10 delivered (¥800 earned); O-2: 10 at ¥80, 5 delivered (¥400 earned). */
    private static List<Object> twoOrders(Object... then) {
        List<Object> events = new ArrayList<>(AccountHistory.fullCustody().deposit("O-1", 40, 80_00).consume("O-1", 10)
                .deposit("O-2", 10, 80_00).consume("O-2", 5).events());
        events.addAll(List.of(then));
        return events;
    }

    @Test
    void aBankOrThePlatformOpensADisputeOnAnOrderOfTheAccount() {
        fixture.given(twoOrders())
                .when(new OpenRefundDispute(ACCOUNT, OrderId.of("O-1"), DisputeId.of("DSP-1"), "bank",
                        "family disputes the refund", T0))
                .expectEvents(OPENED)
                .expectState(account -> {
                    assertThat(account.orderInDispute("O-1")).isTrue();
                    assertThat(account.orderInDispute("O-2")).isFalse();
                });
        fixture.given(twoOrders())
                .when(new OpenRefundDispute(ACCOUNT, OrderId.of("O-9"), DisputeId.of("DSP-1"), "bank", "?", T0))
                .expectException(rejection(LedgerRejection.ORDER_NOT_FOUND));
        fixture.given(twoOrders(OPENED))
                .when(new OpenRefundDispute(ACCOUNT, OrderId.of("O-2"), DisputeId.of("DSP-1"), "bank", "?", T0))
                .expectException(rejection(LedgerRejection.DISPUTE_ALREADY_EXISTS));
    }

    @Test
    void whileADisputeIsOpenTheOrdersReleaseIsRefusedAndItsRefundsStillPass() {
        fixture.given(twoOrders(OPENED))
                .when(release("T-9", "800.00", "O-1"))
                .expectEvents(new OutflowRejected(ACC, "T-9", OutflowType.RELEASE, "O-1", 80000, ORDER_IN_DISPUTE,
                        "a refund on order O-1 is disputed", 400000, T1));
        fixture.given(twoOrders(OPENED))
                .when(refund("T-9", "80.00", "O-1"))
                .expectEvents(new TuitionRefunded(ACC, "ACC-1.P3", "T-9", "O-1", 8000, 392000, T1));
        fixture.given(twoOrders(OPENED))
                .when(release("T-9", "400.00", "O-2"))
                .expectEvents(new FundsReleased(ACC, "ACC-1.P3", "T-9", "O-2", 40000, 360000, null, T1));
    }

    @Test
    void aTransferTakesOnlyTheEarnedValueOfOrdersNotInDispute() {
        fixture.given(twoOrders(OPENED))
                .when(transferOut("T-9", "400.00"))
                .expectEvents(new FundsTransferredOut(ACC, "ACC-1.P3", "T-9", 40000, "Institution basic account",
                        "interest sweep", 360000, null, T1, List.of(new EarnedTake("O-2", 40000))));
        fixture.given(twoOrders(OPENED))
                .when(transferOut("T-9", "400.01"))
                .expectEvents(new OutflowRejected(ACC, "T-9", OutflowType.TRANSFER_OUT, null, 40001, ORDER_IN_DISPUTE,
                        "only 0.00 backs no order and 400.00 is earned by orders not in dispute", 400000, T1));
    }

    @Test
    void aRegulatorClosesTheDisputeOnceAndTheOrderMayBeReleasedAgain() {
        RefundDisputeClosed closed = new RefundDisputeClosed(ACC, "DSP-1", "O-1", "regulator", "refund was right", T1);
        fixture.given(twoOrders(OPENED))
                .when(new CloseRefundDispute(ACCOUNT, DisputeId.of("DSP-1"), "regulator", "refund was right", T1))
                .expectEvents(closed);
        fixture.given(twoOrders(OPENED, closed))
                .when(release("T-9", "800.00", "O-1"))
                .expectEvents(new FundsReleased(ACC, "ACC-1.P3", "T-9", "O-1", 80000, 320000, null, T1));
        fixture.given(twoOrders(OPENED, closed))
                .when(new CloseRefundDispute(ACCOUNT, DisputeId.of("DSP-1"), "regulator", "again", T1))
                .expectException(rejection(LedgerRejection.DISPUTE_ALREADY_CLOSED));
        fixture.given(twoOrders())
                .when(new CloseRefundDispute(ACCOUNT, DisputeId.of("DSP-1"), "regulator", "none", T1))
                .expectException(rejection(LedgerRejection.DISPUTE_NOT_FOUND));
    }
}
