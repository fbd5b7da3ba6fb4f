package cn.prepaid.ledger.core.ids;

import java.util.regex.Pattern;

/** The one rule every client-chosen id follows (API.md): 1–64 characters of {@code [A-Za-z0-9._:-]}. */
public final class ClientIds {

    private static final Pattern FORM = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private ClientIds() {
    }

    public static String require(String field, String value) {
        if (value == null || !FORM.matcher(value).matches()) {
            throw new InvalidIdentifierException(field, "must be 1-64 characters of A-Z a-z 0-9 . _ : -");
        }
        return value;
    }

    public static boolean isValid(String value) {
        return value != null && FORM.matcher(value).matches();
    }
}
