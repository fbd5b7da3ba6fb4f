package cn.prepaid.ledger.api.security;

import java.util.List;

/**
 * Who is calling. {@code bankCode} is set for banks, {@code regionPrefix} for regulators. A platform or
 * an auditor may be bound, by {@code regionPrefix} and/or a list of {@code institutions}, to what it may
 * reach; unbound, it reaches every institution. How the caller proved it (keys, certificate) stays in
 * {@link PrincipalDirectory}.
 */
public record ApiPrincipal(String name, Role role, String bankCode, String regionPrefix, List<String> institutions) {

    public ApiPrincipal {
        institutions = institutions == null ? List.of() : List.copyOf(institutions);
    }

    public ApiPrincipal(String name, Role role, String bankCode, String regionPrefix) {
        this(name, role, bankCode, regionPrefix, List.of());
    }

    public boolean is(Role wanted) {
        return role == wanted;
    }

    /** Whether a regulator bound to this principal's prefix supervises the given region. */
    public boolean supervisesRegion(String regionCode) {
        return role == Role.REGULATOR && regionCode != null && regionCode.startsWith(regionPrefix);
    }

    /** Whether this platform or auditor is bound to some institutions or a region rather than all. */
    public boolean isBound() {
        return (role == Role.PLATFORM || role == Role.AUDITOR) && (regionPrefix != null || !institutions.isEmpty());
    }

    /** Whether a platform or auditor reaches the institution: unbound, or bound to it or to its region. */
    public boolean reaches(String institutionId, String regionCode) {
        if (!isBound()) {
            return true;
        }
        return institutions.contains(institutionId)
                || (regionPrefix != null && regionCode != null && regionCode.startsWith(regionPrefix));
    }

    @Override
    public String toString() {
        return name + " (" + role + ")";
    }
}
