package cn.prepaid.ledger.core.institution;

import cn.prepaid.ledger.core.ids.RegionCode;
import cn.prepaid.ledger.core.policy.SupervisionMode;
import cn.prepaid.ledger.core.policy.SupervisionPolicy;

/** What an escrow account needs to know of its institution to decide: where, how supervised, and by which policy. */
public record SupervisionTerms(RegionCode regionCode, InstitutionStatus status, SupervisionMode mode,
                               SupervisionPolicy policy) {
}
