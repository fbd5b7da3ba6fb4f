package cn.prepaid.ledger.sim;

import cn.prepaid.ledger.sim.client.api.BankPostingsApi;
import cn.prepaid.ledger.sim.client.model.PostingRequest;
import cn.prepaid.ledger.sim.client.model.PostingResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code nodes} command: single postings per second through 1, 2 and 3 ledger nodes on one database,
 * measured side by side in one run. The same number of closed-loop writers in every step; writer {@code w}
 * sends to node {@code w mod n}, so only the number of nodes taking the load changes.
 *
 * <p>The machine's other work makes single figures swing, so the steps run in {@code --rounds} rounds, each
 * starting at another node count, and each configuration's median round is reported with its range. Each
 * step starts once the event processors have caught up, so none pays for projecting its predecessor's
 * postings.
 *
 * <p>Two layouts of the same accounts: <b>same</b>, every writer posts to every account, so nodes decide on
 * the same accounts at the same time; <b>disjoint</b>, node {@code k} gets only the accounts whose index is
 * {@code k mod n}, so no two nodes ever touch one account. With one node the two layouts are the same
 * load, which shows the run's noise. Each step also reads every node's count of commands run again after
 * a lost race ({@code ledger.commands.lost.races}) and, with {@code --jdbc}, the transactions the database
 * rolled back: the cost of nodes colliding on an account.
 */
final class NodesBenchmark {

    /** One configuration (layout and number of nodes) over every round. */
    private static final class Configuration {
        final List<Double> perSecond = new ArrayList<>();
        long failed;
        long retried;
        long rolledBack;

        double median() {
            List<Double> sorted = perSecond.stream().sorted().toList();
            return sorted.get(sorted.size() / 2);
        }
    }

    private static final String ROLLBACKS = "select xact_rollback from pg_stat_database where datname = current_database()";

    private final List<LedgerClient> nodes;
    private final Options options;

    private NodesBenchmark(List<LedgerClient> nodes, Options options) {
        this.nodes = nodes;
        this.options = options;
    }

    static void main(Options options) throws Exception {
        new NodesBenchmark(nodesOf(options), options).run();
    }

    /** The ledgers of {@code --nodes}, each with the keys of {@code --principals}. */
    static List<LedgerClient> nodesOf(Options options) throws IOException {
        LedgerClient first = options.ledger();
        Map<String, String> keys = LedgerClient.keysFrom(Path.of(options.text("principals",
                "./data/demo-principals.json")));
        List<LedgerClient> nodes = new ArrayList<>();
        for (String base : options.text("nodes", first.base()).split(",")) {
            nodes.add(new LedgerClient(base, keys));
        }
        return nodes;
    }

