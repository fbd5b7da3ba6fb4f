package cn.prepaid.ledger.core.ids;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InstitutionIdTest {

    private static final String VALID = "91350100M000100Y43";
    private static final String CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";

    /** GB 32100-2015 check character, written independently of the production code. */
    private static char referenceCheckCharacter(String first17) {
        int sum = 0;
        int weight = 1;
        for (int i = 0; i < 17; i++) {
            sum += CODE_ALPHABET.indexOf(first17.charAt(i)) * weight;
            weight = weight * 3 % 31;
        }
        return CODE_ALPHABET.charAt((31 - sum % 31) % 31);
    }

    @Test
    void acceptsAValidCode() {
        assertThat(InstitutionId.problemWith(VALID)).isNull();
        assertThat(InstitutionId.of(VALID).value()).isEqualTo(VALID);
        assertThat(InstitutionId.of(VALID)).hasToString(VALID);
        assertThat(InstitutionId.of(VALID)).isEqualTo(new InstitutionId(VALID));
    }

    @Test
    void withCheckCharacterAppendsTheCheckCharacter() {
        assertThat(InstitutionId.withCheckCharacter("91350100M000100Y4").value()).isEqualTo(VALID);
    }

    @Test
    void rejectsAWrongCheckCharacter() {
        assertThat(InstitutionId.problemWith("91350100M000100Y44"))
                .isEqualTo("check character is '4', expected '3'");
        assertThatThrownBy(() -> InstitutionId.of("91350100M000100Y44"))
                .isInstanceOf(InvalidIdentifierException.class)
                .hasMessageContaining("expected '3'")
                .satisfies(e -> assertThat(((InvalidIdentifierException) e).field()).isEqualTo("institutionId"));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"91350100M000100Y4", "91350100M000100Y430", "9135"})
    void rejectsAWrongLength(String value) {
        assertThat(InstitutionId.problemWith(value)).isEqualTo("a unified social credit code has 18 characters");
        assertThatThrownBy(() -> InstitutionId.of(value)).isInstanceOf(InvalidIdentifierException.class);
    }

    @ParameterizedTest
    @ValueSource(chars = {'I', 'O', 'S', 'V', 'Z', 'a', 'm', '-', ' '})
    void rejectsCharactersOutsideTheCodeAlphabet(char bad) {
        String value = VALID.substring(0, 8) + bad + VALID.substring(9);
        assertThat(InstitutionId.problemWith(value))
                .isEqualTo("character 9 ('" + bad + "') is not in the code's alphabet");
        assertThatThrownBy(() -> InstitutionId.of(value)).isInstanceOf(InvalidIdentifierException.class);
    }

    @Test
    void rejectsAForbiddenLetterAsCheckCharacter() {
        assertThat(InstitutionId.problemWith("91350100M000100Y4O")).contains("character 18");
    }

    @Test
    void rejectsLettersInTheRegionPart() {
        String body = "91A50100M000100Y4";
        String value = body + InstitutionId.checkCharacter(body);   // a correct check character: only the region is wrong
        assertThat(InstitutionId.problemWith(value))
                .isEqualTo("characters 3 to 8 are the region code and must be digits");
        assertThatThrownBy(() -> InstitutionId.withCheckCharacter(body)).isInstanceOf(InvalidIdentifierException.class);
    }

    @Test
    void rejectsALetterAtTheEndOfTheRegionPart() {
        String body = "9135010HM000100Y4";
        assertThat(InstitutionId.problemWith(body + InstitutionId.checkCharacter(body)))
                .contains("region code");
    }

    @Test
    void withCheckCharacterNeedsSeventeenCharacters() {
        assertThatThrownBy(() -> InstitutionId.withCheckCharacter("91350100M000100Y"))
                .isInstanceOf(InvalidIdentifierException.class);
        assertThatThrownBy(() -> InstitutionId.withCheckCharacter(null))
                .isInstanceOf(InvalidIdentifierException.class);
        assertThatThrownBy(() -> InstitutionId.withCheckCharacter("91350100M000100YI"))
                .isInstanceOf(InvalidIdentifierException.class);
    }

    @Test
    void aSumDivisibleBy31GivesCheckCharacterZero() {
        // find a body whose weighted sum is a multiple of 31 by varying the last body character
        String found = null;
        for (char c : CODE_ALPHABET.toCharArray()) {
            String body = "91350100M000100Y" + c;
            if (referenceCheckCharacter(body) == '0') {
                found = body;
            }
        }
        assertThat(found).isNotNull();
        assertThat(InstitutionId.withCheckCharacter(found).value()).endsWith("0");
    }

    @Test
    void agreesWithAnIndependentImplementationAndDetectsEverySingleSubstitution() {
        Random random = new Random(32100);
        for (int n = 0; n < 300; n++) {
            StringBuilder body = new StringBuilder();
            for (int i = 0; i < 17; i++) {
                boolean region = i >= 2 && i < 8;
                body.append(region ? (char) ('0' + random.nextInt(10))
                        : CODE_ALPHABET.charAt(random.nextInt(CODE_ALPHABET.length())));
            }
            String code = body.toString() + referenceCheckCharacter(body.toString());
            assertThat(InstitutionId.problemWith(code)).as(code).isNull();
            assertThat(InstitutionId.withCheckCharacter(body.toString()).value()).isEqualTo(code);

            int position = random.nextInt(18);
            String pool = position >= 2 && position < 8 ? "0123456789" : CODE_ALPHABET;
            char replacement;
            do {
                replacement = pool.charAt(random.nextInt(pool.length()));
            } while (replacement == code.charAt(position));
            String mutated = code.substring(0, position) + replacement + code.substring(position + 1);
            assertThat(InstitutionId.problemWith(mutated)).as(mutated).startsWith("check character is");
        }
    }
}
