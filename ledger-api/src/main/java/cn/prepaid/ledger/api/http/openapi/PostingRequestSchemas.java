package cn.prepaid.ledger.api.http.openapi;

import cn.prepaid.ledger.api.http.accounts.PostingTranslator;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.media.ComposedSchema;
import io.swagger.v3.oas.models.media.DateSchema;
import io.swagger.v3.oas.models.media.DateTimeSchema;
import io.swagger.v3.oas.models.media.Discriminator;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A bank posting as a generator should see it: one schema per {@code type}, each with exactly the fields
 * {@link PostingTranslator} accepts for that type, joined as a {@code oneOf} discriminated by {@code type}.
 * The HTTP layer reads all types into one record (so a misplaced field gets a precise 400); the document
 * replaces that record's flat schema, {@code PostingRequest}, with this one.
 */
final class PostingRequestSchemas {

    static final String NAME = "PostingRequest";
    private static final String SCHEMAS = "#/components/schemas/";
    private static final String CLIENT_ID = "^[A-Za-z0-9._:-]{1,64}$";

    private PostingRequestSchemas() {
    }

    static void register(Components components) {
        Map<String, Schema<?>> variants = new LinkedHashMap<>();
        variants.put("DepositPosting", variant("DEPOSIT", false, """
                        Tuition paid into the account for one order: amount = lessons × lessonPrice exactly.""",
                Map.of("orderId", clientId("ORD-2026-0001"),
                        "studentRef", text(64, "stu-7f3a9c"),
                        "lessons", new IntegerSchema().minimum(BigDecimal.ONE)
                                .maximum(BigDecimal.valueOf(10_000)).example(60),
                        "lessonPrice", money(false, "80.00"),
                        "courseStart", new DateSchema().example("2026-03-02"),
                        "courseEnd", new DateSchema().description("not before courseStart").example("2026-05-31")),
                List.of("orderId", "studentRef", "lessons", "lessonPrice", "courseStart", "courseEnd"), "4800.00"));
        variants.put("ReleasePosting", variant("RELEASE", false, """
                        Earned tuition of an order paid out to the institution: 201 RELEASED, 202 HELD when large, \
                        422 OUTFLOW_REJECTED.""",
                Map.of("orderId", clientId("ORD-2026-0001")), List.of("orderId"), "160.00"));
        variants.put("RefundPosting", variant("REFUND", false, """
                        Unconsumed tuition of an order paid back to the payer: 201 REFUNDED, 422 OUTFLOW_REJECTED.""",
                Map.of("orderId", clientId("ORD-2026-0001")), List.of("orderId"), "320.00"));
        variants.put("TransferOutPosting", variant("TRANSFER_OUT", false, """
                        Money moved out of the account to a named counterparty: 201 RECORDED, 202 HELD when large, \
                        422 OUTFLOW_REJECTED.""",
                Map.of("counterparty", text(200, "Hangzhou Qiming Arts Co., Ltd. operating account"),
                        "purpose", text(200, "interest sweep")),
                List.of("counterparty", "purpose"), "100.00"));
        variants.put("InterestPosting", variant("INTEREST", false, "Interest credited by the bank.",
                Map.of("memo", text(200, "quarterly interest")), List.of(), "12.34"));
        variants.put("BankFeePosting", variant("BANK_FEE", false, "A fee the bank charged to the account.",
                Map.of("memo", text(200, "account maintenance fee")), List.of(), "5.00"));
        variants.put("AdjustmentPosting", variant("ADJUSTMENT", true, """
                        A correction by the bank; the amount is signed and never zero.""",
                Map.of("memo", text(200, "reversal of a duplicated fee")), List.of(), "-20.00"));

        Discriminator discriminator = new Discriminator().propertyName("type");
        ComposedSchema posting = new ComposedSchema();
        variants.forEach((name, variant) -> {
            components.addSchemas(name, variant);
            String ref = SCHEMAS + name;
            discriminator.mapping(((StringSchema) variant.getProperties().get("type")).getEnum().get(0), ref);
            posting.addOneOfItem(new Schema<>().$ref(ref));
        });
        posting.discriminator(discriminator).description("""
                One bank posting; `type` says which fields it has. Fields of another type are refused (400 \
                UNKNOWN_FIELD or VALIDATION_FAILED), as are unknown fields.""");
        components.addSchemas(NAME, posting);
    }

    private static ObjectSchema variant(String type, boolean signed, String description,
                                        Map<String, Schema<?>> own, List<String> required, String amount) {
        ObjectSchema variant = new ObjectSchema();
        variant.description(description);
        variant.addProperty("accountId", clientId("ICBC-HZ-0001").description(
                "required in a batch item; on a single posting optional, and equal to the path's"));
        variant.addProperty("bankTxnId", clientId("ICBC20260301000123").description(
                "the bank's id of this transaction: the posting's idempotency key"));
        StringSchema typeSchema = new StringSchema();
        typeSchema.addEnumItem(type);
        variant.addProperty("type", typeSchema);
        variant.addProperty("amount", money(signed, amount).description(signed
                ? "signed, not zero, at most 1000000000.00 either way"
                : "greater than zero, at most 1000000000.00"));
        StringSchema currency = new StringSchema();
        currency.addEnumItem("CNY");
        variant.addProperty("currency", currency);
        variant.addProperty("occurredAt", new DateTimeSchema().example("2026-03-01T09:30:00+08:00").description(
                "with an offset; at most 5 minutes ahead, at most 400 days back"));
        own.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(field -> variant.addProperty(field.getKey(), field.getValue()));
        variant.required(List.of("bankTxnId", "type", "amount", "currency", "occurredAt"));
        required.forEach(variant::addRequiredItem);
        variant.additionalProperties(false);
        return variant;
    }

    private static Schema<String> clientId(String example) {
        return new StringSchema().pattern(CLIENT_ID).example(example);
    }

    private static Schema<String> text(int maxLength, String example) {
        return new StringSchema().minLength(1).maxLength(maxLength).example(example);
    }

    private static Schema<String> money(boolean signed, String example) {
        return new StringSchema().pattern(signed ? MoneyPatterns.REQUEST : MoneyPatterns.UNSIGNED_REQUEST)
                .example(example);
    }
}
