package cn.prepaid.ledger.core.ids;

import java.util.regex.Pattern;

/**
 * A held outflow, named by its account and its number within the account: {@code <accountId>.H<n>}.
 * Carrying the account makes a regulator's decision routable to the right aggregate without a
 * lookup that could lag behind the write side.
 */
public record HeldOutflowId(String value) {

    private static final Pattern NUMBER = Pattern.compile("\\d{1,18}");

    public HeldOutflowId {
        int marker = value == null ? -1 : value.lastIndexOf(".H");
        if (marker <= 0 || !NUMBER.matcher(value.substring(marker + 2)).matches()
                || !ClientIds.isValid(value.substring(0, marker))) {
            throw new InvalidIdentifierException("heldOutflowId", "not a held outflow id");
        }
    }

    public static HeldOutflowId of(AccountId account, long number) {
        return new HeldOutflowId(account.value() + ".H" + number);
    }

    public static HeldOutflowId of(String value) {
        return new HeldOutflowId(value);
    }

    public AccountId accountId() {
        return AccountId.of(value.substring(0, value.lastIndexOf(".H")));
    }

    @Override
    public String toString() {
        return value;
    }
}
