package cn.prepaid.ledger.core.institution;

/** Where an institution stands with its regulator. Only an ACTIVE (whitelisted) one may receive releases. */
public enum InstitutionStatus {
    REGISTERED, ACTIVE, SUSPENDED, BLACKLISTED, CLOSED;

    public boolean mayReceiveReleases() {
        return this == ACTIVE;
    }
}
