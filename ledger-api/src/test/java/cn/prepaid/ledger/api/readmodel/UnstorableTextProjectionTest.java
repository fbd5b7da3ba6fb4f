package cn.prepaid.ledger.api.readmodel;

import cn.prepaid.ledger.api.support.Http.Answer;
import cn.prepaid.ledger.api.support.Http;
import cn.prepaid.ledger.api.support.LedgerIntegrationTest;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.RejectHeldOutflow;
import cn.prepaid.ledger.core.ids.AccountId;
import cn.prepaid.ledger.core.ids.HeldOutflowId;
import cn.prepaid.ledger.store.commands.CommandDispatcher;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

import static cn.prepaid.ledger.api.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An event whose text PostgreSQL cannot hold (U+0000, stored before the edge refused it) is projected
 * with the character replaced, so it is not dead-lettered, and with it, by Axon's per-account sequencing,
 * every later event of the account: the account's views keep moving.
 */
@LedgerIntegrationTest
class UnstorableTextProjectionTest {

    @LocalServerPort
    int port;
    @Autowired
    CommandDispatcher commands;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void anEventWithANulInItsTextDoesNotStallItsAccountsViews() {
        Http http = new Http(port);
        Http.Opened opened = http.openActiveAccount("NUL-VIEW");
        String postings = "/api/v1/accounts/" + opened.account() + "/transactions";
        String at = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS)
                .atOffset(ZoneOffset.ofHours(8)).toString();
        assertThat(http.post(Http.BANK, postings, json("bankTxnId", opened.account() + "-D", "type", "DEPOSIT", "amount", "75000.00",
                "currency", "CNY", "occurredAt", at, "orderId", "O", "studentRef", "s", "lessons", 50,
                "lessonPrice", "1500.00", "courseStart", "2026-03-02", "courseEnd", "2026-05-31")).status())
                .isEqualTo(201);
        assertThat(http.post(Http.PLATFORM, "/api/v1/accounts/" + opened.account() + "/orders/O/consumptions",
                json("consumptionId", "C", "lessons", 40, "occurredAt", at)).status()).isEqualTo(201);
        Answer held = http.post(Http.BANK, postings, json("bankTxnId", opened.account() + "-R", "type", "RELEASE", "amount", "60000.00",
                "currency", "CNY", "occurredAt", at, "orderId", "O"));
        assertThat(held.status()).as(held.body()).isEqualTo(202);
        String heldId = held.json().get("heldOutflowId").asString();

        // As a ledger without the edge's check stored it (the command bus takes any text).
        commands.dispatch(new RejectHeldOutflow(AccountId.of(opened.account()), HeldOutflowId.of(heldId), "regulator",
                "documents\u0000missing", Instant.now()));
        assertThat(http.post(Http.BANK, postings, json("bankTxnId", opened.account() + "-I", "type", "INTEREST", "amount", "1.00",
                "currency", "CNY", "occurredAt", at)).status()).isEqualTo(201);

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
                http.get(Http.AUDITOR, "/api/v1/accounts/" + opened.account()).json().get("balance").asString())
                .isEqualTo("75001.00"));
        assertThat(jdbc.queryForObject("select decision_note from held_outflow_view where held_outflow_id = ?",
                String.class, heldId)).isEqualTo("documents\uFFFDmissing");
        assertThat(jdbc.queryForObject("select count(*) from dead_letter_entry where sequence_identifier = ?",
                Long.class, opened.account())).isZero();
    }
}
