package cn.prepaid.ledger.sim;

import cn.prepaid.ledger.sim.client.model.DepositPosting;
import cn.prepaid.ledger.sim.client.model.PostingBatchRequest;
import cn.prepaid.ledger.sim.client.model.PostingRequest;
import tools.jackson.databind.JsonNode;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * How long from a posting's answer to its alert on the live stream, at a steady posting rate.
 *
 * <p>Every {@code alertEvery}-th posting is a deposit over the charge cap (61 lessons): it is recorded
 * (201) and raises its own CHARGE_CAP_EXCEEDED alert, keyed by its order, so it has exactly one alert to
 * wait for. The postings between are ordinary deposits (10 lessons) that every processor still has to
 * take in. With {@code alertEvery} 1 every posting raises an alert: the worst case for the alert
 * pipeline. With {@code batch} above 1 the postings go in batches of that size, at the same rate of
 * postings, and a posting's answer is its batch's (each item carries the 201 a single posting would get).
 * A regulator's stream ({@code GET /alerts/stream}) is read throughout; an alert's latency is
 * the time from the posting's 201 to the stream event carrying its bankTxnId. Postings go to many
 * accounts in turn, as bank traffic would.
 */
public final class AlertLatencyBenchmark {

    public record Result(int postingsPerSecondTarget, double postingsPerSecondAchieved, int postings, int failed,
                         int alertsMatched, int alertsExpected, Stats postingLatencyMs, Stats alertLatencyMs) {
    }

    private final LedgerClient ledger;
    private final int accounts;
    private final int alertEvery;
    private final int batch;

    /** The {@code alert-latency} command: one table row per rate. */
    static void main(Options options) throws Exception {
        String[] rates = options.text("rates", "100,250,500").split(",");
        table(options.ledger(), Arrays.stream(rates).map(String::trim).mapToInt(Integer::parseInt).toArray(),
                options.integer("seconds", 20), options.integer("accounts", 200), options.integer("alert-every", 1),
                options.integer("batch", 1), options.integer("warmup", 0));
    }

    /** Prints one table row per rate, after {@code warmup} seconds at the first rate, and answers the rows. */
    static List<Result> table(LedgerClient ledger, int[] rates, int seconds, int accounts, int alertEvery, int batch,
                              int warmup) throws Exception {
        System.out.println(alertEvery == 1 ? "Every posting raises an alert."
                : "One posting in " + alertEvery + " raises an alert; the others are ordinary deposits.");
        System.out.println(batch == 1 ? "One request per posting."
                : "Postings sent in batches of " + batch + " (POST /transactions/batch); a posting's answer is its batch's.");
        if (warmup > 0) {
            // the JIT needs minutes of traffic; measured rows before that mostly measure compilation
            System.out.println("Warming up: " + warmup + " s at " + rates[0] + " postings/s, not reported.");
            new AlertLatencyBenchmark(ledger, accounts, alertEvery, batch).run(rates[0], warmup);
        }
        System.out.println("| target postings/s | achieved/s | postings | failed | alerts matched "
                + "| request p50 / p99 ms | posting→alert p50 / p90 / p99 / max ms |");
        System.out.println("|---|---|---|---|---|---|---|");
        List<Result> results = new ArrayList<>();
        for (int rate : rates) {
            Result result = new AlertLatencyBenchmark(ledger, accounts, alertEvery, batch).run(rate, seconds);
            results.add(result);
            Stats alerts = result.alertLatencyMs();
            String alertLatency = alerts.count() == 0 ? "none arrived within 10 s of the last answer"
                    : String.format("%.1f / %.1f / %.1f / %.1f", alerts.p50(), alerts.p90(), alerts.p99(), alerts.max());
            System.out.printf("| %d | %.0f | %d | %d | %d / %d | %.1f / %.1f | %s |%n",
                    result.postingsPerSecondTarget(), result.postingsPerSecondAchieved(), result.postings(),
                    result.failed(), result.alertsMatched(), result.alertsExpected(), result.postingLatencyMs().p50(),
                    result.postingLatencyMs().p99(), alertLatency);
        }
        return results;
    }

    public AlertLatencyBenchmark(LedgerClient ledger, int accounts, int alertEvery, int batch) {
        if (alertEvery < 1 || batch < 1 || batch > 1000) {
            throw new IllegalArgumentException("--alert-every must be at least 1 and --batch from 1 to 1000");
        }
        this.batch = batch;
        this.ledger = ledger;
        this.accounts = accounts;
        this.alertEvery = alertEvery;
    }

