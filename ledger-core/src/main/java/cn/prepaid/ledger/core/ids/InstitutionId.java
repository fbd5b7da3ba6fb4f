package cn.prepaid.ledger.core.ids;

/**
 * An institution's unified social credit code (统一社会信用代码), GB 32100-2015: 18 characters from
 * the code's 31-character alphabet (digits and capitals without I, O, S, V, Z); characters 3 to 8
 * are the registering administrative division; the last is a check character over the first 17.
 */
public record InstitutionId(String value) {

    static final String ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static final int[] WEIGHTS = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

    public InstitutionId {
        String problem = problemWith(value);
        if (problem != null) {
            throw new InvalidIdentifierException("institutionId", problem);
        }
    }

    public static InstitutionId of(String value) {
        return new InstitutionId(value);
    }

    /** Appends the check character to a 17-character body: how simulators and tests mint valid codes. */
    public static InstitutionId withCheckCharacter(String first17) {
        if (first17 == null || first17.length() != 17) {
            throw new InvalidIdentifierException("institutionId", "a code body has 17 characters");
        }
        return new InstitutionId(first17 + checkCharacter(first17));
    }

    /** Null when the text is a valid code, otherwise what is wrong with it. */
    public static String problemWith(String value) {
        if (value == null || value.length() != 18) {
            return "a unified social credit code has 18 characters";
        }
        for (int i = 0; i < 18; i++) {
            if (ALPHABET.indexOf(value.charAt(i)) < 0) {
                return "character " + (i + 1) + " ('" + value.charAt(i) + "') is not in the code's alphabet";
            }
        }
        for (int i = 2; i < 8; i++) {
            if (!Character.isDigit(value.charAt(i))) {
                return "characters 3 to 8 are the region code and must be digits";
            }
        }
        char expected = checkCharacter(value.substring(0, 17));
        if (value.charAt(17) != expected) {
            return "check character is '" + value.charAt(17) + "', expected '" + expected + "'";
        }
        return null;
    }

    static char checkCharacter(String first17) {
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            int code = ALPHABET.indexOf(first17.charAt(i));
            if (code < 0) {
                throw new InvalidIdentifierException("institutionId",
                        "character " + (i + 1) + " is not in the code's alphabet");
            }
            sum += code * WEIGHTS[i];
        }
        int check = 31 - sum % 31;
        return ALPHABET.charAt(check == 31 ? 0 : check);
    }

    @Override
    public String toString() {
        return value;
    }
}
