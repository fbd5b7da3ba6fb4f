package cn.prepaid.ledger.core.institution;

import cn.prepaid.ledger.core.ids.AccountId;
import cn.prepaid.ledger.core.ids.BankCode;
import cn.prepaid.ledger.core.ids.InstitutionId;
import cn.prepaid.ledger.core.ids.RegionCode;
import cn.prepaid.ledger.core.policy.SupervisionMode;
import cn.prepaid.ledger.core.policy.SupervisionPolicy;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

/** What regulators (and account opening) ask of an institution. {@code by} names the acting principal. */
public sealed interface InstitutionCommand {

    InstitutionId institutionId();

    /** {@code policy} may be null: the defaults of the supervision mode apply. */
    record RegisterInstitution(@TargetAggregateIdentifier InstitutionId institutionId, String name,
                               RegionCode regionCode, InstitutionCategory category, SupervisionMode supervisionMode,
                               SupervisionPolicy policy, String by, Instant at) implements InstitutionCommand {
    }

    record ApproveInstitution(@TargetAggregateIdentifier InstitutionId institutionId, String by, Instant at)
            implements InstitutionCommand {
    }

    record SuspendInstitution(@TargetAggregateIdentifier InstitutionId institutionId, String reason, String by,
                              Instant at) implements InstitutionCommand {
    }

    record BlacklistInstitution(@TargetAggregateIdentifier InstitutionId institutionId, String reason, String by,
                                Instant at) implements InstitutionCommand {
    }

    record CloseInstitution(@TargetAggregateIdentifier InstitutionId institutionId, String reason, String by,
                            Instant at) implements InstitutionCommand {
    }

    record ChangeSupervisionPolicy(@TargetAggregateIdentifier InstitutionId institutionId, SupervisionPolicy policy,
                                   String by, Instant at) implements InstitutionCommand {
    }

    /** A bank opens an escrow account for the institution; answers the terms the account starts under. */
    record LinkEscrowAccount(@TargetAggregateIdentifier InstitutionId institutionId, AccountId accountId,
                             BankCode bankCode, Instant at) implements InstitutionCommand {
    }
}
