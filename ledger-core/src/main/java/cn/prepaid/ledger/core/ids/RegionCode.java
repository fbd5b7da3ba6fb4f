package cn.prepaid.ledger.core.ids;

import java.util.regex.Pattern;

/** A 6-digit administrative division code (GB/T 2260), e.g. 330106 for Hangzhou Xihu district. */
public record RegionCode(String value) {

    private static final Pattern SIX_DIGITS = Pattern.compile("\\d{6}");

    public RegionCode {
        if (value == null || !SIX_DIGITS.matcher(value).matches()) {
            throw new InvalidIdentifierException("regionCode", "a region code is 6 digits");
        }
    }

    public static RegionCode of(String value) {
        return new RegionCode(value);
    }

    /** Whether a regulator bound to this prefix ("" = national, "33" = Zhejiang) supervises this region. */
    public boolean isWithin(String prefix) {
        return value.startsWith(prefix);
    }

    @Override
    public String toString() {
        return value;
    }
}
