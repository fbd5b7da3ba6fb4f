package cn.prepaid.ledger.sim;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Faults of one ledger node among several on one database: {@code sigterm} stops it as an orchestrator does
 * (SIGTERM), {@code kill-node} kills it (SIGKILL). Bank clients post to every node in turn ({@link PostingLoad});
 * {@code --kill-after} seconds in, the node with process id {@code --victim-pid} is signalled.
 *
 * <p>Then, read from the event store ({@code --jdbc}): every acknowledged posting must be there exactly once; from
 * the survivors' views: every balance the sum of its acknowledged postings, and one alert per acknowledged
 * cap-breaking deposit. The token store shows when the survivors held every segment the victim had. With SIGTERM,
 * every request the victim had begun must have been answered, and none with a 5xx. Exits 1 on any of it failing.
 */
final class NodeFault {

    private static final String CLAIMS = "select processor_name, segment, owner from token_entry";

    private final PostingLoad load;
    private final int victim;
    private final Map<String, AtomicInteger> victimAnswersToBegun = new ConcurrentHashMap<>();
    private volatile long signalledAtNanos = Long.MAX_VALUE;

    private NodeFault(List<LedgerClient> nodes, int victim) {
        this.load = new PostingLoad(nodes, 0, this::attempted);
        this.victim = victim;
    }

    static void sigterm(Options options) throws Exception {
        System.exit(start(options).run(options, "TERM"));
    }

    static void killNode(Options options) throws Exception {
        System.exit(start(options).run(options, "KILL"));
    }

    private static NodeFault start(Options options) throws IOException {
        return new NodeFault(PostingLoad.nodes(options), options.integer("victim", 0));
    }

    private int run(Options options, String signal) throws Exception {
        int seconds = options.integer("seconds", 30);
        int concurrency = options.integer("concurrency", 8);
        int killAfter = options.integer("kill-after", 10);
        long victimPid = options.number("victim-pid", 0);
        String victimName = options.text("victim-name", null);
        String jdbc = options.text("jdbc", null);
        if (victimPid == 0 || victimName == null || jdbc == null) {
            throw new IllegalArgumentException("--victim-pid, --victim-name and --jdbc are required");
        }
        String run = Seeding.runId();
        List<String> accounts = Seeding.accounts(load.nodes().get(0), run, options.integer("accounts", 20));
        load.start("K" + run, accounts, concurrency, seconds);
        RestartDbFault.sleepSeconds(killAfter);
        Map<String, Long> heldBefore;
        try (Connection db = DriverManager.getConnection(jdbc)) {
            heldBefore = claimsOf(db, victimName);
        }
        AtomicLong exitedAtNanos = new AtomicLong();
        ProcessHandle.of(victimPid).orElseThrow(() -> new IllegalStateException("no process " + victimPid)).onExit()
                .thenRun(() -> exitedAtNanos.set(System.nanoTime()));
        RestartDbFault.shell("kill -" + signal + " " + victimPid);
        // once kill returned the signal was delivered: requests sent before now were begun before it, or were on
        // their way in
        signalledAtNanos = System.nanoTime();
        System.out.printf("SIG%s sent to node %d (pid %d, %s) at %ds; it held segments %s%n", signal, victim, victimPid,
                victimName, killAfter, heldBefore);
        double takeOverSeconds = secondsUntilTakenOver(jdbc, victimName);
        load.awaitEnd(seconds);
        double exitSeconds = exitedAtNanos.get() == 0 ? Double.NaN : (exitedAtNanos.get() - signalledAtNanos) / 1e9;

        List<LedgerClient> survivors = new ArrayList<>(load.nodes());
        survivors.remove(victim);
        long begunUnanswered = victimAnswersToBegun.entrySet().stream()
                .filter(e -> e.getKey().startsWith("no answer") || e.getKey().startsWith("5"))
                .mapToInt(e -> e.getValue().get()).sum();

        System.out.println();
        System.out.printf("nodes                                 %d, victim %d (SIG%s)%n", load.nodes().size(), victim,
                signal);
        boolean held = load.checkAndPrint(jdbc, survivors.get(0), accounts);
        System.out.printf("begun on the victim before the signal %s%n", new TreeMap<>(victimAnswersToBegun));
        System.out.printf("seconds until the victim exited       %.1f%n", exitSeconds);
        System.out.printf("seconds until its segments were held %s%n",
                Double.isNaN(takeOverSeconds) ? "never (within 60 s)" : "%.1f".formatted(takeOverSeconds));
        boolean failed = !held || Double.isNaN(takeOverSeconds) || ("TERM".equals(signal) && begunUnanswered > 0);
        System.out.println(failed ? "FAILED" : "OK: every acknowledged posting is stored once, the survivors took over");
        return failed ? 1 : 0;
    }

    /** With SIGTERM, what the victim answered to the requests it had begun before the signal. */
    private void attempted(int node, long sentAtNanos, PostingLoad.Attempt attempt) {
        if (node == victim && sentAtNanos < signalledAtNanos && System.nanoTime() >= signalledAtNanos) {
            victimAnswersToBegun.computeIfAbsent(attempt.toString(), key -> new AtomicInteger()).incrementAndGet();
        }
    }

    /** Segments per processor that {@code owner} holds. */
    private static Map<String, Long> claimsOf(Connection db, String owner) throws SQLException {
        Map<String, Long> held = new TreeMap<>();
        try (PreparedStatement query = db.prepareStatement(CLAIMS); ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                if (owner.equals(rows.getString(3))) {
                    held.merge(rows.getString(1), 1L, Long::sum);
                }
            }
        }
        return held;
    }

    /** Seconds from the signal until no segment is held by the victim or by nobody; NaN after a minute. */
    private double secondsUntilTakenOver(String jdbc, String victimName) throws SQLException {
        long until = signalledAtNanos + Duration.ofSeconds(60).toNanos();
        try (Connection db = DriverManager.getConnection(jdbc)) {
            while (System.nanoTime() < until) {
                boolean takenOver = true;
                try (PreparedStatement query = db.prepareStatement(CLAIMS); ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        String owner = rows.getString(3);
                        takenOver &= owner != null && !owner.equals(victimName);
                    }
                }
                if (takenOver) {
                    return (System.nanoTime() - signalledAtNanos) / 1e9;
                }
                PostingLoad.pause(100);
            }
        }
        return Double.NaN;
    }
}
