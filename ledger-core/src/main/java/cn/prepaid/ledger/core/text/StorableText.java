package cn.prepaid.ledger.core.text;

/**
 * Text the ledger can keep everywhere it keeps text. PostgreSQL's {@code text} cannot hold U+0000, and
 * an unpaired UTF-16 surrogate has no UTF-8 form (JSON writers fail on it, drivers turn it into '?').
 * Requests carrying either are refused at the edge; what is already stored in events is made storable
 * by {@link #storable} wherever it is copied into a table, so it can never stop a projection.
 */
public final class StorableText {

    /** What stands for a character that cannot be stored: U+FFFD REPLACEMENT CHARACTER. */
    public static final char REPLACEMENT = '\uFFFD';

    private StorableText() {
    }

    public static boolean isStorable(String text) {
        return firstUnstorable(text) < 0;
    }

    /** The text with each character that cannot be stored replaced by {@link #REPLACEMENT}. */
    public static String storable(String text) {
        int first = firstUnstorable(text);
        if (first < 0) {
            return text;
        }
        StringBuilder kept = new StringBuilder(text.length()).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0 || (Character.isSurrogate(c) && !pairedAt(text, i))) {
                kept.append(REPLACEMENT);
            } else if (Character.isHighSurrogate(c)) {
                kept.append(c).append(text.charAt(++i));
            } else {
                kept.append(c);
            }
        }
        return kept.toString();
    }

    private static int firstUnstorable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                return i;
            }
            if (Character.isSurrogate(c)) {
                if (!pairedAt(text, i)) {
                    return i;
                }
                i++;
            }
        }
        return -1;
    }

    /** Whether a high surrogate at {@code i} is followed by a low one (a low one alone is never paired). */
    private static boolean pairedAt(String text, int i) {
        return Character.isHighSurrogate(text.charAt(i)) && i + 1 < text.length()
                && Character.isLowSurrogate(text.charAt(i + 1));
    }
}
