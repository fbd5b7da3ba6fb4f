package cn.prepaid.ledger.core.ids;

import java.util.regex.Pattern;

/** The code of a custodian bank (e.g. its CNAPS institution code), 2–32 letters, digits or dashes. */
public record BankCode(String value) {

    private static final Pattern FORM = Pattern.compile("[A-Za-z0-9-]{2,32}");

    public BankCode {
        if (value == null || !FORM.matcher(value).matches()) {
            throw new InvalidIdentifierException("bankCode", "a bank code is 2-32 letters, digits or dashes");
        }
    }

    public static BankCode of(String value) {
        return new BankCode(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
