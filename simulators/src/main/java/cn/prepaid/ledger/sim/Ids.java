package cn.prepaid.ledger.sim;

/** Valid unified social credit codes (GB 32100-2015) for simulated institutions. */
public final class Ids {

    private static final String ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static final int[] WEIGHTS = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

    private Ids() {
    }

    /** A code registered in {@code regionCode}, numbered {@code n} (deterministic). */
    public static String institutionId(String regionCode, long n) {
        return withCheckCharacter("52" + regionCode + String.format("MA%07d", n % 10_000_000));
    }

    /** Appends the GB 32100 check character to the first 17 characters of a code. */
    private static String withCheckCharacter(String body) {
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += ALPHABET.indexOf(body.charAt(i)) * WEIGHTS[i];
        }
        int check = 31 - sum % 31;
        return body + ALPHABET.charAt(check == 31 ? 0 : check);
    }
}
