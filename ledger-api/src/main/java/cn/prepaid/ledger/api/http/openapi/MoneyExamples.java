package cn.prepaid.ledger.api.http.openapi;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.media.Schema;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Set;

/**
 * Gives money examples back their two fraction digits. swagger-core reads an annotation's example
 * through a JSON parser, so on a property that also has a pattern "4800.00" arrives as "4800.0"
 * (swagger-core issue 4303), which is not money as the ledger writes it.
 */
final class MoneyExamples {

    private static final Set<String> MONEY = Set.of(MoneyPatterns.REQUEST, MoneyPatterns.UNSIGNED_REQUEST,
            MoneyPatterns.ANSWER);

    private MoneyExamples() {
    }

    static void restore(Components components) {
        for (Schema<?> schema : components.getSchemas().values()) {
            if (schema.getProperties() == null) {
                continue;
            }
            for (Schema<?> property : schema.getProperties().values()) {
                boolean money = property.getPattern() != null && MONEY.contains(property.getPattern());
                if (money && property.getExample() != null) {
                    twoFractionDigits(property);
                }
            }
        }
    }

    private static void twoFractionDigits(Schema<?> property) {
        String example = new BigDecimal(property.getExample().toString()).setScale(2, RoundingMode.UNNECESSARY)
                .toPlainString();
        property.setExample(example);
    }
}
