package cn.prepaid.ledger.sim;

import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fault: the database fails over. The ledger nodes ({@code --nodes}) run on a primary with a synchronous standby,
 * through a multi-host JDBC URL; bank clients post to them as in {@link PostingLoad}, an unanswered posting sent again
 * with the same id after {@code --retry-pause-millis}. {@code --kill-after} seconds in, {@code --kill} (a shell
 * command) kills the primary; {@code --promote-after} seconds later (a failover manager noticing), {@code --promote}
 * promotes the standby.
 *
 * <p>Then, besides what {@link PostingLoad#checkAndPrint} checks (read from {@code --jdbc}, the new primary): every
 * balance replayed from the event store equals the sum of its acknowledged postings, every institution's hash chain
 * verifies, no event was parked as a dead letter, every node's health is UP, and a posting sent after the promotion
 * was acknowledged within {@code --recover-within} seconds. Prints how long after the kill a posting was acknowledged
 * again; exits 1 on any of it failing.
 */
final class FailoverFault {

    private static final Duration HEALTHY_WITHIN = Duration.ofSeconds(60);

    private final PostingLoad load;
    private final AtomicLong firstAckAfterKillNanos = new AtomicLong();
    private final AtomicLong firstAckAfterPromotionNanos = new AtomicLong();
    private final AtomicLong slowestAnswerMillis = new AtomicLong();
    private final Map<String, Integer> answersDuringFailover = new TreeMap<>();
    private volatile long killedAtNanos = Long.MAX_VALUE;
    private volatile long promotedAtNanos = Long.MAX_VALUE;

    private FailoverFault(List<LedgerClient> nodes, long retryPauseMillis) {
        this.load = new PostingLoad(nodes, retryPauseMillis, this::attempted);
    }

    static void main(Options options) throws Exception {
        FailoverFault fault = new FailoverFault(PostingLoad.nodes(options), options.number("retry-pause-millis", 200));
        System.exit(fault.run(options));
    }

    private int run(Options options) throws Exception {
        int seconds = options.integer("seconds", 40);
        int concurrency = options.integer("concurrency", 8);
        int killAfter = options.integer("kill-after", 10);
        int promoteAfter = options.integer("promote-after", 3);
        int recoverWithin = options.integer("recover-within", 30);
        String kill = options.text("kill", null);
        String promote = options.text("promote", null);
        String jdbc = options.text("jdbc", null);
        if (kill == null || promote == null || jdbc == null) {
            throw new IllegalArgumentException("--kill and --promote (shell commands) and --jdbc are required");
        }
        String run = Seeding.runId();
        List<LedgerClient> nodes = load.nodes();
        List<String> accounts = Seeding.accounts(nodes.get(0), run, options.integer("accounts", 20));
        load.start("V" + run, accounts, concurrency, seconds);
        RestartDbFault.sleepSeconds(killAfter);
        RestartDbFault.shell(kill);
        // the signal was delivered once kill returned: what is sent from now on cannot reach the old primary
        killedAtNanos = System.nanoTime();
        System.out.printf("primary killed at %ds (%s)%n", killAfter, kill);
        RestartDbFault.sleepSeconds(promoteAfter);
        RestartDbFault.shell(promote);
        promotedAtNanos = System.nanoTime();
        System.out.printf("standby promoted %ds later (%s)%n", promoteAfter, promote);
        load.awaitEnd(seconds);

        System.out.println();
        System.out.printf("nodes                                 %d, database failed over at %ds%n", nodes.size(),
                killAfter);
        boolean held = load.checkAndPrint(jdbc, nodes.get(0), accounts);
        ViewBalances.Gaps replayed = load.compareBalances(nodes.get(0), accounts, "/balance?fullReplay=true");
        List<String> broken = brokenChains(nodes.get(0), accounts);
        JsonNode parked = nodes.get(0).get("REGULATOR", "/api/v1/dead-letters").body().get("parked");
        long deadLetters = 0;
        for (JsonNode count : parked) {
            deadLetters += count.asLong();
        }
        List<String> health = awaitHealthy(nodes);
        double unavailable = secondsBetween(killedAtNanos, firstAckAfterKillNanos.get());
        double afterPromotion = secondsBetween(promotedAtNanos, firstAckAfterPromotionNanos.get());
        System.out.printf("balances replayed from events off     %d accounts%n", replayed.accountsOff());
        System.out.printf("hash chains broken                    %s%n", broken.isEmpty() ? "none" : broken);
        System.out.printf("dead letters                          %d %s%n", deadLetters, parked);
        System.out.printf("health afterwards                     %s%n", health);
        System.out.printf("first answers after the kill          %s%n", answersDuringFailover);
        System.out.printf("slowest answer after the kill         %d ms%n", slowestAnswerMillis.get());
        System.out.printf("seconds from the kill to the first 2xx %.1f (of a posting sent after the kill)%n", unavailable);
        System.out.printf("seconds from promotion to first 2xx   %.1f%n", afterPromotion);
        boolean failed = !held || replayed.accountsOff() > 0 || !broken.isEmpty() || deadLetters > 0
                || health.stream().anyMatch(status -> !status.equals("200 UP"))
                || Double.isNaN(afterPromotion) || afterPromotion > recoverWithin;
        System.out.println(failed ? "FAILED"
                : "PASS: every acknowledged posting is stored once on the new primary, the chains verify, "
                        + "the processors caught up");
        return failed ? 1 : 0;
    }

    /** Times the acknowledgements around the failover, and the answers to attempts sent after the kill. */
    private void attempted(int node, long sentAtNanos, PostingLoad.Attempt attempt) {
        long now = System.nanoTime();
        if (sentAtNanos >= killedAtNanos && firstAckAfterPromotionNanos.get() == 0) {
            slowestAnswerMillis.accumulateAndGet((now - sentAtNanos) / 1_000_000, Math::max);
            synchronized (answersDuringFailover) {
                answersDuringFailover.merge(attempt.toString(), 1, Integer::sum);
            }
        }
        if (attempt.status() != 201) {
            return;
        }
        if (sentAtNanos >= killedAtNanos) {
            firstAckAfterKillNanos.compareAndSet(0, now);
        }
        if (sentAtNanos >= promotedAtNanos) {
            firstAckAfterPromotionNanos.compareAndSet(0, now);
        }
    }

    /** The institutions of {@code accounts} whose hash chains (theirs and their accounts') do not verify. */
    private static List<String> brokenChains(LedgerClient node, List<String> accounts) {
        List<String> broken = new ArrayList<>();
        for (String institution : PostingLoad.institutions(node, accounts)) {
            JsonNode verdict = node.get("AUDITOR", "/api/v1/institutions/" + institution + "/verify").body();
            if (!verdict.path("valid").asBoolean(false)) {
                broken.add(institution + " " + verdict);
            }
        }
        return broken;
    }

    /** Each node's health once it says UP, or what it said last after a minute. */
    private static List<String> awaitHealthy(List<LedgerClient> nodes) {
        List<String> health = new ArrayList<>();
        for (LedgerClient node : nodes) {
            long until = System.nanoTime() + HEALTHY_WITHIN.toNanos();
            String status = health(node);
            while (!status.equals("200 UP") && System.nanoTime() < until) {
                PostingLoad.pause(500);
                status = health(node);
            }
            health.add(status);
        }
        return health;
    }

    private static String health(LedgerClient node) {
        try {
            HttpResponse<String> answer = node.http().send(HttpRequest.newBuilder(
                            URI.create(node.base() + "/actuator/health")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return answer.statusCode() + " " + LedgerClient.JSON.readTree(answer.body()).path("status").asString();
        } catch (IOException | RuntimeException noAnswer) {
            return "no answer";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static double secondsBetween(long fromNanos, long toNanos) {
        return toNanos == 0 || fromNanos == Long.MAX_VALUE ? Double.NaN : (toNanos - fromNanos) / 1e9;
    }
}
