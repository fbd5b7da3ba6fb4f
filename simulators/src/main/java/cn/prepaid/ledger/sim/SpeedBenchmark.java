package cn.prepaid.ledger.sim;

import cn.prepaid.ledger.sim.client.api.BankPostingsApi;
import cn.prepaid.ledger.sim.client.model.BatchItemResult;
import cn.prepaid.ledger.sim.client.model.PostingBatchRequest;
import cn.prepaid.ledger.sim.client.model.PostingRequest;
import cn.prepaid.ledger.sim.client.model.PostingResult;

import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sustained postings per second through the API, single and batched, at rising concurrency until
 * throughput stops growing; in the same run, raw JDBC inserts of equally sized rows into an equally
 * indexed table on the same PostgreSQL (one row per transaction, and 100), so every ledger figure is
 * read as a ratio of what the database does here; and posting→alert latency at fixed rates.
 *
 * <p>After the batch steps the benchmark waits until the alert processor has taken in every posting
 * (barrier postings whose alerts must reach the stream) and reports the rate sustained with alerting
 * included, since a batch is answered before the projections judge it.
 *
 * <p>Clients are closed loops: each writer sends its next request when the last is answered, and owns
 * its own accounts, so writers never contend for one account. Postings are ordinary deposits (10
 * lessons); the alert step uses cap-breaking deposits so that each posting has an alert to wait for.
 */
final class SpeedBenchmark {

    private record Row(String what, int writers, double perSecond, Stats latencyMs, String unit, String ratio) {
    }

    private final LedgerClient ledger;
    private final Options options;
    private final List<Row> rows = new ArrayList<>();

    private SpeedBenchmark(LedgerClient ledger, Options options) {
        this.ledger = ledger;
        this.options = options;
    }

    /** The {@code speed} command. */
    static void main(Options options) throws Exception {
        new SpeedBenchmark(options.ledger(), options).run();
    }

