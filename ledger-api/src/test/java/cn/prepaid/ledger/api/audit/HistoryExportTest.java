package cn.prepaid.ledger.api.audit;

import cn.prepaid.ledger.api.support.Http;
import cn.prepaid.ledger.api.support.LedgerIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import static cn.prepaid.ledger.api.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

/** An auditor exports an institution's complete history, as NDJSON or CSV, in recording order, with hashes. */
@LedgerIntegrationTest
class HistoryExportTest {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void theHistoryOfAnInstitutionAndItsAccountsIsStreamedInRecordingOrder() throws Exception {
        Http http = new Http(port);
        Http.Opened opened = http.openActiveAccount("HIST");
        String institution = opened.institution();
        String account = opened.account();
        String at = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS)
                .atOffset(ZoneOffset.ofHours(8)).toString();
        http.post(Http.BANK, "/api/v1/accounts/" + account + "/transactions", json("bankTxnId", "I1", "type",
                "INTEREST", "amount", "1.23", "currency", "CNY", "occurredAt", at, "memo", "interest"));
        long stored = jdbc.queryForObject("select count(*) from domain_event_entry where aggregate_identifier in (?, ?)",
                Long.class, institution, account);

        List<JsonNode> lines = new ArrayList<>();
        for (String line : fetch(institution, "application/x-ndjson").body().split("\n")) {
            lines.add(JsonMapper.builder().build().readTree(line));
        }
        assertThat(lines).hasSize((int) stored);
        assertThat(lines.get(0).get("type").asString()).isEqualTo("InstitutionRegistered");
        assertThat(lines.get(0).get("aggregateId").asString()).isEqualTo(institution);
        for (int i = 1; i < lines.size(); i++) {
            assertThat(lines.get(i).get("sequence").asLong()).isGreaterThan(lines.get(i - 1).get("sequence").asLong());
        }
        JsonNode interest = lines.get(lines.size() - 1);
        assertThat(interest.get("type").asString()).isEqualTo("InterestCredited");
        assertThat(interest.get("aggregateId").asString()).isEqualTo(account);
        assertThat(interest.get("payload").get("amountFen").asLong()).isEqualTo(123);
        assertThat(Instant.parse(interest.get("occurredAt").asString())).isEqualTo(Instant.parse(
                java.time.OffsetDateTime.parse(at).toInstant().toString()));
        assertThat(interest.get("hash").asString()).hasSize(64);
        assertThat(interest.get("recordedAt").asString()).isNotBlank();

        HttpResponse<String> csv = fetch(institution, "text/csv");
        String[] rows = csv.body().split("\n");
        assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        assertThat(rows[0]).isEqualTo("sequence,aggregateId,aggregateSequence,type,occurredAt,recordedAt,payload,hash");
        assertThat(rows).hasSize((int) stored + 1);
        assertThat(rows[rows.length - 1]).contains("\"InterestCredited\"").contains("\"\"amountFen\"\":123");

        String before = fetchPath("/api/v1/institutions/" + institution + "/history?to=2020-01-01T00:00:00Z",
                "application/x-ndjson").body();
        assertThat(before).isEmpty();
        assertThat(http.get(Http.BEIJING, "/api/v1/institutions/" + institution + "/history").status()).isEqualTo(403);
        assertThat(http.get(Http.BANK, "/api/v1/institutions/" + institution + "/history").status()).isEqualTo(403);
    }

    private HttpResponse<String> fetch(String institution, String accept) throws Exception {
        return fetchPath("/api/v1/institutions/" + institution + "/history", accept);
    }

    private HttpResponse<String> fetchPath(String path, String accept) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + Http.AUDITOR).header("Accept", accept).GET().build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response;
    }
}
