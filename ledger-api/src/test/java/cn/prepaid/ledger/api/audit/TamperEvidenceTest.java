package cn.prepaid.ledger.api.audit;

import cn.prepaid.ledger.api.support.Http;
import cn.prepaid.ledger.api.support.LedgerIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static cn.prepaid.ledger.api.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Every event is hash-chained when appended; a changed byte, a removed row and swapped rows are each found and named. */
@LedgerIntegrationTest
class TamperEvidenceTest {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;

    record Fixture(String institution, String account) {
    }

    @Test
    void anUntouchedHistoryVerifiesAndEveryEventCarriesAHash() {
        Fixture f = fixture();
        JsonNode verdict = verify(f);
        long stored = jdbc.queryForObject("select count(*) from domain_event_entry where aggregate_identifier in (?, ?)",
                Long.class, f.institution(), f.account());
        assertThat(verdict.get("valid").asBoolean()).isTrue();
        assertThat(verdict.get("eventsChecked").asLong()).isEqualTo(stored);
        assertThat(jdbc.queryForObject("select count(*) from domain_event_entry where aggregate_identifier in (?, ?) "
                + "and hash is null", Long.class, f.institution(), f.account())).isZero();
        assertThat(jdbc.queryForObject("select count(*) from domain_event_entry where aggregate_identifier in (?, ?) "
                + "and occurred_at is null", Long.class, f.institution(), f.account())).isZero();
        assertThat(new Http(port).get(Http.BEIJING, "/api/v1/institutions/" + f.institution() + "/verify").status())
                .isEqualTo(403);
    }

    @Test
    void oneChangedPayloadByteIsFoundAndNamed() {
        Fixture f = fixture();
        long target = interestEvents(f).get(1);
        jdbc.update("update domain_event_entry set payload = convert_to(replace(convert_from(payload, 'UTF8'), "
                + "'\"amountFen\":200', '\"amountFen\":900'), 'UTF8') where global_index = ?", target);

        JsonNode verdict = verify(f);
        assertThat(verdict.get("valid").asBoolean()).isFalse();
        assertThat(verdict.get("firstBrokenSequence").asLong()).isEqualTo(target);
        assertThat(verdict.get("aggregateId").asString()).isEqualTo(f.account());
        assertThat(verdict.get("detail").asString()).contains("does not match its hash");
    }

    @Test
    void oneDeletedRowIsFoundAtTheGapItLeaves() {
        Fixture f = fixture();
        List<Long> interests = interestEvents(f);
        jdbc.update("delete from domain_event_entry where global_index = ?", interests.get(1));

        JsonNode verdict = verify(f);
        assertThat(verdict.get("valid").asBoolean()).isFalse();
        assertThat(verdict.get("firstBrokenSequence").asLong()).isEqualTo(interests.get(2));
        assertThat(verdict.get("aggregateId").asString()).isEqualTo(f.account());
        assertThat(verdict.get("detail").asString()).contains("missing");
    }

    @Test
    void twoReorderedRowsAreFound() {
        Fixture f = fixture();
        List<Long> interests = interestEvents(f);
        long first = interests.get(0);
        long second = interests.get(1);
        // Swap the two events' contents, as if their order had been rewritten.
        jdbc.update("update domain_event_entry a set payload = b.payload, event_identifier = b.event_identifier || '-x' "
                + "from domain_event_entry b where a.global_index = ? and b.global_index = ?", first, second);
        jdbc.update("update domain_event_entry a set payload = b.payload from domain_event_entry b "
                + "where a.global_index = ? and b.global_index = ?", second, first);

        JsonNode verdict = verify(f);
        assertThat(verdict.get("valid").asBoolean()).isFalse();
        assertThat(verdict.get("firstBrokenSequence").asLong()).isEqualTo(first);
        assertThat(verdict.get("aggregateId").asString()).isEqualTo(f.account());
    }

    @Test
    void aChangedOccurredAtCopyIsFound() {
        Fixture f = fixture();
        long target = interestEvents(f).get(2);
        // The column balances filter on, moved a day later so the event would drop out of "as of" answers.
        jdbc.update("update domain_event_entry set occurred_at = occurred_at + interval '1 day' where global_index = ?",
                target);

        JsonNode verdict = verify(f);
        assertThat(verdict.get("valid").asBoolean()).isFalse();
        assertThat(verdict.get("firstBrokenSequence").asLong()).isEqualTo(target);
        assertThat(verdict.get("aggregateId").asString()).isEqualTo(f.account());
        assertThat(verdict.get("detail").asString()).contains("occurred_at");
    }

    private JsonNode verify(Fixture f) {
        Http.Answer answer = new Http(port).get(Http.AUDITOR, "/api/v1/institutions/" + f.institution() + "/verify");
        assertThat(answer.status()).isEqualTo(200);
        return answer.json();
    }

    private List<Long> interestEvents(Fixture f) {
        return jdbc.queryForList("select global_index from domain_event_entry where aggregate_identifier = ? "
                + "and payload_type like '%InterestCredited' order by sequence_number", Long.class, f.account());
    }

    /**
     * An institution with one account: a deposit, three interest credits (1.00, 2.00, 3.00) and a fee,
     * fully projected before any test touches the rows (so no processor ever reads a tampered row).
     */
    private Fixture fixture() {
        Http http = new Http(port);
        Http.Opened opened = http.openActiveAccount("TAMPER");
        String institution = opened.institution();
        String account = opened.account();
        String at = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS)
                .atOffset(ZoneOffset.ofHours(8)).toString();
        String path = "/api/v1/accounts/" + account + "/transactions";
        http.post(Http.BANK, path, json("bankTxnId", account + "-" + "D", "type", "DEPOSIT", "amount", "800.00", "currency", "CNY",
                "occurredAt", at, "orderId", "O", "studentRef", "s", "lessons", 10, "lessonPrice", "80.00",
                "courseStart", "2026-03-02", "courseEnd", "2026-05-31"));
        for (int i = 1; i <= 3; i++) {
            http.post(Http.BANK, path, json("bankTxnId", account + "-" + "I" + i, "type", "INTEREST", "amount", i + ".00",
                    "currency", "CNY", "occurredAt", at, "memo", "interest"));
        }
        http.post(Http.BANK, path, json("bankTxnId", account + "-" + "F", "type", "BANK_FEE", "amount", "0.50", "currency", "CNY",
                "occurredAt", at, "memo", "fee"));
        long stored = jdbc.queryForObject("select max(sequence_number) from domain_event_entry "
                + "where aggregate_identifier = ?", Long.class, account);
        await().atMost(Duration.ofSeconds(15)).until(() ->
                jdbc.queryForObject("select coalesce(min(s), -1) from (select last_sequence s from account_view "
                        + "where account_id = ? union all select last_sequence from alert_account where account_id = ?) "
                        + "t", Long.class, account, account) == stored
                        && jdbc.queryForObject("select count(*) from (select 1 from account_view where account_id = ? "
                        + "union all select 1 from alert_account where account_id = ?) t", Long.class, account,
                        account) == 2);
        return new Fixture(institution, account);
    }
}
