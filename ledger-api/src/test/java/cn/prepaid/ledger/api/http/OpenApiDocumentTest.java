package cn.prepaid.ledger.api.http;

import cn.prepaid.ledger.api.support.Http;
import cn.prepaid.ledger.api.support.LedgerIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The live OpenAPI document describes the contract's write endpoints, with examples, without a key. */
@LedgerIntegrationTest
class OpenApiDocumentTest {

    @LocalServerPort
    int port;

    @Test
    void theLiveDocumentListsEveryWriteEndpointWithExamples() {
        Http.Answer docs = new Http(port).get(null, "/v3/api-docs");
        assertThat(docs.status()).isEqualTo(200);
        JsonNode paths = docs.json().get("paths");
        assertThat(paths.propertyNames()).contains("/api/v1/institutions", "/api/v1/institutions/{id}/approve",
                "/api/v1/institutions/{id}/suspend", "/api/v1/institutions/{id}/blacklist",
                "/api/v1/institutions/{id}/close", "/api/v1/institutions/{id}/policy", "/api/v1/institutions/{id}",
                "/api/v1/accounts", "/api/v1/accounts/{id}", "/api/v1/accounts/{id}/freeze",
                "/api/v1/accounts/{id}/unfreeze", "/api/v1/accounts/{id}/transactions", "/api/v1/transactions/batch",
                "/api/v1/accounts/{id}/statements", "/api/v1/accounts/{id}/orders/{orderId}/consumptions",
                "/api/v1/held-outflows/{id}/approve", "/api/v1/held-outflows/{id}/reject");
        JsonNode posting = docs.json().get("components").get("schemas").get("Posting").get("properties");
        assertThat(posting.get("amount").get("example").asString()).isEqualTo("4800.00");
        assertThat(docs.json().get("components").get("securitySchemes").get("apiKey").get("scheme").asString())
                .isEqualTo("bearer");
    }

    @Test
    void theUiIsServed() {
        Http.Answer ui = new Http(port).get(null, "/swagger-ui/index.html");
        assertThat(ui.status()).isEqualTo(200);
        assertThat(ui.body()).contains("swagger-ui");
    }
}
