package cn.prepaid.ledger.api.http.institutions;

import cn.prepaid.ledger.core.money.Money;
import cn.prepaid.ledger.core.money.Ratio;
import cn.prepaid.ledger.core.policy.SupervisionPolicy;
import cn.prepaid.ledger.projections.query.AccountSummary;
import cn.prepaid.ledger.projections.query.InstitutionSummary;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

/** An institution as API.md answers it. Money as decimal strings. */
@Schema(name = "Institution")
public record InstitutionView(String institutionId, String name, String regionCode, String category,
                              String supervisionMode, String status, PolicyView policy, List<String> accountIds,
                              String totalBalance, String outstandingLiability, String floor, String riskLevel,
                              int openAlerts) {

    public static InstitutionView of(InstitutionSummary s) {
        return new InstitutionView(s.institutionId(), s.name(), s.regionCode(), s.category(), s.supervisionMode(),
                s.status(), new PolicyView(s.minimumBalance().toWire(), Ratio.ofBasisPoints(s.liabilityRatioBp()).toWire(),
                s.largeTransferThreshold().toWire(), Ratio.ofBasisPoints(s.largeTransferRatioBp()).toWire(),
                s.largeTransferRatioFrom().toWire(), AlertThresholdsView.of(s.alertThresholds())), s.accountIds(), s.totalBalance().toWire(),
                s.outstandingLiability().toWire(), s.floor().toWire(), s.riskLevel(), s.openAlerts());
    }

    /**
     * The institution as a bank may see it: the accounts it holds and their figures only. The floor is
     * the sum of those accounts' shares of the institution's floor; status, policy and risk stay the
     * institution's.
     */
    public static InstitutionView seenByBank(InstitutionSummary s, List<AccountSummary> accounts, String bankCode) {
        List<AccountSummary> held = accounts.stream().filter(account -> account.bankCode().equals(bankCode)).toList();
        Money balance = Money.ZERO;
        Money liability = Money.ZERO;
        Money floor = Money.ZERO;
        for (AccountSummary account : held) {
            balance = balance.plus(account.balance());
            liability = liability.plus(account.outstandingLiability());
            floor = floor.plus(account.floor());
        }
        InstitutionView whole = of(s);
        return new InstitutionView(whole.institutionId(), whole.name(), whole.regionCode(), whole.category(),
                whole.supervisionMode(), whole.status(), whole.policy(),
                held.stream().map(AccountSummary::accountId).toList(), balance.toWire(), liability.toWire(),
                floor.toWire(), whole.riskLevel(), whole.openAlerts());
    }

    @Schema(name = "SupervisionPolicy")
    public record PolicyView(String minimumBalance, String liabilityRatio, String largeTransferThreshold,
                             String largeTransferRatio, String largeTransferRatioFrom,
                             AlertThresholdsView alertThresholds) {

        public static PolicyView of(SupervisionPolicy policy) {
            return new PolicyView(policy.minimumBalance().toWire(), policy.liabilityRatio().toWire(),
                    policy.largeTransferThreshold().toWire(), policy.largeTransferRatio().toWire(),
                    policy.largeTransferRatioFrom().toWire(), AlertThresholdsView.of(policy.rapidDrain24hRatioBp(),
                            policy.rapidDrain7dRatioBp(), policy.alertThresholds()));
        }
    }
}
