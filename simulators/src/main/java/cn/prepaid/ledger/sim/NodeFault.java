package cn.prepaid.ledger.sim;

import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Faults of one ledger node among several on one database: {@code sigterm} stops it as an orchestrator does
 * (SIGTERM), {@code kill-node} kills it (SIGKILL). Bank clients post to every node in turn, each posting with a
 * new bankTxnId: interest of 1.00, and every tenth a deposit of 61 lessons (4,880.00), which breaks the charge
 * cap and must raise exactly one CHARGE_CAP_EXCEEDED alert. A posting without an answer, or answered 5xx, is sent
 * again with the same id to the next node until it gets one, as a bank's client would. {@code --kill-after}
 * seconds in, the node with process id {@code --victim-pid} is signalled.
 *
 * <p>Then, read from the event store ({@code --jdbc}): every acknowledged posting must be there exactly once; from
 * the survivors' views: every balance the sum of its acknowledged postings, and one alert per acknowledged
 * cap-breaking deposit. The token store shows when the survivors held every segment the victim had. With SIGTERM,
 * every request the victim had begun must have been answered, and none with a 5xx. Exits 1 on any of it failing.
 */
final class NodeFault {

    private static final Duration RETRY_FOR = Duration.ofSeconds(120);
    private static final Duration CATCH_UP_FOR = Duration.ofSeconds(120);
    private static final long INTEREST_FEN = 100;
    private static final int CAP_BREAKING_LESSONS = 61;
    private static final long CAP_BREAKING_FEN = CAP_BREAKING_LESSONS * 8_000L;
    private static final String CLAIMS = "select processor_name, segment, owner from token_entry";
    private static final String STORED_POSTINGS = """
            select convert_from(payload, 'UTF8')::jsonb ->> 'bankTxnId', count(*) from domain_event_entry
            where aggregate_identifier = any (?) and (payload_type like '%$InterestCredited'
                or payload_type like '%$TuitionDeposited')
            group by 1""";

    /** One posting the clients sent: where to, and whether it breaks the charge cap. */
    private record Posting(String id, String account, boolean breaksCap) {
        long fen() {
            return breaksCap ? CAP_BREAKING_FEN : INTEREST_FEN;
        }
    }

    /** An answer to one attempt, or none: status 0 with what went wrong. */
    private record Attempt(int status, String code, boolean replay, String failure) {
        boolean answered() {
            return status != 0;
        }

        @Override
        public String toString() {
            return answered() ? status + (code.isEmpty() ? "" : " " + code) : "no answer (" + failure + ")";
        }
    }

    /** Acknowledged postings found in the event store, and how many postings are stored more than once. */
    private record StoredPostings(long found, long storedTwice) {
    }

    /** CHARGE_CAP_EXCEEDED alerts: one expected per acknowledged cap-breaking deposit; found; found twice. */
    private record CapAlerts(long expected, long found, long twice) {
    }

    private final List<LedgerClient> nodes;
    private final int victim;
    private final String occurredAt = Seeding.aMinuteAgo();
    private final Map<String, Posting> sent = new ConcurrentHashMap<>();
    private final Map<String, Boolean> acknowledged = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> victimAnswersToBegun = new ConcurrentHashMap<>();
    private final AtomicInteger resent = new AtomicInteger();
    private final AtomicInteger conflicts = new AtomicInteger();
    private final AtomicLong serverErrors = new AtomicLong();
    private volatile long signalledAtNanos = Long.MAX_VALUE;

    private NodeFault(List<LedgerClient> nodes, int victim) {
        this.nodes = nodes;
        this.victim = victim;
    }

    static void sigterm(Options options) throws Exception {
        System.exit(start(options).run(options, "TERM"));
    }

    static void killNode(Options options) throws Exception {
        System.exit(start(options).run(options, "KILL"));
    }

