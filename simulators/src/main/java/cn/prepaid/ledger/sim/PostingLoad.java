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
 * The bank clients of the fault runs ({@link NodeFault}, {@link FailoverFault}) and what they check afterwards.
 * Clients post to every node in turn, each posting with a new bankTxnId: interest of 1.00, and every tenth a deposit
 * of 61 lessons (4,880.00), which breaks the charge cap and must raise exactly one CHARGE_CAP_EXCEEDED alert. A
 * posting without an answer, or answered 5xx, is sent again with the same id to the next node until it gets one, as
 * a bank's client would. Afterwards: every acknowledged posting is in the event store exactly once, every balance is
 * the sum of its acknowledged postings, and there is one alert per acknowledged cap-breaking deposit.
 */
final class PostingLoad {

    private static final Duration RETRY_FOR = Duration.ofSeconds(120);
    private static final Duration CATCH_UP_FOR = Duration.ofSeconds(120);
    private static final long INTEREST_FEN = 100;
    private static final int CAP_BREAKING_LESSONS = 61;
    private static final long CAP_BREAKING_FEN = CAP_BREAKING_LESSONS * 8_000L;
    private static final String STORED_POSTINGS = """
            select convert_from(payload, 'UTF8')::jsonb ->> 'bankTxnId', count(*) from domain_event_entry
            where aggregate_identifier = any (?) and (payload_type like '%$InterestCredited'
                or payload_type like '%$TuitionDeposited')
            group by 1""";

    /** One posting the clients sent: where to, and whether it breaks the charge cap. */
    record Posting(String id, String account, boolean breaksCap) {
        long fen() {
            return breaksCap ? CAP_BREAKING_FEN : INTEREST_FEN;
        }
    }

    /** An answer to one attempt, or none: status 0 with what went wrong. */
    record Attempt(int status, String code, boolean replay, String failure) {
        boolean answered() {
            return status != 0;
        }

        @Override
        public String toString() {
            return answered() ? status + (code.isEmpty() ? "" : " " + code) : "no answer (" + failure + ")";
        }
    }

    /** Told of every attempt as soon as it has its answer (or none): to which node, sent when (nanoTime). */
    interface Observer {
        void attempted(int node, long sentAtNanos, Attempt attempt);
    }

    /** Fen lost from and booked twice into the balances, and the accounts whose balance was off. */
    /** Alerts expected, found, and found more than once. */
    record AlertCheck(long expected, long found, long twice) {
        boolean passed() {
            return expected == found && twice == 0;
        }
    }

    private final List<LedgerClient> nodes;
    private final Observer observer;
    private final long retryPauseMillis;
    private final String occurredAt = Seeding.aMinuteAgo();
    private final Map<String, Posting> sent = new ConcurrentHashMap<>();
    private final Map<String, Boolean> acknowledged = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
    private final AtomicInteger resent = new AtomicInteger();
    private final AtomicInteger conflicts = new AtomicInteger();
    private final AtomicLong serverErrors = new AtomicLong();
    private ExecutorService clients;

    /**
     * Clients of {@code nodes}; an unanswered posting goes again to the next node after {@code retryPauseMillis}
     * (0: at once, a client with a list of nodes; more when every node answers 503 for a while).
     */
    PostingLoad(List<LedgerClient> nodes, long retryPauseMillis, Observer observer) {
        this.nodes = nodes;
        this.retryPauseMillis = retryPauseMillis;
        this.observer = observer;
    }

    /** The ledgers of {@code --nodes} (default: {@code --base}), all with the keys of {@code --principals}. */
    static List<LedgerClient> nodes(Options options) throws IOException {
        LedgerClient first = options.ledger();
        List<LedgerClient> nodes = new ArrayList<>();
        for (String base : options.text("nodes", first.base()).split(",")) {
            nodes.add(new LedgerClient(base, Map.of("BANK", first.key("BANK"), "AUDITOR", first.key("AUDITOR"),
                    "REGULATOR", first.key("REGULATOR"))));
        }
        return nodes;
    }

    List<LedgerClient> nodes() {
        return nodes;
    }

    /** Starts {@code concurrency} clients posting to {@code accounts} for {@code seconds}, ids starting {@code prefix}. */
    void start(String prefix, List<String> accounts, int concurrency, int seconds) {
        clients = Executors.newFixedThreadPool(concurrency);
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        AtomicInteger next = new AtomicInteger();
        for (int w = 0; w < concurrency; w++) {
            clients.submit(() -> {
                while (System.nanoTime() < end) {
                    int n = next.incrementAndGet();
                    Posting posting = new Posting(prefix + "-" + n, accounts.get(n % accounts.size()), n % 10 == 0);
                    sent.put(posting.id(), posting);
                    postUntilAnswered(posting, n % nodes.size());
                }
            });
        }
    }

