package cn.prepaid.ledger.core.account;

import cn.prepaid.ledger.core.account.EscrowAccountCommand.FreezeAccount;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.AccountFrozen;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.EscrowAccountOpened;
import cn.prepaid.ledger.core.ids.AccountId;
import cn.prepaid.ledger.core.institution.InstitutionStatus;
import cn.prepaid.ledger.core.policy.SupervisionMode;
import cn.prepaid.ledger.core.policy.SupervisionPolicy;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.Test;
import java.time.Instant;

class SmokeTest {
    @Test
    void smoke() {
        var f = new AggregateTestFixture<>(EscrowAccount.class);
        Instant t = Instant.parse("2024-03-01T02:00:00Z");
        f.given(new EscrowAccountOpened("ACC-1", "91350100M000100Y43", "350100", "BANK", "6222", SupervisionMode.FULL_CUSTODY,
                InstitutionStatus.ACTIVE, SupervisionPolicy.defaultsFor(SupervisionMode.FULL_CUSTODY), t))
          .when(new FreezeAccount(AccountId.of("ACC-1"), "r", "reg", t))
          .expectEvents(new AccountFrozen("ACC-1", "r", "reg", t))
          .expectState(a -> { if (!a.frozen()) throw new AssertionError(); });
    }
}
