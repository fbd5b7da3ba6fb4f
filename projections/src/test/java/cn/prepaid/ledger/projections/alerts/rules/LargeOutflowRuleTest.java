package cn.prepaid.ledger.projections.alerts.rules;

import cn.prepaid.ledger.core.account.EscrowAccountEvent.FundsTransferredOut;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.HeldOutflowApproved;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.HeldOutflowRejected;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.OutflowHeld;
import cn.prepaid.ledger.core.account.OutflowType;
import cn.prepaid.ledger.projections.alerts.AccountSituation;
import cn.prepaid.ledger.projections.alerts.AlertCode;
import cn.prepaid.ledger.projections.alerts.Grade;
import cn.prepaid.ledger.projections.alerts.InMemoryActivityHistory;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class LargeOutflowRuleTest {

    static final Instant T = Instant.parse("2026-03-10T02:00:00Z");
    static final AccountSituation ACCOUNT = new AccountSituation("ACC-1", "91350100M000100Y43", "350100", 9_000_000, 0,
            0, 2_000, 5_000_000, 4_000, 6_000);

    final LargeOutflowRule rule = new LargeOutflowRule();
    final InMemoryActivityHistory history = new InMemoryActivityHistory();

    @Test
    void aHeldOutflowIsAYellowAlertKeyedByTheHeldOutflow() {
        OutflowHeld held = new OutflowHeld("ACC-1", "ACC-1.H1", "BANK-1", OutflowType.TRANSFER_OUT, null, 6_000_000,
                "landlord", "rent", 9_000_000, T);

        assertThat(rule.evaluate(held, ACCOUNT, history)).singleElement().satisfies(signal -> {
            assertThat(signal.code()).isEqualTo(AlertCode.LARGE_OUTFLOW);
            assertThat(signal.grade()).isEqualTo(Grade.YELLOW);
            assertThat(signal.conditionKey()).isEqualTo("ACC-1.H1");
            assertThat(signal.occurredAt()).isEqualTo(T);
            assertThat(signal.summary()).contains("TRANSFER_OUT", "60000.00");
            assertThat(signal.facts()).containsEntry("heldOutflowId", "ACC-1.H1").containsEntry("amount", "60000.00")
                    .containsEntry("type", "TRANSFER_OUT").containsEntry("decision", "PENDING");
        });
    }

    @Test
    void itsApprovalUpdatesTheSameConditionWithWhoDecided() {
        HeldOutflowApproved approved = new HeldOutflowApproved("ACC-1", "ACC-1.H1", "regulator-7", "checked", T);

        assertThat(rule.evaluate(approved, ACCOUNT, history)).singleElement().satisfies(signal -> {
            assertThat(signal.conditionKey()).isEqualTo("ACC-1.H1");
            assertThat(signal.grade()).isEqualTo(Grade.YELLOW);
            assertThat(signal.facts()).containsEntry("decision", "APPROVED").containsEntry("decidedBy", "regulator-7");
        });
    }

    @Test
    void aRejectedHoldAndAnOrdinaryTransferRaiseNothing() {
        HeldOutflowRejected rejected = new HeldOutflowRejected("ACC-1", "ACC-1.H1", "regulator-7", "no", T);
        FundsTransferredOut small = new FundsTransferredOut("ACC-1", "ACC-1.P2", "BANK-2", 100_000, "landlord", "rent",
                8_900_000, null, T);

        assertThat(rule.evaluate(rejected, ACCOUNT, history)).isEmpty();
        assertThat(rule.evaluate(small, ACCOUNT, history)).isEmpty();
    }
}
