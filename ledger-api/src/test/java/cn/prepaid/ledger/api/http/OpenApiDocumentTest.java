package cn.prepaid.ledger.api.http;

import cn.prepaid.ledger.api.support.Http;
import cn.prepaid.ledger.api.support.LedgerIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The live OpenAPI document: what a bank generates its client from, and its committed copy. */
@LedgerIntegrationTest
class OpenApiDocumentTest {

    /** The committed copy, from the ledger-api module's directory (where Maven runs its tests). */
    static final Path COMMITTED = Path.of("..", "docs", "openapi.json");
    static final String UPDATE_PROPERTY = "openapi.update";

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

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
        JsonNode deposit = docs.json().get("components").get("schemas").get("DepositPosting").get("properties");
        assertThat(deposit.get("amount").get("example").asString()).isEqualTo("4800.00");
        assertThat(docs.json().get("components").get("securitySchemes").get("apiKey").get("scheme").asString())
                .isEqualTo("bearer");
    }

    @Test
    void postingIsOneOfItsTypesDiscriminatedByType() {
        JsonNode schemas = new Http(port).get(null, "/v3/api-docs").json().get("components").get("schemas");
        JsonNode posting = schemas.get("PostingRequest");
        assertThat(posting.get("discriminator").get("propertyName").asString()).isEqualTo("type");
        assertThat(posting.get("discriminator").get("mapping").propertyNames()).containsExactlyInAnyOrder(
                "DEPOSIT", "RELEASE", "REFUND", "TRANSFER_OUT", "INTEREST", "BANK_FEE", "ADJUSTMENT");
        assertThat(posting.get("oneOf")).hasSize(7);
        assertThat(schemas.get("ReleasePosting").get("required").valueStream().map(JsonNode::asString))
                .containsExactlyInAnyOrder("bankTxnId", "type", "amount", "currency", "occurredAt", "orderId");
        assertThat(schemas.get("ReleasePosting").get("properties").propertyNames()).doesNotContain("memo", "lessons");
        assertThat(schemas.get("AdjustmentPosting").get("properties").get("amount").get("pattern").asString())
                .startsWith("^-?");
    }

    @Test
    void everyOperationHasAReadableIdAndEveryErrorIsAProblem() {
        JsonNode document = new Http(port).get(null, "/v3/api-docs").json();
        List<String> operationIds = new ArrayList<>();
        document.get("paths").forEach(path -> path.forEach(operation -> {
            operationIds.add(operation.get("operationId").asString());
            operation.get("responses").properties().forEach(answer -> {
                if (answer.getKey().startsWith("4") || answer.getKey().startsWith("5")) {
                    assertThat(answer.getValue().get("$ref").asString()).as(operation.get("operationId") + " "
                            + answer.getKey()).startsWith("#/components/responses/");
                }
            });
        }));
        assertThat(operationIds).doesNotHaveDuplicates().contains("postTransaction", "listInstitutions",
                "registerInstitution").allSatisfy(id -> assertThat(id).doesNotContain("_").isNotIn("post", "list"));
        assertThat(document.get("components").get("schemas").propertyNames()).contains("Problem", "PostingResult",
                "RegisterInstitutionRequest").doesNotContain("Open", "Register", "Request", "Step", "Retried",
                "Status", "Note", "SseEmitter", "StreamingResponseBody");
        assertThat(document.get("components").get("responses").get("Busy").get("content")
                .get("application/problem+json").get("schema").get("$ref").asString())
                .isEqualTo("#/components/schemas/Problem");
    }

    /**
     * The committed docs/openapi.json is what the simulators and banks generate clients from, so it must be
     * the live document. Refresh it with {@code ./mvnw -B -pl ledger-api -am test -Dtest=OpenApiDocumentTest
     * -Dsurefire.failIfNoSpecifiedTests=false -Dopenapi.update=true}.
     */
    @Test
    void theCommittedDocumentIsTheLiveOne() throws IOException {
        String live = JSON.writeValueAsString(new Http(port).get(null, "/v3/api-docs").json()) + "\n";
        if (Boolean.getBoolean(UPDATE_PROPERTY)) {
            Files.writeString(COMMITTED, live);
        }
        assertThat(Files.exists(COMMITTED)).as(COMMITTED + " exists").isTrue();
        assertThat(Files.readString(COMMITTED))
                .as(COMMITTED + " is out of date: refresh it with the command in docs/api.md and commit it")
                .isEqualTo(live);
    }

    @Test
    void theDocumentLinksTheGuideTheLedgerServes() {
        Http http = new Http(port);
        String guide = http.get(null, "/v3/api-docs").json().get("externalDocs").get("url").asString();
        Http.Answer page = http.get(null, guide);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).startsWith("# HTTP API").contains("/v3/api-docs");
    }

    @Test
    void theUiIsServed() {
        Http.Answer ui = new Http(port).get(null, "/swagger-ui/index.html");
        assertThat(ui.status()).isEqualTo(200);
        assertThat(ui.body()).contains("swagger-ui");
    }
}
