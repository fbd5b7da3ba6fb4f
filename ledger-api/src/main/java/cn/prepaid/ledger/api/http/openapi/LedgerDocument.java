package cn.prepaid.ledger.api.http.openapi;

import io.swagger.v3.oas.models.OpenAPI;
import org.springdoc.core.customizers.OpenApiCustomizer;

/**
 * What annotations cannot say, added to the generated document: the Problem schema and the shared
 * error answers, the posting request as a discriminated oneOf, readable page names, and the answers
 * every operation shares.
 */
public class LedgerDocument implements OpenApiCustomizer {

    @Override
    public void customise(OpenAPI openApi) {
        ProblemAnswers.register(openApi.getComponents());
        PostingRequestSchemas.register(openApi.getComponents());
        MoneyExamples.restore(openApi.getComponents());
        PageSchemas.rename(openApi);
        CommonAnswers.addTo(openApi);
    }
}