    /** Waits until the clients stopped posting and every posting got its answer (or gave up). */
    void awaitEnd(int seconds) throws InterruptedException {
        clients.shutdown();
        clients.awaitTermination(seconds + RETRY_FOR.toSeconds() + 60, TimeUnit.SECONDS);
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
            observer.attempted(node, sentAt, attempt);
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
            if (retryPauseMillis > 0) {
                pause(retryPauseMillis);
            }
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

    private long acknowledgedAsReplay() {
        return acknowledged.values().stream().filter(Boolean::booleanValue).count();
    }

    private int unacknowledged() {
        return sent.size() - acknowledged.size();
    }

    /** How each posting's first attempt was answered. */
    private Map<String, Integer> firstAnswers() {
        Map<String, Integer> counts = new TreeMap<>();
        answers.forEach((answer, count) -> counts.put(answer, count.get()));
        return counts;
    }

    /** The acknowledged postings' sum per account (0 for an account without any). */
    private Map<String, Long> expectedFen(List<String> accounts) {
        Map<String, Long> expected = new TreeMap<>();
        accounts.forEach(account -> expected.put(account, 0L));
        acknowledged.keySet().forEach(id -> expected.merge(sent.get(id).account(), sent.get(id).fen(), Long::sum));
        return expected;
    }

    /**
     * Checks what the clients were told against the event store ({@code jdbc}) and {@code reader}'s views, once
     * they have caught up, and prints the figures; true when nothing acknowledged was lost, stored twice or left
     * out of a balance or the alerts, and nothing was refused, unanswered or answered a 5xx other than 503.
     */
    boolean checkAndPrint(String jdbc, LedgerClient reader, List<String> accounts) throws SQLException {
        StoredPostings stored = countStored(jdbc, accounts);
        long lost = acknowledged.size() - stored.found();
        ViewBalances.Gaps balances = compareBalances(reader, accounts, "");
        AlertCheck alerts = compareAlerts(reader, accounts);
        System.out.printf("postings sent                         %d%n", sent.size());
        System.out.printf("first answers                         %s%n", firstAnswers());
        System.out.printf("sent again (same id, next node)       %d%n", resent.get());
        System.out.printf("acknowledged                          %d (%d of them as an idempotent replay)%n",
                acknowledged.size(), acknowledgedAsReplay());
        System.out.printf("never acknowledged                    %d%n", unacknowledged());
        System.out.printf("refused as a conflict (409)           %d%n", conflicts.get());
        System.out.printf("5xx other than 503                    %d%n", serverErrors.get());
        System.out.printf("found in the event store              %d%n", stored.found());
        System.out.printf("stored twice                          %d%n", stored.twice());
        System.out.printf("lost                                  %d%n", lost);
        System.out.printf("balances: lost / booked twice (fen)   %d / %d%n", balances.lostFen(), balances.twiceFen());
        System.out.printf("CHARGE_CAP_EXCEEDED expected / found  %d / %d (%d twice)%n", alerts.expected(),
                alerts.found(), alerts.twice());
        return lost == 0 && stored.twice() == 0 && unacknowledged() == 0 && conflicts.get() == 0
                && serverErrors.get() == 0 && balances.accountsOff() == 0 && alerts.passed();
    }

    /** Acknowledged postings found in the event store, and how many postings are there more than once. */
    private record StoredPostings(long found, long twice) {
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

    /**
     * Each account's balance read under its path plus {@code query} (its view: "", a replay: "/balance?fullReplay=true")
     * against the sum of its acknowledged postings, once they agree or the catch-up time passed.
     */
    ViewBalances.Gaps compareBalances(LedgerClient node, List<String> accounts, String query) {
        return ViewBalances.compare(node, expectedFen(accounts), query, CATCH_UP_FOR, Duration.ofMillis(500));
    }

    /** The institutions of {@code accounts}, as their views say. */
    static Set<String> institutions(LedgerClient node, List<String> accounts) {
        return accounts.stream().map(account -> node.get("AUDITOR", "/api/v1/accounts/" + account)
                .body().get("institutionId").asString()).collect(Collectors.toSet());
    }

    /** CHARGE_CAP_EXCEEDED alerts expected, found (once the alert processor caught up) and found twice. */
    private AlertCheck compareAlerts(LedgerClient node, List<String> accounts) {
        Set<String> runAccounts = Set.copyOf(accounts);
        long expected = acknowledged.keySet().stream().filter(id -> sent.get(id).breaksCap()).count();
        Set<String> institutions = institutions(node, accounts);
        long until = System.nanoTime() + CATCH_UP_FOR.toNanos();
        List<String> alertIds = capAlerts(node, institutions, runAccounts);
        while (alertIds.size() < expected && System.nanoTime() < until) {
            pause(500);
            alertIds = capAlerts(node, institutions, runAccounts);
        }
        long distinct = alertIds.stream().distinct().count();
        return new AlertCheck(expected, distinct, alertIds.size() - distinct);
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

    /** The client's pause between two looks at a view or the token store, or between two attempts. */
    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