    private static NodeFault start(Options options) throws IOException {
        LedgerClient first = options.ledger();
        List<LedgerClient> nodes = new ArrayList<>();
        for (String base : options.text("nodes", first.base()).split(",")) {
            nodes.add(new LedgerClient(base, Map.of("BANK", first.key("BANK"), "AUDITOR", first.key("AUDITOR"),
                    "REGULATOR", first.key("REGULATOR"))));
        }
        return new NodeFault(nodes, options.integer("victim", 0));
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
        List<String> accounts = Seeding.accounts(nodes.get(0), run, options.integer("accounts", 20));

        ExecutorService load = Executors.newFixedThreadPool(concurrency);
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        AtomicInteger next = new AtomicInteger();
        for (int w = 0; w < concurrency; w++) {
            load.submit(() -> {
                while (System.nanoTime() < end) {
                    int n = next.incrementAndGet();
                    Posting posting = new Posting("K" + run + "-" + n, accounts.get(n % accounts.size()), n % 10 == 0);
                    sent.put(posting.id(), posting);
                    postUntilAnswered(posting, n % nodes.size());
                }
            });
        }
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
        load.shutdown();
        load.awaitTermination(seconds + RETRY_FOR.toSeconds() + 60, TimeUnit.SECONDS);
        double exitSeconds = exitedAtNanos.get() == 0 ? Double.NaN : (exitedAtNanos.get() - signalledAtNanos) / 1e9;

        List<LedgerClient> survivors = new ArrayList<>(nodes);
        survivors.remove(victim);
        StoredPostings stored = countStored(jdbc, accounts);
        long lost = acknowledged.size() - stored.found();
        ViewBalances.Gaps balances = compareBalances(survivors.get(0), accounts);
        CapAlerts alerts = compareAlerts(survivors.get(0), accounts);
        int unacknowledged = sent.size() - acknowledged.size();
        long begunUnanswered = victimAnswersToBegun.entrySet().stream()
                .filter(e -> e.getKey().startsWith("no answer") || e.getKey().startsWith("5"))
                .mapToInt(e -> e.getValue().get()).sum();

        System.out.println();
        System.out.printf("nodes                                 %d, victim %d (SIG%s)%n", nodes.size(), victim, signal);
        System.out.printf("postings sent                         %d%n", sent.size());
        System.out.printf("first answers                         %s%n", new TreeMap<>(answers));
        System.out.printf("begun on the victim before the signal %s%n", new TreeMap<>(victimAnswersToBegun));
        System.out.printf("sent again (same id, next node)       %d%n", resent.get());
        System.out.printf("acknowledged                          %d (%d of them as an idempotent replay)%n",
                acknowledged.size(), acknowledged.values().stream().filter(Boolean::booleanValue).count());
        System.out.printf("never acknowledged                    %d%n", unacknowledged);
        System.out.printf("refused as a conflict (409)           %d%n", conflicts.get());
        System.out.printf("5xx other than 503                    %d%n", serverErrors.get());
        System.out.printf("found in the event store              %d%n", stored.found());
        System.out.printf("stored twice                          %d%n", stored.storedTwice());
        System.out.printf("lost                                  %d%n", lost);
        System.out.printf("balances: lost / booked twice (fen)   %d / %d%n", balances.lostFen(), balances.twiceFen());
        System.out.printf("CHARGE_CAP_EXCEEDED expected / found  %d / %d (%d twice)%n", alerts.expected(),
                alerts.found(), alerts.twice());
        System.out.printf("seconds until the victim exited       %.1f%n", exitSeconds);
        System.out.printf("seconds until its segments were held %s%n",
                Double.isNaN(takeOverSeconds) ? "never (within 60 s)" : "%.1f".formatted(takeOverSeconds));
        boolean failed = lost > 0 || stored.storedTwice() > 0 || unacknowledged > 0 || conflicts.get() > 0
                || serverErrors.get() > 0 || !balances.none()
                || alerts.expected() != alerts.found() || alerts.twice() > 0
                || Double.isNaN(takeOverSeconds) || ("TERM".equals(signal) && begunUnanswered > 0);
        System.out.println(failed ? "FAILED" : "OK: every acknowledged posting is stored once, the survivors took over");
        return failed ? 1 : 0;
    }

    /** Sends {@code posting} to node {@code first}, then to the next nodes in turn, until it is answered. */
    private void postUntilAnswered(Posting posting, int first) {
        long until = System.nanoTime() + RETRY_FOR.toNanos();
        int node = first;
        boolean firstAttempt = true;
        while (System.nanoTime() < until) {
            long sentAt = System.nanoTime();
            Attempt attempt = send(nodes.get(node), posting);
            if (firstAttempt) {
                answers.computeIfAbsent(attempt.toString(), key -> new AtomicInteger()).incrementAndGet();
            }
            if (node == victim && sentAt < signalledAtNanos && System.nanoTime() >= signalledAtNanos) {
                victimAnswersToBegun.computeIfAbsent(attempt.toString(), key -> new AtomicInteger()).incrementAndGet();
            }
            if (attempt.status() >= 500 && attempt.status() != 503) {
                serverErrors.incrementAndGet();
            }
            if (attempt.status() == 201) {
                acknowledged.put(posting.id(), !firstAttempt && attempt.replay());
                return;
            }
            if (attempt.answered() && attempt.status() < 500) {
                if (attempt.status() == 409) {
                    conflicts.incrementAndGet();
                }
                System.out.printf("posting %s answered %s%n", posting.id(), attempt);
                return;
            }
            if (firstAttempt) {
                resent.incrementAndGet();
            }
            firstAttempt = false;
            node = (node + 1) % nodes.size();
        }
    }

