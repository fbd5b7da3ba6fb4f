package cn.prepaid.ledger.api.http;

import cn.prepaid.ledger.api.support.Http.Answer;
import cn.prepaid.ledger.api.support.Http;
import cn.prepaid.ledger.api.support.LedgerIntegrationTest;
import cn.prepaid.ledger.core.account.EscrowAccount;
import cn.prepaid.ledger.store.support.TestLedger;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import org.awaitility.Awaitility;
import org.axonframework.config.Configuration;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static cn.prepaid.ledger.api.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

/** A batch answers per item, in order, exactly as single postings would; idempotency holds per item. */
@LedgerIntegrationTest
class PostingBatchTest {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    Configuration axon;
    @Autowired
    MeterRegistry meters;

    final String occurredAt = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS)
            .atOffset(ZoneOffset.ofHours(8)).toString();

    @Test
    void eachItemGetsWhatTheSingleEndpointWouldAnswerAndRepeatsAreReplays() {
        Http http = new Http(port);
        String institution = approvedInstitution(http);
        String first = open(http, Http.BANK, institution);
        String second = open(http, Http.BANK, institution);
        String otherBanks = open(http, Http.OTHER_BANK, institution);

        List<String> items = new ArrayList<>();
        items.add(deposit(first, "B-1", "O-1", 10, "80.00", "800.00"));          // 0: 201
        items.add(deposit(second, "B-2", "O-2", 20, "50.00", "1000.00"));        // 1: 201
        items.add(deposit(first, "B-1", "O-1", 10, "80.00", "800.00"));          // 2: same as 0 → replay 201
        items.add(deposit(first, "B-1", "O-1", 11, "80.00", "880.00"));          // 3: same id, other body → 409
        items.add(deposit(first, "B-3", "O-1", 10, "80.00", "800.00"));          // 4: order exists → 409
        items.add(json("accountId", first, "bankTxnId", first + "-B-4", "type", "RELEASE", "amount", "80.00",
                "currency", "CNY", "occurredAt", occurredAt, "orderId", "O-1"));  // 5: nothing consumed → 422
        items.add(json("accountId", otherBanks, "bankTxnId", otherBanks + "-B-5", "type", "INTEREST", "amount", "1.00",
                "currency", "CNY", "occurredAt", occurredAt));                    // 6: another bank's → 403
        items.add(json("accountId", "NO-SUCH-ACCOUNT", "bankTxnId", "B-6", "type", "INTEREST", "amount", "1.00",
                "currency", "CNY", "occurredAt", occurredAt));                    // 7: 404
        items.add(json("accountId", second, "bankTxnId", second + "-B-7", "type", "BANK_FEE", "amount", "1.001",
                "currency", "CNY", "occurredAt", occurredAt));                    // 8: 400
        items.add(json("accountId", second, "bankTxnId", second + "-B-8", "type", "BANK_FEE", "amount", "3.00",
                "currency", "CNY", "occurredAt", occurredAt, "memo", "sms fee")); // 9: 201
        String batch = "{\"transactions\": [" + String.join(",", items) + "]}";

        Answer answer = http.post(Http.BANK, "/api/v1/transactions/batch", batch);

        assertThat(answer.status()).isEqualTo(200);
        JsonNode results = answer.json().get("results");
        assertThat(results).hasSize(10);
        for (int i = 0; i < 10; i++) {
            assertThat(results.get(i).get("index").asInt()).isEqualTo(i);
        }
        assertThat(statuses(results)).containsExactly(201, 201, 201, 409, 409, 422, 403, 404, 400, 201);
        assertThat(results.get(0).get("body").get("balance").asString()).isEqualTo("800.00");
        assertThat(results.get(2).get("replayed").asBoolean()).isTrue();
        assertThat(results.get(2).get("body")).isEqualTo(results.get(0).get("body"));
        assertThat(results.get(3).get("body").get("code").asString()).isEqualTo("IDEMPOTENCY_CONFLICT");
        assertThat(results.get(4).get("body").get("code").asString()).isEqualTo("ORDER_ALREADY_EXISTS");
        assertThat(results.get(5).get("body").get("reason").asString()).isEqualTo("EXCEEDS_RELEASABLE");
        assertThat(results.get(6).get("body").get("code").asString()).isEqualTo("FORBIDDEN");
        assertThat(results.get(7).get("body").get("code").asString()).isEqualTo("ACCOUNT_NOT_FOUND");
        assertThat(results.get(8).get("body").get("code").asString()).isEqualTo("AMOUNT_INVALID");
        assertThat(results.get(8).get("body").get("errors").get(0).get("field").asString())
                .isEqualTo("transactions[8].amount");
        assertThat(results.get(9).get("body").get("balance").asString()).isEqualTo("997.00");

        // The same batch again: every stored answer comes back, nothing new is appended.
        long events = events(first) + events(second) + events(otherBanks);
        JsonNode again = http.post(Http.BANK, "/api/v1/transactions/batch", batch).json().get("results");
        assertThat(statuses(again)).containsExactly(201, 201, 201, 409, 409, 422, 403, 404, 400, 201);
        assertThat(again.get(0).get("body")).isEqualTo(results.get(0).get("body"));
        assertThat(again.get(5).get("body")).isEqualTo(results.get(5).get("body"));
        assertThat(again.get(9).get("body")).isEqualTo(results.get(9).get("body"));
        assertThat(again.get(0).get("replayed").asBoolean()).isTrue();
        assertThat(events(first) + events(second) + events(otherBanks)).isEqualTo(events);

        // And single postings agree with the batch's answers.
        Answer single = http.post(Http.BANK, "/api/v1/accounts/" + second + "/transactions",
                json("bankTxnId", second + "-B-8", "type", "BANK_FEE", "amount", "3.00", "currency", "CNY",
                        "occurredAt", occurredAt, "memo", "sms fee"));
        assertThat(single.status()).isEqualTo(201);
        assertThat(single.json()).isEqualTo(results.get(9).get("body"));
        assertThat(single.header("Idempotent-Replay")).isEqualTo("true");
    }

    @Test
    void aBatchForSeveralAccountsCommitsInOneTransaction() {
        Http http = new Http(port);
        String institution = approvedInstitution(http);
        List<String> accounts = List.of(open(http, Http.BANK, institution), open(http, Http.BANK, institution),
                open(http, Http.BANK, institution));
        List<String> items = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            items.add(deposit(accounts.get(i % 3), "TX-" + i, "O-" + i, 2, "50.00", "100.00"));
        }

        Answer answer = http.post(Http.BANK, "/api/v1/transactions/batch", "{\"transactions\": [" + String.join(",", items) + "]}");

        assertThat(statuses(answer.json().get("results"))).containsExactly(201, 201, 201, 201, 201, 201);
        // xmin names the transaction that wrote a row: every event and every idempotency record of the batch share one
        List<String> writers = jdbc.queryForList("select distinct xmin::text from domain_event_entry "
                + "where aggregate_identifier = any (?) and sequence_number > 0 union "
                + "select distinct xmin::text from idempotency_record where idempotency_key like 'bank-txn:%:TX-%' "
                + "and split_part(idempotency_key, ':', 2) = any (?)", String.class,
                accounts.toArray(String[]::new), accounts.toArray(String[]::new));
        assertThat(writers).hasSize(1);
        accounts.forEach(account -> assertThat(events(account)).isEqualTo(3));
    }

    @Test
    void concurrentBatchesSharingAccountsAllApplyExactlyOnce() throws Exception {
        Http http = new Http(port);
        String institution = approvedInstitution(http);
        List<String> accounts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            accounts.add(open(http, Http.BANK, institution));
        }
        int batchesPerThread = 10;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<List<Integer>>> work = new ArrayList<>();
        for (String thread : List.of("F", "R")) {
            List<String> order = new ArrayList<>(accounts);
            if (thread.equals("R")) {
                Collections.reverse(order);
            }
            work.add(pool.submit(() -> {
                List<Integer> statuses = new ArrayList<>();
                for (int b = 0; b < batchesPerThread; b++) {
                    List<String> items = new ArrayList<>();
                    for (String account : order) {
                        items.add(deposit(account, thread + b, thread + "-O-" + b, 1, "10.00", "10.00"));
                    }
                    statuses.addAll(statuses(http.post(Http.BANK, "/api/v1/transactions/batch",
                            "{\"transactions\": [" + String.join(",", items) + "]}").json().get("results")));
                }
                return statuses;
            }));
        }
        for (Future<List<Integer>> done : work) {
            assertThat(done.get(60, TimeUnit.SECONDS)).hasSize(batchesPerThread * 4).containsOnly(201);
        }
        pool.shutdown();
        for (String account : accounts) {
            assertThat(events(account)).isEqualTo(1 + 2 * batchesPerThread);
            assertThat(http.get(Http.BANK, "/api/v1/accounts/" + account).json().get("balance").asString())
                    .isEqualTo("200.00");
        }
    }

    @Test
    void aBatchLocksItsAccountsInIdentifierOrderWhateverTheOrderOfItsItems() throws Exception {
        Http http = new Http(port);
        String institution = approvedInstitution(http);
        List<String> accounts = new ArrayList<>(List.of(open(http, Http.BANK, institution), open(http, Http.BANK, institution)));
        Collections.sort(accounts);
        String first = accounts.get(0);
        String second = accounts.get(1);
        // Which bank holds an account is learnt once per process; learnt now, the batch's scope check needs no lock.
        accounts.forEach(account -> assertThat(http.get(Http.BANK, "/api/v1/accounts/" + account).status()).isEqualTo(200));
        // This thread holds the first account, as a command working on it would.
        UnitOfWork<?> holder = DefaultUnitOfWork.startAndGet(null);
        axon.repository(EscrowAccount.class).load(first);
        CompletableFuture<Answer> batch = CompletableFuture.supplyAsync(() ->
                http.post(Http.BANK, "/api/v1/transactions/batch", "{\"transactions\": ["
                        + deposit(second, "L-2", "O-2", 1, "10.00", "10.00") + ","
                        + deposit(first, "L-1", "O-1", 1, "10.00", "10.00") + "]}"));
        try {
            // The batch waits for the first account and so holds nothing yet, though its items name the second first.
            Awaitility.await().atMost(Duration.ofSeconds(20))
                    .until(PostingBatchTest::aBatchWaitsForAnAggregateLock);
            // Taking the second account now would close a circle, had the batch locked it first.
            axon.repository(EscrowAccount.class).load(second);
        } finally {
            holder.commit();
        }
        assertThat(statuses(batch.get(30, TimeUnit.SECONDS).json().get("results")))
                .containsExactly(201, 201);
    }

    private static boolean aBatchWaitsForAnAggregateLock() {
        return Thread.getAllStackTraces().values().stream().anyMatch(stack -> {
            String frames = Arrays.toString(stack);
            return frames.contains("PostingBatchHandler") && frames.contains("PessimisticLockFactory");
        });
    }

    @Test
    void aBatchOfMoreThanAThousandItemsIsRefusedWhole() {
        String item = json("accountId", "A", "bankTxnId", "X", "type", "INTEREST", "amount", "1.00",
                "currency", "CNY", "occurredAt", occurredAt);
        String batch = "{\"transactions\": [" + String.join(",", Collections.nCopies(1001, item)) + "]}";
        Answer answer = new Http(port).post(Http.BANK, "/api/v1/transactions/batch", batch);
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().get("code").asString()).isEqualTo("BATCH_TOO_LARGE");
    }

    private static List<Integer> statuses(JsonNode results) {
        List<Integer> statuses = new ArrayList<>();
        results.forEach(result -> statuses.add(result.get("status").asInt()));
        return statuses;
    }

    private long events(String aggregateId) {
        return jdbc.queryForObject("select count(*) from domain_event_entry where aggregate_identifier = ?",
                Long.class, aggregateId);
    }

    @Test
    void concurrentSinglePostingsCommitInGroupsAndEachIsAnsweredAsIfAlone() throws Exception {
        Http http = new Http(port);
        String institution = approvedInstitution(http);
        List<String> accounts = List.of(open(http, Http.BANK, institution), open(http, Http.BANK, institution));
        DistributionSummary groups = meters.get("ledger.postings.group.size").summary();
        double groupedBefore = groups.totalAmount();
        List<String> paths = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            String account = accounts.get(i % 2);
            paths.add("/api/v1/accounts/" + account + "/transactions");
            bodies.add(deposit(account, "G-" + i, "GO-" + i, 1 + i % 3, "10.00", (1 + i % 3) * 10 + ".00"));
        }
        paths.addAll(paths.subList(0, 4));
        bodies.addAll(bodies.subList(0, 4)); // repeats of four of them, sent at the same time

        ExecutorService clients = Executors.newFixedThreadPool(bodies.size());
        List<Future<Answer>> sent = new ArrayList<>();
        try {
            for (int i = 0; i < bodies.size(); i++) {
                String path = paths.get(i);
                String body = bodies.get(i);
                sent.add(clients.submit(() -> http.post(Http.BANK, path, body)));
            }
        } finally {
            clients.shutdown();
        }
        List<Answer> answers = new ArrayList<>();
        for (Future<Answer> answer : sent) {
            answers.add(answer.get(60, TimeUnit.SECONDS));
        }

        assertThat(answers).extracting(Answer::status).containsOnly(201);
        assertThat(answers.stream().filter(answer -> "true".equals(answer.header("Idempotent-Replay")))).hasSize(4);
        assertThat(answers.stream().map(answer -> answer.json().get("postingId").asString()).distinct()).hasSize(16);
        // every single posting went through the group commit (alone or with others), each exactly once
        assertThat(groups.totalAmount() - groupedBefore).isEqualTo(bodies.size());
        long expected = IntStream.iterate(0, i -> i < 16, i -> i + 2).mapToLong(i -> (1 + i % 3) * 1_000L)
                .sum();
        String first = accounts.get(0);
        long booked = jdbc.queryForObject("select count(*) from domain_event_entry where aggregate_identifier = ? "
                + "and payload_type like '%TuitionDeposited'", Long.class, first);
        assertThat(booked).isEqualTo(8);
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> balanceFen(http, first) == expected);
    }

    @Test
    void aBatchItemRefusedAndThenCorrectedUnderTheSameIdIsBookedAsWhenPostedAlone() {
        Http http = new Http(port);
        String institution = approvedInstitution(http);
        String account = open(http, Http.BANK, institution);
        assertThat(http.post(Http.BANK, "/api/v1/accounts/" + account + "/transactions",
                deposit(account, "FIX-0", "FO-1", 2, "50.00", "100.00")).status()).isEqualTo(201);
        String orderTaken = deposit(account, "FIX-1", "FO-1", 2, "50.00", "100.00");
        String corrected = deposit(account, "FIX-1", "FO-2", 2, "50.00", "100.00");

        JsonNode results = http.post(Http.BANK, "/api/v1/transactions/batch",
                "{\"transactions\": [" + String.join(",", orderTaken, corrected, corrected) + "]}").json().get("results");

        assertThat(results.get(0).get("status").asInt()).isEqualTo(409);
        assertThat(results.get(0).get("body").get("code").asString()).isEqualTo("ORDER_ALREADY_EXISTS");
        assertThat(results.get(1).get("status").asInt()).isEqualTo(201);
        assertThat(results.get(1).has("replayed")).isFalse();
        assertThat(results.get(2).get("status").asInt()).isEqualTo(201);
        assertThat(results.get(2).get("replayed").asBoolean()).isTrue();
        Answer alone = http.post(Http.BANK, "/api/v1/accounts/" + account + "/transactions", corrected);
        assertThat(alone.status()).isEqualTo(201);
        assertThat(alone.header("Idempotent-Replay")).isEqualTo("true");
        assertThat(alone.json().get("postingId").asString())
                .isEqualTo(results.get(1).get("body").get("postingId").asString());
    }

    private static long balanceFen(Http http, String account) {
        return new BigDecimal(http.get(Http.BANK, "/api/v1/accounts/" + account).json().get("balance").asString())
                .movePointRight(2).longValueExact();
    }

    private static String approvedInstitution(Http http) {
        String institution = TestLedger.newInstitutionId().value();
        http.post(Http.REGULATOR, "/api/v1/institutions", json("institutionId", institution, "name", "批量学校",
                "regionCode", "330106", "category", "SUBJECT", "supervisionMode", "FULL_CUSTODY"));
        http.post(Http.REGULATOR, "/api/v1/institutions/" + institution + "/approve", null);
        return institution;
    }

    private String open(Http http, String bankKey, String institution) {
        String account = TestLedger.unique("BATCH");
        Answer opened = http.post(bankKey, "/api/v1/accounts", json("accountId", account, "institutionId", institution,
                "bankAccountNo", "6222" + account.hashCode()));
        assertThat(opened.status()).isEqualTo(201);
        return account;
    }

    private String deposit(String account, String txn, String order, int lessons, String price, String amount) {
        return json("accountId", account, "bankTxnId", account + "-" + txn, "type", "DEPOSIT", "amount", amount, "currency", "CNY",
                "occurredAt", occurredAt, "orderId", order, "studentRef", "s-" + order, "lessons", lessons,
                "lessonPrice", price, "courseStart", "2026-03-02", "courseEnd", "2026-05-31");
    }
}