    private void run() throws Exception {
        int seconds = options.integer("seconds", 15);
        int[] writers = integers(options.text("concurrency", "1,4,16,32"));
        int[] batchWriters = integers(options.text("batch-concurrency", "1,2,4"));
        int batchSize = options.integer("batch-size", 1000);
        int batchAccounts = options.integer("batch-accounts", 10);
        String jdbc = options.values().containsKey("jdbc") ? options.text("jdbc", null)
                : JdbcBaseline.embeddedUrl(Path.of(options.text("db-url-file", "./data/embedded-postgres.url")));
        String run = Seeding.runId();
        int accountCount = Math.max(options.integer("accounts", 200),
                Arrays.stream(batchWriters).max().orElse(1) * batchAccounts);
        List<String> accounts = Seeding.accounts(ledger, run, accountCount);
        System.err.printf("provisioned %d accounts; warming up for %d s%n", accounts.size(),
                options.integer("warmup", 30));

        // The JIT and the pools need a while before a process shows its speed.
        singlePostings(accounts, 8, options.integer("warmup", 30), run + "w");
        batchPostings(accounts, 1, batchSize, batchAccounts, 5, run + "wb");
        alertsCatchUp(accounts, run + "cw");

        Goals goals = new Goals();
        try (JdbcBaseline baseline = new JdbcBaseline(jdbc)) {
            double[] oneRow = new double[writers.length];
            for (int i = 0; i < writers.length; i++) {
                JdbcBaseline.Result result = baseline.run(writers[i], 1, seconds);
                oneRow[i] = result.rowsPerSecond();
                if (i == 0) {
                    goals.oneRowAtOne = result.transactionMs();
                }
                record("JDBC, 1 row per transaction", writers[i], result.rowsPerSecond(), result.transactionMs(),
                        "rows", "baseline");
            }
            double[] hundredRows = new double[batchWriters.length];
            for (int i = 0; i < batchWriters.length; i++) {
                JdbcBaseline.Result result = baseline.run(batchWriters[i], 100, seconds);
                hundredRows[i] = result.rowsPerSecond();
                record("JDBC, 100 rows per transaction", batchWriters[i], result.rowsPerSecond(),
                        result.transactionMs(), "rows", "baseline");
            }
            goals.bestOneRow = Arrays.stream(oneRow).max().orElse(Double.NaN);
            goals.bestHundred = Arrays.stream(hundredRows).max().orElse(Double.NaN);
            for (int i = 0; i < writers.length; i++) {
                Step step = singlePostings(accounts, writers[i], seconds, run + "s" + i);
                if (step.perSecond() > goals.bestSingle) {
                    goals.bestSingle = step.perSecond();
                    goals.bestSingleWriters = writers[i];
                }
                if (i == 0) {
                    goals.singleAtOne = step.latencyMs();
                }
                record("ledger, single postings", writers[i], step.perSecond(), step.latencyMs(), "postings",
                        ratio(step.perSecond(), oneRow[i]) + " of 1-row at " + writers[i]);
            }
            long batchRecorded = 0;
            double batchSeconds = 0;
            for (int i = 0; i < batchWriters.length; i++) {
                Step step = batchPostings(accounts, batchWriters[i], batchSize, batchAccounts, seconds, run + "b" + i);
                goals.bestBatch = Math.max(goals.bestBatch, step.perSecond());
                batchRecorded += step.recorded();
                batchSeconds += step.seconds();
                record("ledger, batches of " + batchSize + " over " + batchAccounts + " accounts", batchWriters[i],
                        step.perSecond(), step.latencyMs(), "postings",
                        ratio(step.perSecond(), hundredRows[i]) + " of 100-row at " + batchWriters[i]);
            }
            double catchUp = alertsCatchUp(accounts, run + "cb");
            goals.sustained = batchRecorded / (batchSeconds + catchUp);
            printTable();
            System.out.printf("%nafter the batch steps (%d postings in %.0f s) the alert processor caught up %.0f s later: "
                    + "%.0f postings/s sustained with every posting judged by the alert rules%n", batchRecorded,
                    batchSeconds, catchUp, goals.sustained);
        }
        String rates = options.text("alert-rates", "500,1000");
        if (!rates.isBlank() && !"none".equals(rates)) {
            System.out.println();
            goals.alerts = AlertLatencyBenchmark.table(ledger, integers(rates), options.integer("alert-seconds", 120),
                    100, 1, 1, options.integer("alert-warmup", 60));
        }
        goals.print(options.text("pgledger", ""));
    }

    /** The figures of issue 15's table, each beside its same-run baseline and its goal. */
    private static final class Goals {
        double bestOneRow = Double.NaN;
        double bestHundred = Double.NaN;
        Stats oneRowAtOne;
        double bestSingle;
        int bestSingleWriters;
        Stats singleAtOne;
        double bestBatch;
        double sustained = Double.NaN;
        List<AlertLatencyBenchmark.Result> alerts = List.of();

