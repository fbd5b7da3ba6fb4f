package cn.prepaid.ledger.api.security;

/**
 * Who is calling. {@code bankCode} is set for banks, {@code regionPrefix} for regulators. How the
 * caller proved it (keys, certificate) stays in {@link PrincipalDirectory}.
 */
public record ApiPrincipal(String name, Role role, String bankCode, String regionPrefix) {

    public boolean is(Role wanted) {
        return role == wanted;
    }

    /** Whether a regulator bound to this principal's prefix supervises the given region. */
    public boolean supervisesRegion(String regionCode) {
        return role == Role.REGULATOR && regionCode != null && regionCode.startsWith(regionPrefix);
    }

    @Override
    public String toString() {
        return name + " (" + role + ")";
    }
}