    private Attempt send(LedgerClient node, Posting posting) {
        Map<String, Object> body = posting.breaksCap()
                ? Seeding.deposit(posting.id(), CAP_BREAKING_LESSONS, occurredAt)
                : Seeding.interest(posting.id(), "1.00", occurredAt);
        HttpRequest request = HttpRequest.newBuilder(URI.create(node.base() + "/api/v1/accounts/" + posting.account()
                        + "/transactions"))
                .header("Authorization", "Bearer " + node.key("BANK")).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(LedgerClient.JSON.writeValueAsBytes(body)))
                .build();
        try {
            HttpResponse<String> response = node.http().send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode answer = response.body().isEmpty() ? null : LedgerClient.JSON.readTree(response.body());
            return new Attempt(response.statusCode(), answer != null && answer.has("code")
                    ? answer.get("code").asString() : "",
                    response.headers().firstValue("Idempotent-Replay").isPresent(), "");
        } catch (IOException e) {
            return new Attempt(0, "", false, RestartDbFault.rootCause(e).getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Attempt(0, "", false, "interrupted");
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
                pause(100);
            }
        }
        return Double.NaN;
    }

    private StoredPostings countStored(String jdbc, List<String> accounts) throws SQLException {
        Map<String, Long> stored = new HashMap<>();
        try (Connection db = DriverManager.getConnection(jdbc);
             PreparedStatement query = db.prepareStatement(STORED_POSTINGS)) {
            Array ids = db.createArrayOf("varchar", accounts.toArray());
            query.setArray(1, ids);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    stored.put(rows.getString(1), rows.getLong(2));
                }
            }
        }
        long found = acknowledged.keySet().stream().filter(stored::containsKey).count();
        long twice = stored.values().stream().filter(count -> count > 1).count();
        return new StoredPostings(found, twice);
    }

    /** The survivor's balances against the postings acknowledged for each account. */
    private ViewBalances.Gaps compareBalances(LedgerClient node, List<String> accounts) {
        Map<String, Long> expected = new HashMap<>();
        accounts.forEach(account -> expected.put(account, 0L));
        acknowledged.keySet().forEach(id -> expected.merge(sent.get(id).account(), sent.get(id).fen(), Long::sum));
        return ViewBalances.compare(node, expected, CATCH_UP_FOR, Duration.ofMillis(500));
    }

    /** The cap alerts, found once the alert processor caught up. */
    private CapAlerts compareAlerts(LedgerClient node, List<String> accounts) {
        Set<String> runAccounts = Set.copyOf(accounts);
        long expected = acknowledged.keySet().stream().filter(id -> sent.get(id).breaksCap()).count();
        Set<String> institutions = accounts.stream().map(account -> node.get("AUDITOR", "/api/v1/accounts/" + account)
                .body().get("institutionId").asString()).collect(Collectors.toSet());
        long until = System.nanoTime() + CATCH_UP_FOR.toNanos();
        List<String> alertIds = capAlerts(node, institutions, runAccounts);
        while (alertIds.size() < expected && System.nanoTime() < until) {
            pause(500);
            alertIds = capAlerts(node, institutions, runAccounts);
        }
        long distinct = alertIds.stream().distinct().count();
        return new CapAlerts(expected, distinct, alertIds.size() - distinct);
    }

    private static List<String> capAlerts(LedgerClient node, Set<String> institutions, Set<String> accounts) {
        List<String> ids = new ArrayList<>();
        for (String institution : institutions) {
            for (int page = 0; ; page++) {
                JsonNode content = node.get("REGULATOR", "/api/v1/alerts?code=CHARGE_CAP_EXCEEDED&institutionId="
                        + institution + "&size=100&page=" + page).body().get("content");
                content.forEach(alert -> {
                    if (accounts.contains(alert.path("accountId").asString())) {
                        ids.add(alert.get("alertId").asString());
                    }
                });
                if (content.size() < 100) {
                    break;
                }
            }
        }
        return ids;
    }

    /** The client's pause between two looks at a view or the token store. */
    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