        void print(String pgledger) {
            System.out.println();
            System.out.println("| figure | measured | same-run baseline | ratio | goal |");
            System.out.println("|---|---|---|---|---|");
            String againstPgledger = pgledger.isBlank() ? "pgledger: not measured in this run (simulators/run-pgledger.sh)"
                    : String.format("pgledger %s transfers/s: %s", pgledger,
                    ratio(bestSingle, Double.parseDouble(pgledger)));
            System.out.printf("| single postings/s, best concurrency | %.0f (%d writers) | JDBC 1 row per transaction, "
                    + "best: %.0f rows/s | %s; %s | ≥ 2,500, and ≥ 1.0 × pgledger |%n", bestSingle, bestSingleWriters,
                    bestOneRow, ratio(bestSingle, bestOneRow), againstPgledger);
            System.out.printf("| single posting latency, one writer, p50 / p99 | %.1f / %.1f ms | JDBC 1 row per "
                    + "transaction, one writer: %.1f / %.1f ms | %s / %s | ≤ 2 / 10 ms |%n", singleAtOne.p50(),
                    singleAtOne.p99(), oneRowAtOne.p50(), oneRowAtOne.p99(), ratio(singleAtOne.p50(), oneRowAtOne.p50()),
                    ratio(singleAtOne.p99(), oneRowAtOne.p99()));
            System.out.printf("| batch postings/s answered | %.0f | JDBC 100 rows per transaction, best: %.0f rows/s "
                    + "| %s | ≥ 25,000 |%n", bestBatch, bestHundred, ratio(bestBatch, bestHundred));
            System.out.printf("| postings/s sustained, every posting judged by the alert rules | %.0f | JDBC 100 rows per "
                    + "transaction, best: %.0f rows/s | %s | ≥ 10,000 |%n", sustained, bestHundred,
                    ratio(sustained, bestHundred));
            for (AlertLatencyBenchmark.Result alert : alerts) {
                int rate = alert.postingsPerSecondTarget();
                System.out.printf("| posting→alert p99, every posting alerting, single requests, %d/s | %.1f ms "
                        + "(%.0f/s achieved, %d of %d alerts) | – | – | %s |%n", rate, alert.alertLatencyMs().p99(),
                        alert.postingsPerSecondAchieved(), alert.alertsMatched(), alert.alertsExpected(),
                        rate <= 500 ? "< 100 ms at 500/s" : "< 250 ms at 1,000/s");
            }
            System.out.println("| traffic term: decisive posting → alert, median | not measured here: "
                    + "simulators/run-traffic.sh prints it | – | – | < 1 s |");
        }
    }

    record Step(double perSecond, Stats latencyMs, long recorded, double seconds, long failed) {
    }

    /** {@code writers} closed loops of single deposits, each over its own share of the accounts. */
    private Step singlePostings(List<String> accounts, int writers, int seconds, String prefix) throws Exception {
        OffsetDateTime occurredAt = OffsetDateTime.parse(Seeding.aMinuteAgo());
        BankPostingsApi postings = ledger.as("BANK").postings();
        return closedLoop("single x" + writers, writers, seconds, (writer, n) -> {
            List<String> own = share(accounts, writer, writers);
            String txn = prefix + "-" + writer + "-" + n;
            PostingResult result = postings.postTransaction(own.get((int) (n % own.size())),
                    new PostingRequest(Seeding.depositPosting(txn, 10, occurredAt)));
            return result.getStatus() == PostingResult.StatusEnum.RECORDED ? 1 : 0;
        });
    }

    /** {@code writers} closed loops of batches, each batch spread over {@code perBatch} of the writer's accounts. */
    private Step batchPostings(List<String> accounts, int writers, int size, int perBatch, int seconds, String prefix)
            throws Exception {
        OffsetDateTime occurredAt = OffsetDateTime.parse(Seeding.aMinuteAgo());
        BankPostingsApi postings = ledger.as("BANK").postings();
        return closedLoop("batch x" + writers, writers, seconds, (writer, n) -> {
            List<String> own = share(accounts, writer, writers);
            PostingBatchRequest batch = new PostingBatchRequest();
            for (int i = 0; i < size; i++) {
                String account = own.get((int) ((n * perBatch + i % perBatch) % own.size()));
                batch.addTransactionsItem(new PostingRequest(Seeding.depositPosting(
                        prefix + "-" + writer + "-" + n + "-" + i, 10, occurredAt).accountId(account)));
            }
            int recorded = 0;
            for (BatchItemResult result : postings.postTransactionBatch(batch).getResults()) {
                recorded += result.getStatus() == 201 ? 1 : 0;
            }
            return recorded;
        });
    }

