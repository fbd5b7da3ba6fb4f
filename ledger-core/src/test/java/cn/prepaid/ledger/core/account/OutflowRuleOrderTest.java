package cn.prepaid.ledger.core.account;

import cn.prepaid.ledger.core.account.EscrowAccountEvent.OutflowRejected;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.RefundDisputeOpened;
import cn.prepaid.ledger.core.account.PostingOutcome.Status;
import cn.prepaid.ledger.core.rules.LedgerRejection;
import cn.prepaid.ledger.core.rules.OutflowRejectionReason;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static cn.prepaid.ledger.core.LedgerMatchers.rejection;
import static cn.prepaid.ledger.core.account.AccountCommands.T1;
import static cn.prepaid.ledger.core.account.AccountCommands.approve;
import static cn.prepaid.ledger.core.account.AccountCommands.release;
import static cn.prepaid.ledger.core.account.AccountCommands.transferOut;
import static cn.prepaid.ledger.core.account.AccountHistory.ACC;
import static cn.prepaid.ledger.core.account.AccountHistory.T0;
import static cn.prepaid.ledger.core.account.AccountHistory.tenOfFortyConsumed;
import static cn.prepaid.ledger.core.rules.OutflowRejectionReason.ACCOUNT_FROZEN;
import static cn.prepaid.ledger.core.rules.OutflowRejectionReason.EXCEEDS_RELEASABLE;
import static cn.prepaid.ledger.core.rules.OutflowRejectionReason.INSTITUTION_NOT_ACTIVE;
import static cn.prepaid.ledger.core.rules.OutflowRejectionReason.INSUFFICIENT_FUNDS;
import static cn.prepaid.ledger.core.rules.OutflowRejectionReason.ORDER_IN_DISPUTE;

/**
 * The outflow rules are checked in one fixed order, and a request that breaks two of them is refused for
 * the earlier one: frozen, institution status, unknown order, dispute, the order's releasable value,
 * funds, a transfer's earned value, the floor. Each test breaks two rules at once.
 */
class OutflowRuleOrderTest {

    private FixtureConfiguration<EscrowAccount> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(EscrowAccount.class);
        fixture.registerInjectableResource(InstitutionFunds.SINGLE_ACCOUNT);
    }

    private static List<Object> withDisputeOnFirstOrder(AccountHistory history) {
        List<Object> events = new ArrayList<>(history.events());
        events.add(new RefundDisputeOpened(ACC, "DSP-1", "O-1", "bank", "family disputes the refund", T0));
        return events;
    }

    private static OutflowRejected rejectedRelease(String order, long amountFen, OutflowRejectionReason reason,
                                                   String detail) {
        return new OutflowRejected(ACC, "T-2", OutflowType.RELEASE, order, amountFen, reason, detail, 320000, T1);
    }

    private static PostingOutcome rejected(OutflowRejectionReason reason, String detail) {
        return new PostingOutcome(null, "T-2", Status.REJECTED, null, 320000, reason, detail);
    }

    @Test
    void aFrozenAccountRefusesAReleaseOfAnUnknownOrderAsFrozen() {
        fixture.given(tenOfFortyConsumed().frozen().events())
                .when(release("T-2", "100.00", "O-9"))
                .expectEvents(rejectedRelease("O-9", 10000, ACCOUNT_FROZEN, "account is frozen"))
                .expectResultMessagePayload(rejected(ACCOUNT_FROZEN, "account is frozen"));
    }

    @Test
    void aFrozenAccountOfASuspendedInstitutionRefusesATransferAsFrozen() {
        fixture.given(tenOfFortyConsumed().suspended().frozen().events())
                .when(transferOut("T-2", "100.00"))
                .expectEvents(new OutflowRejected(ACC, "T-2", OutflowType.TRANSFER_OUT, null, 10000, ACCOUNT_FROZEN,
                        "account is frozen", 320000, T1));
    }

    @Test
    void aSuspendedInstitutionsReleaseOfADisputedOrderIsRefusedForTheStatus() {
        fixture.given(withDisputeOnFirstOrder(tenOfFortyConsumed().suspended()))
                .when(release("T-2", "100.00", "O-1"))
                .expectEvents(rejectedRelease("O-1", 10000, INSTITUTION_NOT_ACTIVE, "institution is SUSPENDED"));
    }

    @Test
    void aReleaseOfADisputedOrderBeyondItsEarnedValueIsRefusedForTheDispute() {
        fixture.given(withDisputeOnFirstOrder(tenOfFortyConsumed()))
                .when(release("T-2", "900.00", "O-1"))
                .expectEvents(rejectedRelease("O-1", 90000, ORDER_IN_DISPUTE, "a refund on order O-1 is disputed"));
    }

    @Test
    void aReleaseBeyondItsOrdersEarnedValueAndTheBalanceIsRefusedAsBeyondReleasable() {
        fixture.given(tenOfFortyConsumed().events())
                .when(release("T-2", "4000.00", "O-1"))
                .expectEvents(rejectedRelease("O-1", 400000, EXCEEDS_RELEASABLE, "order O-1 has 800.00 releasable"));
    }

    @Test
    void aTransferBeyondTheBalanceAndTheEarnedValueIsRefusedAsInsufficientFunds() {
        fixture.given(tenOfFortyConsumed().events())
                .when(transferOut("T-2", "4000.00"))
                .expectEvents(new OutflowRejected(ACC, "T-2", OutflowType.TRANSFER_OUT, null, 400000,
                        INSUFFICIENT_FUNDS, "available 3200.00", 320000, T1))
                .expectResultMessagePayload(rejected(INSUFFICIENT_FUNDS, "available 3200.00"));
    }

    @Test
    void aTransferBeyondTheEarnedValueOfAllOrdersIsRefusedAsBeyondReleasableBeforeTheDispute() {
        fixture.given(withDisputeOnFirstOrder(tenOfFortyConsumed()))
                .when(transferOut("T-2", "900.00"))
                .expectEvents(new OutflowRejected(ACC, "T-2", OutflowType.TRANSFER_OUT, null, 90000,
                        EXCEEDS_RELEASABLE, "only 0.00 backs no order and 800.00 is earned and unreleased", 320000,
                        T1));
    }

    @Test
    void anApprovalOnAFrozenAccountThatNoLongerHasTheMoneyIsBlockedAsFrozen() {
        fixture.given(tenOfFortyConsumed().heldRelease("T-H", "O-1", 800_00).fee(3000_00).frozen().events())
                .when(approve("ACC-1.H1"))
                .expectException(rejection(LedgerRejection.HELD_OUTFLOW_BLOCKED))
                .expectExceptionMessage("account is frozen; unfreeze it or reject the outflow");
    }

    @Test
    void anApprovalThatNoLongerHasTheMoneyNorKeepsTheFloorIsBlockedForTheMoney() {
        fixture.given(tenOfFortyConsumed().heldRelease("T-H", "O-1", 800_00).fee(3000_00).events())
                .when(approve("ACC-1.H1"))
                .expectException(rejection(LedgerRejection.HELD_OUTFLOW_BLOCKED))
                .expectExceptionMessage("balance 200.00 no longer covers it");
    }

    @Test
    void anApprovalOfADisputedOrdersReleaseOnASuspendedInstitutionIsBlockedForTheStatus() {
        fixture.given(withDisputeOnFirstOrder(tenOfFortyConsumed().heldRelease("T-H", "O-1", 800_00).suspended()))
                .when(approve("ACC-1.H1"))
                .expectException(rejection(LedgerRejection.HELD_OUTFLOW_BLOCKED))
                .expectExceptionMessage("institution is SUSPENDED");
    }
}
