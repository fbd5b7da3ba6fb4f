package cn.prepaid.ledger.api.http.openapi;

import cn.prepaid.ledger.api.http.PageView;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Names the pages of {@link PageView} as a reader would ({@code InstitutionPage}) instead of as the
 * generic type is spelt ({@code PageViewInstitution}), and points every answer at the new names.
 */
final class PageSchemas {

    private static final String SCHEMAS = "#/components/schemas/";
    private static final String GENERIC_NAME = PageView.class.getSimpleName();

    private PageSchemas() {
    }

    static void rename(OpenAPI openApi) {
        Map<String, Schema> schemas = openApi.getComponents().getSchemas();
        Map<String, String> renamed = new HashMap<>();
        for (String name : List.copyOf(schemas.keySet())) {
            if (name.startsWith(GENERIC_NAME) && name.length() > GENERIC_NAME.length()) {
                String readable = name.substring(GENERIC_NAME.length()) + "Page";
                schemas.put(readable, schemas.remove(name).description("One page of a list, by page number from 0."));
                renamed.put(SCHEMAS + name, SCHEMAS + readable);
            }
        }
        openApi.getPaths().values().forEach(path -> path.readOperations().forEach(operation ->
                operation.getResponses().values().stream().filter(answer -> answer.getContent() != null)
                        .flatMap(answer -> answer.getContent().values().stream())
                        .map(mediaType -> mediaType.getSchema())
                        .filter(schema -> schema != null && renamed.containsKey(schema.get$ref()))
                        .forEach(schema -> schema.set$ref(renamed.get(schema.get$ref())))));
    }
}
