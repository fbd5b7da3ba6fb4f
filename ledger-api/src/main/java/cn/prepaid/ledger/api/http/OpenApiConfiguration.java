package cn.prepaid.ledger.api.http;

import cn.prepaid.ledger.api.http.openapi.LedgerDocument;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.ExternalDocumentation;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.List;

/** The live contract at /v3/api-docs and /swagger-ui.html. */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {

    /** docs/api.md, served by the ledger beside the document (the build copies docs/ into the jar). */
    public static final String API_GUIDE = "/docs/api.md";

    @Bean
    public OpenAPI ledgerOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Prepaid tuition escrow ledger").version("v1").description("""
                        Custodian banks post what happens to supervised prepaid tuition and ask the ledger to \
                        authorise outflows; the platform confirms lessons; regulators supervise institutions and \
                        decide held outflows. Money is a decimal string in CNY with at most two fraction digits \
                        ("1234.50"); instants are ISO-8601 with offset. Errors are application/problem+json with a \
                        machine-readable `code`. Every bank and platform write carries a client id: repeating it \
                        with the same body answers the first answer again with `Idempotent-Replay: true`; with a \
                        different body, 409 IDEMPOTENCY_CONFLICT."""))
                // relative: the document names whichever ledger serves it, and stays the same on every port
                .servers(List.of(new Server().url("/").description("the ledger serving this document")))
                .externalDocs(new ExternalDocumentation().url(API_GUIDE)
                        .description("The guide: roles and scope, problem codes, idempotency, what each answer means"))
                .components(new Components().addSecuritySchemes("apiKey", new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("API key")
                        .description("Authorization: Bearer <api key>; one key per principal and role")))
                .addSecurityItem(new SecurityRequirement().addList("apiKey"));
    }

    @Bean
    public OpenApiCustomizer ledgerDocument() {
        return new LedgerDocument();
    }
}
