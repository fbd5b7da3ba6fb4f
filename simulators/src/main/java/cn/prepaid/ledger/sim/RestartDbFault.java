package cn.prepaid.ledger.sim;

import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fault: PostgreSQL stopped mid-load and started again. Bank clients post interest of 1.00 yuan, each with
 * a new bankTxnId, to a set of accounts; {@code --down-after} seconds in, {@code --stop} (a shell command)
 * stops the database, and {@code --down-for} seconds later {@code --start} starts it. Then every posting
 * that got no acknowledgement is sent again with the same id until it is (a bank's retry), and each
 * account's balance is compared with the postings acknowledged for it: exactly once each, none lost.
 * Prints the figures; exits 1 when anything acknowledged was lost or booked twice, a retry was refused as
 * a conflict, or the ledger answered a 5xx other than 503.
 */
final class RestartDbFault {

    private static final Duration RETRY_FOR = Duration.ofSeconds(120);
    private static final Duration CATCH_UP_FOR = Duration.ofSeconds(120);

    private final LedgerClient ledger;
    private final String occurredAt = Seeding.aMinuteAgo();
    private final Map<String, String> accountOf = new ConcurrentHashMap<>();
    private final Map<String, Boolean> acknowledged = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
    private final AtomicLong slowestDuringOutageMillis = new AtomicLong();
    private final AtomicLong firstAckAfterStartNanos = new AtomicLong();
    private final ConcurrentLinkedQueue<String> healthSeen = new ConcurrentLinkedQueue<>();
    private volatile long stoppedAtNanos = Long.MAX_VALUE;
    private volatile long startedAtNanos = Long.MAX_VALUE;

    private RestartDbFault(LedgerClient ledger) {
        this.ledger = ledger;
    }

    static void main(Options options) throws Exception {
        int exit = new RestartDbFault(options.ledger()).run(options);
        System.exit(exit);
    }

    private int run(Options options) throws Exception {
        int seconds = options.integer("seconds", 40);
        int concurrency = options.integer("concurrency", 8);
        int downAfter = options.integer("down-after", 10);
        int downFor = options.integer("down-for", 10);
        String stop = options.text("stop", null);
        String start = options.text("start", null);
        if (stop == null || start == null) {
            throw new IllegalArgumentException("--stop and --start (shell commands) are required");
        }
        List<String> accounts = Seeding.accounts(ledger, Seeding.runId(), options.integer("accounts", 20));

        ExecutorService load = Executors.newFixedThreadPool(concurrency + 1);
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        AtomicInteger next = new AtomicInteger();
        String run = Seeding.runId();
        for (int w = 0; w < concurrency; w++) {
            load.submit(() -> {
                while (System.nanoTime() < end) {
                    int n = next.incrementAndGet();
                    String id = "F" + run + "-" + n;
                    accountOf.put(id, accounts.get(n % accounts.size()));
                    post(id);
                }
            });
        }
        load.submit(() -> watchHealth(end));
        sleepSeconds(downAfter);
        stoppedAtNanos = System.nanoTime();
        shell(stop);
        System.out.printf("database stopped at %ds (%s)%n", downAfter, stop);
        sleepSeconds(downFor);
        shell(start);
        startedAtNanos = System.nanoTime();
        System.out.printf("database started again after %ds down%n", downFor);
        load.shutdown();
        load.awaitTermination(seconds + 120L, TimeUnit.SECONDS);

        long acknowledgedUnderLoad = acknowledged.size();
        List<String> unanswered = accountOf.keySet().stream().filter(id -> !acknowledged.containsKey(id)).toList();
        int conflicts = retry(unanswered);
        Map<String, Long> expected = new TreeMap<>();
        accountOf.forEach((id, account) -> {
            if (acknowledged.containsKey(id)) {
                expected.merge(account, 100L, Long::sum);
            }
        });
        // every posting is 1.00: the balances' gaps in fen, in postings
        ViewBalances.Gaps balances = ViewBalances.compare(ledger, expected, CATCH_UP_FOR, Duration.ofSeconds(1));
        long lost = balances.lostFen() / 100;
        long bookedTwice = balances.twiceFen() / 100;

        int serverErrors = answers.entrySet().stream().filter(e -> e.getKey().startsWith("5")
                && !e.getKey().startsWith("503")).mapToInt(e -> e.getValue().get()).sum();
        double recoverySeconds = firstAckAfterStartNanos.get() == 0 ? Double.NaN
                : (firstAckAfterStartNanos.get() - startedAtNanos) / 1e9;
        System.out.println();
        System.out.printf("postings sent                        %d%n", accountOf.size());
        System.out.printf("acknowledged under load              %d%n", acknowledgedUnderLoad);
        System.out.printf("answers under load                   %s%n", new TreeMap<>(answers));
        System.out.printf("slowest answer while the db was down %d ms%n", slowestDuringOutageMillis.get());
        System.out.printf("health while the db was down         %s%n", healthSeen.stream().distinct().toList());
        System.out.printf("seconds from db start to first 2xx   %.1f%n", recoverySeconds);
        System.out.printf("unacknowledged, sent again (same id) %d%n", unanswered.size());
        System.out.printf("acknowledged in all                  %d%n", acknowledged.size());
        System.out.printf("acknowledged on retry as a replay    %d (stored although the first answer was not 2xx)%n",
                acknowledged.values().stream().filter(Boolean::booleanValue).count());
        System.out.printf("retries refused as a conflict (409)  %d%n", conflicts);
        System.out.printf("found (balances / 1.00)             %d%n", acknowledged.size() - lost + bookedTwice);
        System.out.printf("lost                                 %d%n", lost);
        System.out.printf("booked twice                         %d%n", bookedTwice);
        System.out.printf("5xx other than 503                   %d%n", serverErrors);
        boolean failed = lost > 0 || bookedTwice > 0 || conflicts > 0 || serverErrors > 0;
        System.out.println(failed ? "FAILED" : "OK: nothing acknowledged was lost or booked twice");
        return failed ? 1 : 0;
    }

    /** A posting's answer: its status, its problem code if any, and whether it repeated an earlier answer. */
    private record Sent(int status, String code, boolean replay) {
        @Override
        public String toString() {
            return status + (code.isEmpty() ? "" : " " + code);
        }
    }

    /** Sends posting {@code id} (the same body every time); throws when no answer came. */
    private Sent send(String id) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(ledger.base() + "/api/v1/accounts/"
                        + accountOf.get(id) + "/transactions"))
                .header("Authorization", "Bearer " + ledger.key("BANK")).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(LedgerClient.JSON.writeValueAsBytes(
                        Seeding.interest(id, "1.00", occurredAt))))
                .build();
        try {
            HttpResponse<String> response = ledger.http().send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body().isEmpty() ? null : LedgerClient.JSON.readTree(response.body());
            return new Sent(response.statusCode(), body != null && body.has("code") ? body.get("code").asString() : "",
                    response.headers().firstValue("Idempotent-Replay").isPresent());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** One posting under load; remembers whether it was acknowledged and how it was answered. */
    private void post(String id) {
        long sent = System.nanoTime();
        String answer;
        try {
            Sent response = send(id);
            answer = response.toString();
            if (response.status() == 201) {
                acknowledged.put(id, false);
                if (sent > startedAtNanos) {
                    firstAckAfterStartNanos.compareAndSet(0, System.nanoTime());
                }
            }
        } catch (RuntimeException failed) {
            answer = "no answer (" + rootCause(failed).getClass().getSimpleName() + ")";
        }
        long now = System.nanoTime();
        if (sent >= stoppedAtNanos && sent < startedAtNanos) {
            slowestDuringOutageMillis.accumulateAndGet((now - sent) / 1_000_000, Math::max);
        }
        answers.computeIfAbsent(answer, key -> new AtomicInteger()).incrementAndGet();
    }

    /** Sends each unacknowledged posting again until it is; counts the 409s (there must be none). */
    private int retry(List<String> ids) {
        int conflicts = 0;
        long until = System.nanoTime() + RETRY_FOR.toNanos();
        for (String id : ids) {
            while (!acknowledged.containsKey(id) && System.nanoTime() < until) {
                try {
                    Sent response = send(id);
                    if (response.status() == 201) {
                        acknowledged.put(id, response.replay());
                    } else if (response.status() == 409) {
                        conflicts++;
                        break;
                    }
                } catch (RuntimeException noAnswer) {
                    sleepSeconds(1);
                }
            }
        }
        return conflicts;
    }

    private void watchHealth(long end) {
        while (System.nanoTime() < end) {
            long now = System.nanoTime();
            if (now >= stoppedAtNanos && now < startedAtNanos) {
                try {
                    HttpResponse<String> health = ledger.http().send(HttpRequest.newBuilder(
                            URI.create(ledger.base() + "/actuator/health")).timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    healthSeen.add(health.statusCode() + " " + LedgerClient.JSON.readTree(health.body())
                            .path("status").asString());
                } catch (IOException | RuntimeException noAnswer) {
                    healthSeen.add("no answer");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            sleepSeconds(1);
        }
    }

    static void shell(String command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("bash", "-c", command).inheritIO().start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException("failed: " + command);
        }
    }

    static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** The scenario's own clock (when to stop the database, a client's pause between retries). */
    static void sleepSeconds(int seconds) {
        try {
            Thread.sleep(seconds * 1000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
