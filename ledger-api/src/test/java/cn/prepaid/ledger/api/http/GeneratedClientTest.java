package cn.prepaid.ledger.api.http;

import cn.prepaid.ledger.api.support.Http;
import cn.prepaid.ledger.api.support.LedgerIntegrationTest;
import cn.prepaid.ledger.client.ApiClient;
import cn.prepaid.ledger.client.ApiException;
import cn.prepaid.ledger.client.api.BankPostingsApi;
import cn.prepaid.ledger.client.model.DepositPosting;
import cn.prepaid.ledger.client.model.PostingRequest;
import cn.prepaid.ledger.client.model.PostingResult;
import cn.prepaid.ledger.client.model.Problem;
import cn.prepaid.ledger.client.model.ReleasePosting;
import cn.prepaid.ledger.store.support.TestLedger;
import com.fasterxml.jackson.core.JsonProcessingException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * What a bank gets from the committed docs/openapi.json: the build generates a Java client from it
 * (OpenAPI Generator, {@code -g java --library native}, see ledger-api's pom) and this test posts with
 * it to the running ledger. A posting answers a typed result; a refusal, a typed problem.
 */
@LedgerIntegrationTest
class GeneratedClientTest {

    @LocalServerPort
    int port;

    @Test
    void aGeneratedClientPostsWithTypedResultsAndReadsRefusalsAsTypedProblems()
            throws ApiException, JsonProcessingException {
        Http.Opened opened = new Http(port).openActiveAccount("GEN");
        ApiClient client = new ApiClient();
        client.updateBaseUri("http://localhost:" + port);
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + Http.BANK));
        BankPostingsApi postings = new BankPostingsApi(client);
        OffsetDateTime yesterday = OffsetDateTime.now(ZoneOffset.ofHours(8)).minusDays(1)
                .truncatedTo(ChronoUnit.SECONDS);
        String order = TestLedger.unique("ORD");

        PostingResult deposit = postings.postTransaction(opened.account(), new PostingRequest(new DepositPosting()
                .bankTxnId(TestLedger.unique("DEP")).type(DepositPosting.TypeEnum.DEPOSIT).amount("4800.00")
                .currency(DepositPosting.CurrencyEnum.CNY).occurredAt(yesterday).orderId(order).studentRef("stu-1")
                .lessons(60).lessonPrice("80.00").courseStart(LocalDate.of(2026, 3, 2))
                .courseEnd(LocalDate.of(2026, 5, 31))));
        assertThat(deposit.getStatus()).isEqualTo(PostingResult.StatusEnum.RECORDED);
        assertThat(deposit.getBalance()).isEqualTo("4800.00");
        assertThat(deposit.getPostingId()).startsWith(opened.account() + ".P");

        String release = TestLedger.unique("REL");
        ApiException refused = catchThrowableOfType(ApiException.class, () -> postings.postTransaction(
                opened.account(), new PostingRequest(new ReleasePosting().bankTxnId(release)
                        .type(ReleasePosting.TypeEnum.RELEASE).amount("160.00")
                        .currency(ReleasePosting.CurrencyEnum.CNY).occurredAt(yesterday).orderId(order))));
        assertThat(refused.getCode()).isEqualTo(422);
        Problem problem = client.getObjectMapper().readValue(refused.getResponseBody(), Problem.class);
        assertThat(problem.getCode()).isEqualTo("OUTFLOW_REJECTED");
        assertThat(problem.getReason()).isEqualTo("EXCEEDS_RELEASABLE");
        assertThat(problem.getBankTxnId()).isEqualTo(release);
        assertThat(problem.getBalance()).isEqualTo("4800.00");
    }
}