    public Result run(int ratePerSecond, int seconds) throws Exception {
        String run = Seeding.runId();
        List<String> accountIds = Seeding.accounts(ledger, run, accounts);

        Map<String, Long> answeredAt = new ConcurrentHashMap<>();
        Map<String, Long> alertedAt = new ConcurrentHashMap<>();
        Thread stream = listen(alertedAt);
        Thread.sleep(500);

        int total = ratePerSecond * seconds;
        List<Long> postingLatencies = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger answered = new AtomicInteger();
        long intervalNanos = 1_000_000_000L * batch / ratePerSecond;
        long start = System.nanoTime();
        OffsetDateTime occurredAt = OffsetDateTime.parse(Seeding.aMinuteAgo());
        List<CompletableFuture<?>> inFlight = new ArrayList<>();
        Progress progress = new Progress("alert-latency", total);
        for (int first = 0; first < total; first += batch) {
            long due = start + (first / batch) * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            List<String> txns = new ArrayList<>();
            List<DepositPosting> items = new ArrayList<>();
            List<String> itemAccountIds = new ArrayList<>();
            for (int i = first; i < Math.min(total, first + batch); i++) {
                String txn = run + "-" + i;
                txns.add(txn);
                itemAccountIds.add(accountIds.get(i % accountIds.size()));
                items.add(Seeding.depositPosting(txn, alerting(i) ? 61 : 10, occurredAt));
            }
            int firstIndex = first;
            CompletableFuture<LedgerClient.Answer> request;
            int answeredStatus;
            if (batch == 1) {
                request = ledger.postAsync("BANK", "/api/v1/accounts/" + itemAccountIds.get(0) + "/transactions",
                        items.get(0));
                answeredStatus = 201;
            } else {
                PostingBatchRequest batchRequest = new PostingBatchRequest();
                for (int k = 0; k < items.size(); k++) {
                    batchRequest.addTransactionsItem(new PostingRequest(items.get(k).accountId(itemAccountIds.get(k))));
                }
                request = ledger.postAsync("BANK", "/api/v1/transactions/batch", batchRequest);
                answeredStatus = 200;
            }
            inFlight.add(request.whenComplete((answer, failure) -> {
                answered.addAndGet(txns.size());
                if (failure != null || answer.status() != answeredStatus) {
                    failed.addAndGet(txns.size());
                    return;
                }
                for (int k = 0; k < txns.size(); k++) {
                    // a batch item carries the status a single posting would have answered
                    int status = batch == 1 ? answer.status()
                            : answer.body().get("results").get(k).get("status").asInt();
                    if (status != 201) {
                        failed.incrementAndGet();
                    } else if (alerting(firstIndex + k)) {
                        answeredAt.put(txns.get(k), answer.answeredNanos());
                    }
                }
                postingLatencies.add(answer.answeredNanos() - answer.sentNanos());
            }));
            progress.update(Math.min(total, first + batch), "answered " + answered.get() + ", alerts " + alertedAt.size());
        }
        inFlight.forEach(future -> future.exceptionally(ignored -> null).join());
        double achieved = total / ((System.nanoTime() - start) / 1e9);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!alertedAt.keySet().containsAll(answeredAt.keySet()) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        progress.done("answered " + answered.get() + ", alerts " + alertedAt.size());
        stream.interrupt();

        List<Long> alertLatencies = new ArrayList<>();
        for (Map.Entry<String, Long> posting : answeredAt.entrySet()) {
            Long alerted = alertedAt.get(posting.getKey());
            if (alerted != null) {
                alertLatencies.add(Math.max(0, alerted - posting.getValue()));
            }
        }
        return new Result(ratePerSecond, achieved, total, failed.get(), alertLatencies.size(), answeredAt.size(),
                Stats.ofNanos(postingLatencies), Stats.ofNanos(alertLatencies));
    }

    private boolean alerting(int posting) {
        return posting % alertEvery == 0;
    }

    private Thread listen(Map<String, Long> alertedAt) {
        return AlertStream.listen(ledger, "REGULATOR", (alert, now) -> {
            JsonNode txn = alert.path("facts").path("bankTxnId");
            if ("CHARGE_CAP_EXCEEDED".equals(alert.path("code").asString()) && !txn.isMissingNode()) {
                alertedAt.putIfAbsent(txn.asString(), now);
            }
        });
    }
}
