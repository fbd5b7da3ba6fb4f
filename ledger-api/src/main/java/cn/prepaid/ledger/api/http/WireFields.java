package cn.prepaid.ledger.api.http;

import cn.prepaid.ledger.core.ids.ClientIds;
import cn.prepaid.ledger.core.ids.InstitutionId;
import cn.prepaid.ledger.core.money.Money;
import cn.prepaid.ledger.core.money.MoneyFormatException;
import cn.prepaid.ledger.core.money.Ratio;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads the wire form of one request's fields (decimal strings, ISO instants, client ids), collecting
 * every problem instead of stopping at the first, so a client learns all it must fix at once.
 * Each reader returns null for an invalid value; call {@link #throwIfInvalid()} before using them.
 */
public final class WireFields {

    /** How far in the future an occurredAt may lie (clock skew), and how far back a late posting may. */
    public static final Duration MAX_FUTURE = Duration.ofMinutes(5);
    public static final Duration MAX_PAST = Duration.ofDays(400);

    private static final Set<String> MONEY_FIELDS = Set.of("amount", "lessonPrice", "closingBalance",
            "minimumBalance", "largeTransferThreshold", "largeTransferRatioFrom");
    private static final Set<String> INSTANT_FIELDS = Set.of("occurredAt", "since", "asOf", "knownAt", "from", "to");

    private final String prefix;
    private final Clock clock;
    private final List<FieldProblem> problems = new ArrayList<>();

    public WireFields(Clock clock) {
        this("", clock);
    }

    public WireFields(String prefix, Clock clock) {
        this.prefix = prefix;
        this.clock = clock;
    }

    /** The problem code a wrongly typed field gets. */
    public static String codeFor(String path) {
        String field = path.contains(".") ? path.substring(path.lastIndexOf('.') + 1) : path;
        if (MONEY_FIELDS.contains(field)) {
            return "AMOUNT_INVALID";
        }
        if (INSTANT_FIELDS.contains(field)) {
            return "INSTANT_INVALID";
        }
        return "VALIDATION_FAILED";
    }

    public void problem(String field, String message, String code) {
        problems.add(new FieldProblem(prefix + field, message, code));
    }

    public boolean present(String field, Object value) {
        if (value == null || (value instanceof String text && text.isBlank())) {
            problem(field, "is required", "VALIDATION_FAILED");
            return false;
        }
        return true;
    }

    /** A field this request type does not take; refused so a misplaced value never passes silently. */
    public void absent(String field, Object value, String why) {
        if (value != null) {
            problem(field, why, "UNKNOWN_FIELD");
        }
    }

    public String text(String field, String value, int maxLength) {
        if (!present(field, value)) {
            return null;
        }
        if (value.length() > maxLength) {
            problem(field, "is longer than " + maxLength + " characters", "VALIDATION_FAILED");
            return null;
        }
        return value;
    }

    public String optionalText(String field, String value, int maxLength) {
        if (value != null && value.length() > maxLength) {
            problem(field, "is longer than " + maxLength + " characters", "VALIDATION_FAILED");
            return null;
        }
        return value;
    }

    public String clientId(String field, String value) {
        if (!present(field, value)) {
            return null;
        }
        if (!ClientIds.isValid(value)) {
            problem(field, "must be 1-64 characters of A-Z a-z 0-9 . _ : -", "VALIDATION_FAILED");
            return null;
        }
        return value;
    }

    public InstitutionId institutionId(String field, String value) {
        if (!present(field, value)) {
            return null;
        }
        String problem = InstitutionId.problemWith(value);
        if (problem != null) {
            problem(field, problem, "INSTITUTION_ID_INVALID");
            return null;
        }
        return InstitutionId.of(value);
    }

    /** A posting amount: positive (or, when signed, non-zero), two decimals at most, at most the maximum. */
    public Money amount(String field, String value, boolean signed) {
        Money amount = decimal(field, value);
        if (amount == null) {
            return null;
        }
        if (signed ? amount.isZero() : !amount.isPositive()) {
            problem(field, signed ? "must not be zero" : "must be greater than zero", "AMOUNT_INVALID");
            return null;
        }
        if (amount.isGreaterThan(Money.MAX_POSTING) || amount.negate().isGreaterThan(Money.MAX_POSTING)) {
            problem(field, "must be at most " + Money.MAX_POSTING, "AMOUNT_INVALID");
            return null;
        }
        return amount;
    }

    /** A non-negative money value such as a policy threshold or a statement balance. */
    public Money nonNegativeMoney(String field, String value) {
        Money money = decimal(field, value);
        if (money != null && money.isNegative()) {
            problem(field, "must not be negative", "AMOUNT_INVALID");
            return null;
        }
        return money;
    }

    public Money decimal(String field, String value) {
        if (!present(field, value)) {
            return null;
        }
        try {
            return Money.parse(value);
        } catch (MoneyFormatException | ArithmeticException invalid) {
            problem(field, "must be a decimal string with at most two fraction digits, e.g. \"1234.50\"",
                    "AMOUNT_INVALID");
            return null;
        }
    }

    public Ratio ratio(String field, String value) {
        if (!present(field, value)) {
            return null;
        }
        try {
            return Ratio.parse(value);
        } catch (MoneyFormatException invalid) {
            problem(field, "must be a non-negative decimal with at most four fraction digits, e.g. \"0.20\"",
                    "VALIDATION_FAILED");
            return null;
        }
    }

    public void currency(String field, String value) {
        if (present(field, value) && !"CNY".equals(value)) {
            problem(field, "only CNY is supported", "CURRENCY_NOT_SUPPORTED");
        }
    }

    /** An ISO-8601 instant with offset, not more than 5 minutes ahead nor more than 400 days back. */
    public Instant occurredAt(String field, String value) {
        Instant instant = instant(field, value);
        if (instant == null) {
            return null;
        }
        Instant now = clock.instant();
        if (instant.isAfter(now.plus(MAX_FUTURE))) {
            problem(field, "lies more than 5 minutes in the future", "INSTANT_INVALID");
            return null;
        }
        if (instant.isBefore(now.minus(MAX_PAST))) {
            problem(field, "lies more than 400 days in the past", "INSTANT_INVALID");
            return null;
        }
        return instant;
    }

    public Instant instant(String field, String value) {
        if (!present(field, value)) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException invalid) {
            problem(field, "must be an ISO-8601 instant with offset, e.g. 2026-03-01T09:30:00+08:00",
                    "INSTANT_INVALID");
            return null;
        }
    }

    public LocalDate date(String field, String value) {
        if (!present(field, value)) {
            return null;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException invalid) {
            problem(field, "must be an ISO date, e.g. 2026-03-01", "VALIDATION_FAILED");
            return null;
        }
    }

    public Integer positiveInt(String field, Integer value, int max) {
        if (!present(field, value)) {
            return null;
        }
        if (value < 1 || value > max) {
            problem(field, "must be between 1 and " + max, "VALIDATION_FAILED");
            return null;
        }
        return value;
    }

    public Integer nonNegativeInt(String field, Integer value, int max) {
        if (!present(field, value)) {
            return null;
        }
        if (value < 0 || value > max) {
            problem(field, "must be between 0 and " + max, "VALIDATION_FAILED");
            return null;
        }
        return value;
    }

    public <E extends Enum<E>> E oneOf(String field, String value, Class<E> type) {
        if (!present(field, value)) {
            return null;
        }
        try {
            return Enum.valueOf(type, value);
        } catch (IllegalArgumentException unknown) {
            problem(field, "must be one of " + List.of(type.getEnumConstants()), "VALIDATION_FAILED");
            return null;
        }
    }

    /**
     * A required free-text field of a regulator's action (a reason, a note): at most 1,000 characters.
     *
     * @throws ApiProblem 400 when missing or too long
     */
    public static String requiredNote(String field, String value) {
        if (value == null || value.isBlank()) {
            throw ApiProblem.invalid(field, "is required", "VALIDATION_FAILED");
        }
        return optionalNote(field, value);
    }

    /** An optional free-text field of a regulator's action: at most 1,000 characters. */
    public static String optionalNote(String field, String value) {
        if (value != null && value.length() > 1000) {
            throw ApiProblem.invalid(field, "is longer than 1000 characters", "VALIDATION_FAILED");
        }
        return value;
    }

    public boolean valid() {
        return problems.isEmpty();
    }

    public List<FieldProblem> problems() {
        return List.copyOf(problems);
    }

    public void throwIfInvalid() {
        if (!problems.isEmpty()) {
            throw ApiProblem.invalid(problems);
        }
    }
}
