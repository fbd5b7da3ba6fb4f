package cn.prepaid.ledger.api.audit;

import cn.prepaid.ledger.api.support.Http;
import cn.prepaid.ledger.api.support.LedgerIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

import static cn.prepaid.ledger.api.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

/** "What did the ledger say on day X about day Y": a late posting makes "as of" and "as known at" differ. */
@LedgerIntegrationTest
class BalanceAsOfTest {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aLatePostingCountsAsOfItsOwnTimeButOnlyOnceItIsKnown() {
        Http http = new Http(port);
        Http.Opened opened = http.openActiveAccount("ASOF");
        String path = "/api/v1/accounts/" + opened.account() + "/transactions";
        Instant day = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        // Recorded first: a deposit that happened three days ago.
        http.post(Http.BANK, path, json("bankTxnId", opened.account() + "-" + "D", "type", "DEPOSIT", "amount", "800.00", "currency", "CNY",
                "occurredAt", offset(day.minus(3, ChronoUnit.DAYS)), "orderId", "O", "studentRef", "s", "lessons", 10,
                "lessonPrice", "80.00", "courseStart", "2026-03-02", "courseEnd", "2026-05-31"));
        Instant depositKnown = Instant.parse(jdbc.queryForObject("select max(time_stamp) from domain_event_entry "
                + "where aggregate_identifier = ?", String.class, opened.account()));
        // Recorded later: a fee that happened four days ago (a late posting).
        http.post(Http.BANK, path, json("bankTxnId", opened.account() + "-" + "F", "type", "BANK_FEE", "amount", "50.00", "currency", "CNY",
                "occurredAt", offset(day.minus(4, ChronoUnit.DAYS)), "memo", "late fee"));

        String twoDaysAgo = day.minus(2, ChronoUnit.DAYS).toString();
        JsonNode knownThen = balance(http, opened.account(), twoDaysAgo, depositKnown.toString());
        JsonNode knownNow = balance(http, opened.account(), twoDaysAgo, null);
        assertThat(knownThen.get("balance").asString()).isEqualTo("800.00");
        assertThat(knownNow.get("balance").asString()).isEqualTo("750.00");
        assertThat(knownNow.get("outstandingLiability").asString()).isEqualTo("800.00");
        assertThat(knownNow.get("floor").asString()).isEqualTo("160.00");

        // Between the fee and the deposit only the fee had happened, and only once it was known.
        String beforeDeposit = day.minus(3, ChronoUnit.DAYS).minus(12, ChronoUnit.HOURS).toString();
        assertThat(balance(http, opened.account(), beforeDeposit, null).get("balance").asString()).isEqualTo("-50.00");
        assertThat(balance(http, opened.account(), beforeDeposit, depositKnown.toString()).get("balance").asString())
                .isEqualTo("0.00");
        assertThat(http.get(Http.BANK, "/api/v1/accounts/" + opened.account() + "/balance").status()).isEqualTo(403);
    }

    @Test
    void aDecisionOnAHoldDatedAheadDoesNotCountBeforeTheHoldItself() {
        Http http = new Http(port);
        Http.Opened opened = http.openActiveAccount("ASOFHELD");
        String path = "/api/v1/accounts/" + opened.account() + "/transactions";
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        assertThat(http.post(Http.BANK, path, json("bankTxnId", opened.account() + "-" + "D", "type", "DEPOSIT", "amount", "75000.00",
                "currency", "CNY", "occurredAt", offset(now.minus(2, ChronoUnit.DAYS)), "orderId", "O",
                "studentRef", "s", "lessons", 50, "lessonPrice", "1500.00", "courseStart", "2026-03-02",
                "courseEnd", "2026-05-31")).status()).isEqualTo(201);
        assertThat(http.post(Http.PLATFORM, "/api/v1/accounts/" + opened.account() + "/orders/O/consumptions",
                json("consumptionId", "C", "lessons", 40, "occurredAt", offset(now.minus(1, ChronoUnit.DAYS))))
                .status()).isEqualTo(201);
        // The bank's clock runs four minutes ahead: both large releases are held "in the future"...
        String ahead = offset(now.plus(4, ChronoUnit.MINUTES));
        String rejected = held(http, path, opened.account() + "-R1", ahead);
        // ...and the regulator decides at once: one rejected, then one approved (and released).
        assertThat(http.post(Http.REGULATOR, "/api/v1/held-outflows/" + rejected + "/reject",
                json("reason", "documents missing")).status()).isEqualTo(200);
        String approved = held(http, path, opened.account() + "-R2", ahead);
        assertThat(http.post(Http.REGULATOR, "/api/v1/held-outflows/" + approved + "/approve", null).status())
                .isEqualTo(200);

        // As of now, neither hold had happened, so neither decision nor the release had either.
        String asOfNow = Instant.now().toString();
        for (boolean fullReplay : new boolean[] {false, true}) {
            Http.Answer answer = http.get(Http.AUDITOR, "/api/v1/accounts/" + opened.account() + "/balance?asOf="
                    + asOfNow + (fullReplay ? "&fullReplay=true" : ""));
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            assertThat(answer.json().get("balance").asString()).isEqualTo("75000.00");
            assertThat(answer.json().get("releasable").asString()).isEqualTo("60000.00");
        }
        // The account itself, today, has released the approved one.
        assertThat(http.get(Http.AUDITOR, "/api/v1/accounts/" + opened.account()).json().get("balance").asString())
                .isEqualTo("15000.00");
    }

    private static String held(Http http, String path, String bankTxnId, String occurredAt) {
        Http.Answer held = http.post(Http.BANK, path, json("bankTxnId", bankTxnId, "type", "RELEASE",
                "amount", "60000.00", "currency", "CNY", "occurredAt", occurredAt, "orderId", "O"));
        assertThat(held.status()).as(held.body()).isEqualTo(202);
        return held.json().get("heldOutflowId").asString();
    }

    private static JsonNode balance(Http http, String account, String asOf, String knownAt) {
        Http.Answer answer = http.get(Http.AUDITOR, "/api/v1/accounts/" + account + "/balance?asOf=" + asOf
                + (knownAt == null ? "" : "&knownAt=" + knownAt));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json();
    }

    private static String offset(Instant instant) {
        return instant.atOffset(ZoneOffset.ofHours(8)).toString();
    }
}
