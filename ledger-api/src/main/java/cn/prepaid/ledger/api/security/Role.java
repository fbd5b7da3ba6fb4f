package cn.prepaid.ledger.api.security;

/** The four kinds of principal of API.md. */
public enum Role {
    /** A custodian bank, bound to one bank code: posts to and reads only the accounts it holds. */
    BANK,
    /** The lesson service platform: confirms consumption. */
    PLATFORM,
    /** An education authority, bound to a region prefix ("" = national). */
    REGULATOR,
    /** Reads everything, writes nothing. */
    AUDITOR;

    public String authority() {
        return "ROLE_" + name();
    }
}
