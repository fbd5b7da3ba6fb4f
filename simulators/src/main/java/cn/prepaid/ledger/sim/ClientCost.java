package cn.prepaid.ledger.sim;

import cn.prepaid.ledger.sim.client.api.BankPostingsApi;
import cn.prepaid.ledger.sim.client.model.PostingRequest;
import cn.prepaid.ledger.sim.client.model.PostingResult;
import com.sun.management.OperatingSystemMXBean;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The {@code client-cost} command: what the simulators' client costs the benchmarks. Closed loops of
 * single deposits on the same accounts and writers, sent in turn through the hand-built client (a map
 * written by Jackson, the answer read as a tree) and through the client generated from
 * docs/openapi.json (typed models, typed answers); for each, postings per second, request latency,
 * and the CPU the simulator's own process spent per posting. An independent load generator (wrk, see
 * docs/benchmarks.md) is run by hand against the same ledger for the third figure.
 */
final class ClientCost {

    private static final OperatingSystemMXBean PROCESS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private ClientCost() {
    }

    static void main(Options options) throws Exception {
        LedgerClient ledger = options.ledger();
        int seconds = options.integer("seconds", 20);
        int writers = options.integer("concurrency", 8);
        int rounds = options.integer("rounds", 2);
        String run = Seeding.runId();
        List<String> accounts = Seeding.accounts(ledger, run, options.integer("accounts", 40));
        OffsetDateTime occurredAt = OffsetDateTime.parse(Seeding.aMinuteAgo());
        BankPostingsApi postings = ledger.as("BANK").postings();
        if (options.values().containsKey("wrk-env")) {
            // what wrk-deposits.lua needs to send the same deposits to the same accounts
            Files.writeString(Path.of(options.text("wrk-env", null)), "export BANK_KEY=" + ledger.key("BANK")
                    + "\nexport ACCOUNTS=" + String.join(",", accounts) + "\nexport RUN=" + run
                    + "\nexport OCCURRED_AT=" + occurredAt + "\n");
        }

        List<List<String>> accountsOfWriter = IntStream.range(0, writers)
                .mapToObj(writer -> SpeedBenchmark.share(accounts, writer, writers)).toList();

        System.out.println("| client | writers | per second | request p50 / p99 | simulator CPU per posting |");
        System.out.println("|---|---|---|---|---|");
        Map<String, SpeedBenchmark.Request> clients = new LinkedHashMap<>();
        for (int step = 0; step <= rounds; step++) {
            String prefix = run + "-" + step;
            clients.put("hand-built", (writer, n) -> {
                String txn = prefix + "h-" + writer + "-" + n;
                LedgerClient.Answer answer = ledger.post("BANK", "/api/v1/accounts/" + account(accountsOfWriter, writer, n)
                        + "/transactions", Seeding.deposit(txn, 10, occurredAt.toString()));
                return answer.status() == 201 && answer.body().path("balance").isString() ? 1 : 0;
            });
            clients.put("generated", (writer, n) -> {
                String txn = prefix + "g-" + writer + "-" + n;
                PostingResult result = postings.postTransaction(account(accountsOfWriter, writer, n),
                        new PostingRequest(Seeding.depositPosting(txn, 10, occurredAt)));
                return result.getStatus() == PostingResult.StatusEnum.RECORDED ? 1 : 0;
            });
            // the first step warms both up (JIT, pools) and is not reported
            int stepSeconds = step == 0 ? options.integer("warmup", 60) / 2 : seconds;
            for (Map.Entry<String, SpeedBenchmark.Request> client : clients.entrySet()) {
                long cpuBefore = PROCESS.getProcessCpuTime();
                SpeedBenchmark.Step result = SpeedBenchmark.closedLoop(client.getKey() + " x" + writers, writers,
                        stepSeconds, client.getValue());
                double cpuMicrosPerPosting = (PROCESS.getProcessCpuTime() - cpuBefore) / 1e3 / result.recorded();
                if (step > 0) {
                    System.out.printf("| %s | %d | %.0f postings/s | %.1f / %.1f ms | %.0f µs |%n", client.getKey(),
                            writers, result.perSecond(), result.latencyMs().p50(), result.latencyMs().p99(),
                            cpuMicrosPerPosting);
                }
            }
        }
    }

    private static String account(List<List<String>> accountsOfWriter, int writer, long n) {
        List<String> accounts = accountsOfWriter.get(writer);
        return accounts.get((int) (n % accounts.size()));
    }
}
