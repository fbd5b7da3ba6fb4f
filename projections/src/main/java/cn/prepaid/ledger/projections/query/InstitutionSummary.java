package cn.prepaid.ledger.projections.query;

import cn.prepaid.ledger.core.money.Money;
import cn.prepaid.ledger.projections.readmodel.InstitutionAlertThresholds;

import java.util.List;

/** An institution with the totals of its accounts. */
public record InstitutionSummary(String institutionId, String name, String regionCode, String category,
                                 String supervisionMode, String status, Money minimumBalance, long liabilityRatioBp,
                                 Money largeTransferThreshold, long largeTransferRatioBp, Money largeTransferRatioFrom,
                                 List<String> accountIds, Money totalBalance, Money outstandingLiability, Money floor,
                                 String riskLevel, int openAlerts,
                                 long lastSequence, InstitutionAlertThresholds alertThresholds) {
}