    /**
     * Seconds until the alert processor has taken in everything posted so far: a cap-breaking deposit
     * on twenty accounts spread over the run's accounts (so over every segment), then waiting until each
     * one's alert is on the stream. NaN if that takes longer than 15 minutes.
     */
    private double alertsCatchUp(List<String> accounts, String prefix) throws Exception {
        Set<String> waiting = ConcurrentHashMap.newKeySet();
        Thread stream = AlertStream.listen(ledger, "REGULATOR", (alert, now) ->
                waiting.remove(alert.path("facts").path("bankTxnId").asString("")));
        Thread.sleep(500); // the stream only carries what is raised after it is open
        long started = System.nanoTime();
        OffsetDateTime occurredAt = OffsetDateTime.parse(Seeding.aMinuteAgo());
        BankPostingsApi postings = ledger.as("BANK").postings();
        int barriers = Math.min(20, accounts.size());
        for (int i = 0; i < barriers; i++) {
            String txn = prefix + "-" + i;
            waiting.add(txn);
            postings.postTransaction(accounts.get(i * accounts.size() / barriers),
                    new PostingRequest(Seeding.depositPosting(txn, 61, occurredAt)));
        }
        long deadline = started + 15 * 60 * 1_000_000_000L;
        Progress progress = new Progress("alerts catching up", barriers);
        while (!waiting.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            progress.update(barriers - waiting.size(), "");
        }
        stream.interrupt();
        progress.done("");
        return waiting.isEmpty() ? (System.nanoTime() - started) / 1e9 : Double.NaN;
    }

    interface Request {
        /** Sends request {@code n} of {@code writer}; answers how many postings it recorded. */
        int send(int writer, long n) throws Exception;
    }

    static Step closedLoop(String label, int writers, int seconds, Request request) throws Exception {
        AtomicLong recorded = new AtomicLong();
        AtomicInteger failed = new AtomicInteger();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        long started = System.nanoTime();
        long deadline = started + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            Thread thread = new Thread(() -> {
                for (long n = 0; System.nanoTime() < deadline; n++) {
                    long sent = System.nanoTime();
                    try {
                        int done = request.send(writer, n);
                        recorded.addAndGet(done);
                        if (done == 0) {
                            failed.incrementAndGet();
                        }
                    } catch (Exception e) {
                        failed.incrementAndGet();
                    }
                    latencies.add(System.nanoTime() - sent);
                }
            }, label + "-" + w);
            threads.add(thread);
            thread.start();
        }
        Progress progress = new Progress(label, seconds);
        while (threads.stream().anyMatch(Thread::isAlive)) {
            Thread.sleep(250);
            double elapsed = Math.max(0.001, (System.nanoTime() - started) / 1e9);
            progress.update((int) Math.min(seconds, elapsed), String.format("seconds; %d recorded (%.0f/s), %d failed",
                    recorded.get(), recorded.get() / elapsed, failed.get()));
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        progress.done(recorded.get() + " recorded, " + failed.get() + " failed");
        return new Step(recorded.get() / elapsed, Stats.ofNanos(latencies), recorded.get(), elapsed, failed.get());
    }

    static List<String> share(List<String> accounts, int writer, int writers) {
        List<String> own = new ArrayList<>();
        for (int i = writer; i < accounts.size(); i += writers) {
            own.add(accounts.get(i));
        }
        return own;
    }

    private void record(String what, int writers, double perSecond, Stats latency, String unit, String ratio) {
        Row row = new Row(what, writers, perSecond, latency, unit, ratio);
        rows.add(row);
        System.err.printf("%s, %d writers: %.0f %s/s, p50 %.1f ms, p99 %.1f ms (%s)%n", what, writers, perSecond, unit,
                latency.p50(), latency.p99(), ratio);
    }

    private void printTable() {
        System.out.println("| what | writers | per second | request p50 / p99 ms | ratio |");
        System.out.println("|---|---|---|---|---|");
        for (Row row : rows) {
            System.out.printf("| %s | %d | %.0f %s | %.1f / %.1f | %s |%n", row.what(), row.writers(), row.perSecond(),
                    row.unit(), row.latencyMs().p50(), row.latencyMs().p99(), row.ratio());
        }
    }

    private static String ratio(double of, double to) {
        return String.format("%.2f", of / to);
    }

    private static int[] integers(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
    }
}
