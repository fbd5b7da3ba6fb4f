package cn.prepaid.ledger.api.http;

import cn.prepaid.ledger.core.text.StorableText;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.deser.jdk.StringDeserializer;
import tools.jackson.databind.exc.InvalidFormatException;

/**
 * Every string of a request body, read as Jackson reads strings, refused when it holds a character the
 * ledger cannot keep (U+0000, an unpaired surrogate): such text would be stored in an event and then fail
 * every table it is copied into.
 */
public class StorableTextDeserializer extends StringDeserializer {

    @Override
    public String deserialize(JsonParser parser, DeserializationContext context) {
        String text = super.deserialize(parser, context);
        if (text != null && !StorableText.isStorable(text)) {
            throw new UnstorableTextException(parser, text);
        }
        return text;
    }

    /** The 400's cause: {@link ApiExceptionHandler#problemFor} names the field and says why. */
    public static final class UnstorableTextException extends InvalidFormatException {
        UnstorableTextException(JsonParser parser, String text) {
            super(parser, "text holds U+0000 or an unpaired surrogate", text, String.class);
        }
    }
}
