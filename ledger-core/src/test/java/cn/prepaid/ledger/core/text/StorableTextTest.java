package cn.prepaid.ledger.core.text;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class StorableTextTest {

    @Test
    void nulAndUnpairedSurrogatesAreReplacedAndEverythingElseIsKept() {
        assertThat(StorableText.storable("documents\u0000missing")).isEqualTo("documents\uFFFDmissing");
        assertThat(StorableText.storable("a\uD800b")).isEqualTo("a\uFFFDb");
        assertThat(StorableText.storable("\uDC00")).isEqualTo("\uFFFD");
        assertThat(StorableText.storable("end\uD83D")).isEqualTo("end\uFFFD");
        assertThat(StorableText.storable("学校 😀 \u202Eevil\tline\n")).isEqualTo("学校 😀 \u202Eevil\tline\n");
        assertThat(StorableText.isStorable("😀")).isTrue();
        assertThat(StorableText.isStorable("\uDE00\uD83D")).isFalse();
    }

    /** For any text: the storable form is storable, as long, and the text itself when it already was. */
    @Test
    void theStorableFormOfAnyTextIsStorableAndAsLong() {
        Random random = new Random(12);
        char[] alphabet = {'a', '\u0000', '\uD83D', '\uDE00', '\uD800', '\uDFFF', '学', '\uFFFD', ' '};
        for (int run = 0; run < 10_000; run++) {
            StringBuilder text = new StringBuilder();
            for (int i = random.nextInt(12); i > 0; i--) {
                text.append(alphabet[random.nextInt(alphabet.length)]);
            }
            String original = text.toString();
            String storable = StorableText.storable(original);
            assertThat(StorableText.isStorable(storable)).as(original).isTrue();
            assertThat(storable).hasSameSizeAs(original);
            if (StorableText.isStorable(original)) {
                assertThat(storable).isSameAs(original);
            }
            assertThat(storable.getBytes(StandardCharsets.UTF_8)).doesNotContain((byte) 0);
        }
    }
}
