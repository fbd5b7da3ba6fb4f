package cn.prepaid.ledger.api.http;

import cn.prepaid.ledger.api.support.Http.Answer;
import cn.prepaid.ledger.api.support.Http;
import cn.prepaid.ledger.api.support.LedgerIntegrationTest;
import cn.prepaid.ledger.api.support.RawHttp;
import cn.prepaid.ledger.store.support.TestLedger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static cn.prepaid.ledger.api.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests a hostile or careless client sends, each answered as problem+json with a code before anything
 * is stored: unanswerable Accept headers, wildcard content types, text the ledger cannot keep, and
 * requests Tomcat or the firewall refuse before the ledger's code runs.
 */
@LedgerIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileRequestTest {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;

    Http http;
    Http.Opened opened;
    String postings;
    final String at = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS)
            .atOffset(ZoneOffset.ofHours(8)).toString();

    @BeforeAll
    void fixture() {
        http = new Http(port);
        opened = http.openActiveAccount("HOSTILE");
        postings = "/api/v1/accounts/" + opened.account() + "/transactions";
        Answer deposited = http.post(Http.BANK, postings, deposit("DEP-1", "O1", "75000.00", 50, "1500.00"));
        assertThat(deposited.status()).as(deposited.body()).isEqualTo(201);
    }

    @Test
    void aWriteWhoseAnswerTheClientCannotAcceptIsRefusedBeforeItRuns() {
        String account = opened.account();
        record Write(String name, String key, String path, String body) {
        }
        List<Write> writes = List.of(
                new Write("posting", Http.BANK, postings, interest("ACCEPT-1")),
                new Write("batch", Http.BANK, "/api/v1/transactions/batch",
                        "{\"transactions\":[" + with(interest("ACCEPT-2"), account) + "]}"),
                new Write("consumption", Http.PLATFORM, "/api/v1/accounts/" + account + "/orders/O1/consumptions",
                        json("consumptionId", "ACCEPT-C1", "lessons", 1, "occurredAt", at)),
                new Write("statement", Http.BANK, "/api/v1/accounts/" + account + "/statements",
                        json("statementId", "ACCEPT-S1", "statementDate", "2026-03-01", "closingBalance", "0.00",
                                "transactionCount", 0)),
                new Write("freeze", Http.ZHEJIANG, "/api/v1/accounts/" + account + "/freeze",
                        json("reason", "accept test")));
        for (String accept : List.of("text/html", "image/png", "text/html, application/xml;q=0.9")) {
            for (Write write : writes) {
                long events = events(account);
                Answer refused = http.send(write.key(), "POST", write.path(), write.body(), Map.of("Accept", accept));
                assertThat(refused.status()).as(write.name() + " with Accept " + accept + ": " + refused.body())
                        .isEqualTo(406);
                assertProblem(refused, "NOT_ACCEPTABLE");
                assertThat(events(account)).as(write.name() + " stored nothing").isEqualTo(events);
            }
        }
        // The same posting, acceptably asked, is new: it was not stored by the refused attempts.
        Answer posted = http.send(Http.BANK, "POST", postings, interest("ACCEPT-1"),
                Map.of("Accept", "text/html, application/json;q=0.5"));
        assertThat(posted.status()).as(posted.body()).isEqualTo(201);
        assertThat(posted.header("Idempotent-Replay")).isNull();
    }

    @Test
    void aWildcardOrUnreadableContentTypeIsUnsupportedMedia() {
        for (String contentType : List.of("*/*", "application/*", "json", "text/plain")) {
            long events = events(opened.account());
            Answer refused = http.send(Http.BANK, "POST", postings, interest("CT-" + contentType.length()),
                    Map.of("Content-Type", contentType));
            assertThat(refused.status()).as(contentType + ": " + refused.body()).isEqualTo(415);
            assertProblem(refused, "UNSUPPORTED_MEDIA_TYPE");
            assertThat(events(opened.account())).isEqualTo(events);
        }
    }

    @Test
    void textTheLedgerCannotKeepIsRefusedWithTheFieldNamed() {
        Answer consumed = http.post(Http.PLATFORM, "/api/v1/accounts/" + opened.account() + "/orders/O1/consumptions",
                json("consumptionId", "NUL-C1", "lessons", 40, "occurredAt", at));
        assertThat(consumed.status()).as(consumed.body()).isEqualTo(201);
        String held = http.post(Http.BANK, postings, json("bankTxnId", opened.account() + "-NUL-HELD", "type", "RELEASE",
                "amount", "60000.00", "currency", "CNY", "occurredAt", at, "orderId", "O1")).json()
                .get("heldOutflowId").asString();
        long events = events(opened.account());
        Answer nul = http.post(Http.REGULATOR, "/api/v1/held-outflows/" + held + "/reject",
                "{\"reason\":\"documents\\u0000missing\"}");
        assertThat(nul.status()).as(nul.body()).isEqualTo(400);
        assertProblem(nul, "TEXT_UNSTORABLE");
        assertThat(nul.json().get("errors").get(0).get("field").asString()).isEqualTo("reason");

        Answer loneSurrogate = http.post(Http.BANK, postings, interest("SURROGATE-1").replace("\"interest\"",
                "\"interest \\ud800\""));
        assertThat(loneSurrogate.status()).as(loneSurrogate.body()).isEqualTo(400);
        assertProblem(loneSurrogate, "TEXT_UNSTORABLE");
        assertThat(loneSurrogate.json().get("errors").get(0).get("field").asString()).isEqualTo("memo");

        Answer inBatch = http.post(Http.BANK, "/api/v1/transactions/batch", "{\"transactions\":["
                + with(interest("NUL-BATCH").replace("\"interest\"", "\"a\\u0000b\""), opened.account()) + "]}");
        assertThat(inBatch.status()).as(inBatch.body()).isEqualTo(200);
        assertThat(inBatch.json().get("results").get(0).get("status").asInt()).isEqualTo(400);
        assertThat(inBatch.json().get("results").get(0).get("body").get("code").asString()).isEqualTo("TEXT_UNSTORABLE");
        assertThat(events(opened.account())).isEqualTo(events);

        // A surrogate pair (an emoji) is text like any other.
        Answer emoji = http.post(Http.BANK, postings, interest("EMOJI-1").replace("\"interest\"", "\"interest 😀\""));
        assertThat(emoji.status()).as(emoji.body()).isEqualTo(201);
    }

    @Test
    void requestsTheContainerOrTheFirewallRefuseAreAnsweredAsProblems() {
        String bearer = "\r\nAuthorization: Bearer " + Http.BANK;
        String account = "/api/v1/accounts/" + opened.account();
        Map<String, String> requests = Map.of(
                "headers over 8 KB", "GET " + account + " HTTP/1.1\r\nHost: localhost" + bearer
                        + "\r\nX-Padding: " + "p".repeat(9_000),
                "a 9 KB query string", "GET " + account + "?q=" + "q".repeat(9_000) + " HTTP/1.1\r\nHost: localhost"
                        + bearer,
                "bad percent-encoding", "GET /api/v1/accounts/%zz HTTP/1.1\r\nHost: localhost" + bearer,
                "'..' in the path", "GET /api/v1/accounts/../accounts HTTP/1.1\r\nHost: localhost" + bearer,
                "'//' in the path", "GET /api/v1//accounts HTTP/1.1\r\nHost: localhost" + bearer,
                "';' in the path", "GET /api/v1/accounts;x=1/" + opened.account() + " HTTP/1.1\r\nHost: localhost"
                        + bearer,
                "an encoded NUL in the path", "GET /api/v1/accounts/A%00B HTTP/1.1\r\nHost: localhost" + bearer);
        requests.forEach((name, head) -> {
            Answer refused = RawHttp.exchange(port, head);
            assertThat(refused.status()).as(name + ": " + refused.body()).isBetween(400, 499);
            assertThat(refused.contentType()).as(name).startsWith("application/problem+json");
            assertThat(refused.json().get("code").asString()).as(name).isNotBlank();
            assertThat(refused.json().get("status").asInt()).as(name).isEqualTo(refused.status());
            assertThat(refused.body()).as(name).doesNotContain("Exception", "Tomcat", "/api/v1");
        });
        assertThat(http.get(null, "/actuator/health").status()).isEqualTo(200);
    }

    private static void assertProblem(Answer answer, String code) {
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.json().get("code").asString()).isEqualTo(code);
    }

    private String interest(String bankTxnId) {
        return json("bankTxnId", opened.account() + "-" + bankTxnId, "type", "INTEREST", "amount", "1.00", "currency", "CNY",
                "occurredAt", at, "memo", "interest");
    }

    private static String with(String posting, String account) {
        return "{\"accountId\":\"" + account + "\"," + posting.substring(1);
    }

    private String deposit(String bankTxnId, String order, String amount, int lessons, String price) {
        return json("bankTxnId", opened.account() + "-" + bankTxnId, "type", "DEPOSIT", "amount", amount, "currency", "CNY",
                "occurredAt", at, "orderId", order, "studentRef", "s", "lessons", lessons, "lessonPrice", price,
                "courseStart", "2026-03-02", "courseEnd", "2026-05-31");
    }

    private long events(String aggregateId) {
        return new TestLedger(null, null, jdbc).eventCount(aggregateId);
    }
}
