package cn.prepaid.ledger.core.institution;

import cn.prepaid.ledger.core.policy.SupervisionMode;
import cn.prepaid.ledger.core.policy.SupervisionPolicy;

import java.time.Instant;

/** Everything that can happen to an institution, in one place. Plain values, stored for years. */
public sealed interface InstitutionEvent {

    String institutionId();

    Instant occurredAt();

    record InstitutionRegistered(String institutionId, String name, String regionCode, InstitutionCategory category,
                                 SupervisionMode supervisionMode, SupervisionPolicy policy, String by,
                                 Instant occurredAt) implements InstitutionEvent {
    }

    /** Whitelisted (白名单): releases may flow. */
    record InstitutionApproved(String institutionId, String by, Instant occurredAt) implements InstitutionEvent {
    }

    record InstitutionSuspended(String institutionId, String reason, String by, Instant occurredAt)
            implements InstitutionEvent {
    }

    /** Blacklisted (黑名单). */
    record InstitutionBlacklisted(String institutionId, String reason, String by, Instant occurredAt)
            implements InstitutionEvent {
    }

    /** Closed (终止办学): final; its history stays replayable forever. */
    record InstitutionClosed(String institutionId, String reason, String by, Instant occurredAt)
            implements InstitutionEvent {
    }

    record SupervisionPolicyChanged(String institutionId, SupervisionPolicy policy, String by, Instant occurredAt)
            implements InstitutionEvent {
    }

    record EscrowAccountLinked(String institutionId, String accountId, String bankCode, Instant occurredAt)
            implements InstitutionEvent {
    }
}