    private void run() throws Exception {
        int seconds = options.integer("seconds", 20);
        int writers = options.integer("concurrency", 8);
        int[] counts = Arrays.stream(options.text("counts", "1,2,3").split(",")).map(String::trim)
                .mapToInt(Integer::parseInt).filter(count -> count <= nodes.size()).toArray();
        List<String> layouts = List.of(options.text("layouts", "same,disjoint").split(","));
        String run = Seeding.runId();
        List<String> accounts = Seeding.accounts(nodes.get(0), run, options.integer("accounts", 12));
        if (options.values().containsKey("wrk-env")) {
            // what wrk-deposits.lua needs to send deposits to the same accounts
            Files.writeString(Path.of(options.text("wrk-env", null)), "export BANK_KEY=" + nodes.get(0).key("BANK")
                    + "\nexport ACCOUNTS=" + String.join(",", accounts) + "\nexport RUN=" + run
                    + "\nexport OCCURRED_AT=" + Seeding.aMinuteAgo() + "\n");
        }
        System.err.printf("%d nodes, %d accounts, %d writers; warming up every node for %d s%n", nodes.size(),
                accounts.size(), writers, options.integer("warmup", 30));
        // The JIT and the pools need a while before a process shows its speed; every node gets its share.
        step("same", nodes.size(), accounts, writers, options.integer("warmup", 30), run + "w");

        // Each round runs every configuration once, starting at another node count, and layouts alternate at
        // each count: what else runs on the machine weighs on all of them alike.
        int rounds = options.integer("rounds", 3);
        Map<String, Configuration> measured = new LinkedHashMap<>();
        for (String layout : layouts) {
            for (int count : counts) {
                measured.put(layout + count, new Configuration());
            }
        }
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < counts.length; i++) {
                int count = counts[(i + round) % counts.length];
                for (String layout : layouts) {
                    projectionsCaughtUp();
                    long retriedBefore = lostRacesRetried();
                    long rolledBackBefore = rollbacks();
                    SpeedBenchmark.Step step = step(layout, count, accounts, writers, seconds,
                            run + round + layout.charAt(0) + count);
                    Configuration configuration = measured.get(layout + count);
                    configuration.perSecond.add(step.perSecond());
                    configuration.failed += step.failed();
                    configuration.retried = sum(configuration.retried, difference(lostRacesRetried(), retriedBefore));
                    configuration.rolledBack = sum(configuration.rolledBack,
                            difference(rollbacks(), rolledBackBefore));
                    System.err.printf("round %d, %s accounts, %d nodes: %.0f postings/s%n", round + 1, layout, count,
                            step.perSecond());
                }
            }
        }
        System.out.printf("%d rounds of %d s a step; postings/s: the median round (lowest–highest)%n", rounds, seconds);
        System.out.println("| accounts | nodes | writers | postings/s | ratio to 1 node | not recorded "
                + "| lost-race retries | transactions rolled back |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (String layout : layouts) {
            double oneNode = measured.get(layout + counts[0]).median();
            for (int count : counts) {
                Configuration configuration = measured.get(layout + count);
                System.out.printf("| %s | %d | %d | %.0f (%.0f–%.0f) | %.2f | %d | %s | %s |%n", layout, count, writers,
                        configuration.median(), Collections.min(configuration.perSecond),
                        Collections.max(configuration.perSecond), configuration.median() / oneNode,
                        configuration.failed, known(configuration.retried), known(configuration.rolledBack));
            }
        }
    }

    /** {@code writers} closed loops of single deposits over the first {@code count} nodes. */
    private SpeedBenchmark.Step step(String layout, int count, List<String> accounts, int writers, int seconds,
                                     String prefix) throws Exception {
        OffsetDateTime occurredAt = OffsetDateTime.parse(Seeding.aMinuteAgo());
        List<BankPostingsApi> postings = nodes.stream().limit(count).map(node -> node.as("BANK").postings()).toList();
        return SpeedBenchmark.closedLoop(layout + " x" + count + " nodes", writers, seconds,
                (writer, n) -> {
                    int node = writer % count;
                    List<String> own = "disjoint".equals(layout) ? SpeedBenchmark.share(accounts, node, count)
                            : accounts;
                    String account = own.get((int) ((writer + n) % own.size()));
                    PostingResult result = postings.get(node).postTransaction(account,
                            new PostingRequest(Seeding.depositPosting(prefix + "-" + writer + "-" + n, 10, occurredAt)));
                    return result.getStatus() == PostingResult.StatusEnum.RECORDED ? 1 : 0;
                });
    }

    /**
     * Waits (up to three minutes) until the event processors have handled every stored event, so that no
     * step pays for the projection of the step before it.
     */
    private void projectionsCaughtUp() throws InterruptedException {
        long started = System.nanoTime();
        long deadline = started + 180_000_000_000L;
        while (System.nanoTime() < deadline) {
            LedgerClient.Answer answer = nodes.get(0).get("AUDITOR", "/actuator/metrics/ledger.processor.lag.events");
            if (answer.status() != 200 || answer.body().path("measurements").path(0).path("value").asDouble() == 0) {
                break;
            }
            Thread.sleep(500);
        }
        System.err.printf("projections caught up in %.1f s%n", (System.nanoTime() - started) / 1e9);
    }

    /** How far a count moved, or -1 when it is not known. */
    private static long difference(long after, long before) {
        return after < 0 || before < 0 ? -1 : after - before;
    }

    private static long sum(long total, long more) {
        return total < 0 || more < 0 ? -1 : total + more;
    }

    private static String known(long count) {
        return count < 0 ? "n/a" : Long.toString(count);
    }

    /**
     * Transactions rolled back in the database so far (-1 without {@code --jdbc}): every lost race rolls
     * one back, so this counts them for a ledger that does not publish its own count.
     */
    private long rollbacks() throws SQLException {
        if (!options.values().containsKey("jdbc")) {
            return -1;
        }
        try (Connection db = DriverManager.getConnection(options.text("jdbc", null));
             PreparedStatement query = db.prepareStatement(ROLLBACKS); ResultSet row = query.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }

    /** Commands run again after a lost race, summed over the nodes (-1 where a node does not say). */
    private long lostRacesRetried() {
        long sum = 0;
        for (LedgerClient node : nodes) {
            LedgerClient.Answer answer = node.get("AUDITOR", "/actuator/metrics/ledger.commands.lost.races");
            if (answer.status() != 200) {
                return -1;
            }
            sum += (long) answer.body().path("measurements").path(0).path("value").asDouble();
        }
        return sum;
    }
}
