package cn.prepaid.ledger.api.http;

import cn.prepaid.ledger.api.support.Http.Answer;
import cn.prepaid.ledger.api.support.Http;
import cn.prepaid.ledger.api.support.LedgerIntegrationTest;
import cn.prepaid.ledger.store.support.TestLedger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static cn.prepaid.ledger.api.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Parallel identical HTTP requests: one append, identical answers, exactly one of them not a replay. */
@LedgerIntegrationTest
class HttpIdempotencyTest {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void parallelIdenticalPostingsAppendOnceAndAnswerIdentically() throws Exception {
        Http http = new Http(port);
        String institution = TestLedger.newInstitutionId().value();
        String account = TestLedger.unique("ACC");
        http.post(Http.REGULATOR, "/api/v1/institutions", json("institutionId", institution, "name", "并发学校",
                "regionCode", "330106", "category", "SUBJECT", "supervisionMode", "FULL_CUSTODY"));
        http.post(Http.REGULATOR, "/api/v1/institutions/" + institution + "/approve", null);
        assertThat(http.post(Http.BANK, "/api/v1/accounts", json("accountId", account, "institutionId", institution,
                "bankAccountNo", "62220001")).status()).isEqualTo(201);
        String occurredAt = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS)
                .atOffset(ZoneOffset.ofHours(8)).toString();
        String deposit = json("bankTxnId", "PAR-1", "type", "DEPOSIT", "amount", "960.00", "currency", "CNY",
                "occurredAt", occurredAt, "orderId", "ORD-PAR", "studentRef", "s-1", "lessons", 12,
                "lessonPrice", "80.00", "courseStart", "2026-03-02", "courseEnd", "2026-04-30");

        int parallel = 10;
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Answer>> futures = new ArrayList<>();
        for (int i = 0; i < parallel; i++) {
            futures.add(pool.submit(() -> {
                start.await();
                return http.post(Http.BANK, "/api/v1/accounts/" + account + "/transactions", deposit);
            }));
        }
        start.countDown();
        List<Answer> answers = new ArrayList<>();
        for (Future<Answer> future : futures) {
            answers.add(future.get());
        }
        pool.shutdown();

        assertThat(answers).extracting(Answer::status).containsOnly(201);
        assertThat(answers).extracting(Answer::body).containsOnly(answers.get(0).body());
        assertThat(answers).filteredOn(answer -> answer.header("Idempotent-Replay") == null).hasSize(1);
        assertThat(answers.get(0).json().get("balance").asString()).isEqualTo("960.00");
        assertThat(jdbc.queryForObject("select count(*) from domain_event_entry where aggregate_identifier = ? "
                + "and payload_type like '%TuitionDeposited'", Long.class, account)).isEqualTo(1);

        Answer openAgain = http.post(Http.BANK, "/api/v1/accounts", json("accountId", account,
                "institutionId", institution, "bankAccountNo", "62220001"));
        assertThat(openAgain.status()).isEqualTo(201);
        assertThat(openAgain.header("Idempotent-Replay")).isEqualTo("true");
        Answer openOther = http.post(Http.BANK, "/api/v1/accounts", json("accountId", account,
                "institutionId", institution, "bankAccountNo", "99999999"));
        assertThat(openOther.status()).isEqualTo(409);
        assertThat(openOther.json().get("code").asString()).isEqualTo("IDEMPOTENCY_CONFLICT");
    }
}
