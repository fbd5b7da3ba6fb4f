package cn.prepaid.ledger.sim;

import cn.prepaid.ledger.sim.client.ApiException;
import cn.prepaid.ledger.sim.client.model.PostingRequest;
import tools.jackson.databind.JsonNode;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * How long a bitemporal balance ({@code GET /accounts/{id}/balance?asOf=&knownAt=}) takes for one
 * account with a long history, from checkpoints and, as the baseline in the same run, by a full replay
 * ({@code fullReplay=true}) of the same questions.
 *
 * <p>Seeds one account through batch postings (deposits, interest, refunds, refused releases, fees; one in
 * twenty posted late, 1 to 30 days after it happened) unless {@code --account} names one seeded before.
 * Then it reads the account's time range from its institution's history, waits until the ledger's
 * checkpoints have caught up, and asks questions at random instants: asOf anywhere in the account's
 * life, knownAt anywhere in its recording time or now. Every baseline answer is compared with the
 * checkpointed answer to the same question.
 */
final class BalanceAsOfBenchmark {

    private static final int BATCH_ITEMS = 1000;

    private record Question(Instant asOf, Instant knownAt) {
    }

    private record Timed(long nanos, JsonNode answer) {
    }

    /** When the account's events happened and when the ledger recorded them: first and last of each. */
    private record TimeRange(Instant occurredFrom, Instant occurredTo, Instant recordedFrom, Instant recordedTo) {

        TimeRange including(Instant occurred, Instant recorded) {
            return new TimeRange(occurred.isBefore(occurredFrom) ? occurred : occurredFrom,
                    occurred.isAfter(occurredTo) ? occurred : occurredTo,
                    recorded.isBefore(recordedFrom) ? recorded : recordedFrom,
                    recorded.isAfter(recordedTo) ? recorded : recordedTo);
        }
    }

    private BalanceAsOfBenchmark() {
    }

    /** The {@code balance-asof} command. */
    static void main(Options options) throws Exception {
        LedgerClient ledger = options.ledger();
        int events = options.integer("events", 100_000);
        int queries = options.integer("queries", 300);
        int baseline = options.integer("baseline", 20);
        int checkpointEvery = options.integer("checkpoint-every", 1000);
        String account = options.text("account", null);
        if (account == null) {
            account = seed(ledger, events);
        }
        System.out.println("account " + account);
        awaitCheckpoints(ledger, account, checkpointEvery);
        TimeRange range = timeRange(ledger, account);
        Instant occurredFrom = range.occurredFrom();
        Instant occurredTo = range.occurredTo();
        Instant recordedFrom = range.recordedFrom();
        Instant recordedTo = range.recordedTo();
        System.out.println("occurred " + occurredFrom + " .. " + occurredTo + ", recorded " + recordedFrom + " .. "
                + recordedTo);

        Random random = new Random(42);
        List<Question> questions = new ArrayList<>();
        for (int q = 0; q < queries; q++) {
            Instant asOf = between(random, occurredFrom.minus(Duration.ofDays(1)), occurredTo.plus(Duration.ofHours(1)));
            Instant knownAt = random.nextBoolean() ? null : between(random, recordedFrom, recordedTo);
            questions.add(new Question(asOf, knownAt));
        }
        for (int warm = 0; warm < Math.min(20, queries); warm++) {
            ask(ledger, account, questions.get(warm), false);
        }
        List<Long> checkpointed = new ArrayList<>();
        List<Long> replayedCounts = new ArrayList<>();
        List<JsonNode> answers = new ArrayList<>();
        int withoutCheckpoint = 0;
        Progress progress = new Progress("from checkpoints", queries);
        for (int q = 0; q < queries; q++) {
            Timed timed = ask(ledger, account, questions.get(q), false);
            checkpointed.add(timed.nanos());
            replayedCounts.add(timed.answer().get("eventsReplayed").asLong());
            withoutCheckpoint += timed.answer().get("checkpointSequence").isNull() ? 1 : 0;
            answers.add(timed.answer());
            progress.update(q + 1, "");
        }
        progress.done("");
        List<Long> full = new ArrayList<>();
        int mismatches = 0;
        progress = new Progress("full replay", Math.min(baseline, queries));
        for (int q = 0; q < Math.min(baseline, queries); q++) {
            Timed timed = ask(ledger, account, questions.get(q), true);
            full.add(timed.nanos());
            for (String field : List.of("balance", "outstandingLiability", "releasable", "floor", "eventsApplied")) {
                if (!timed.answer().get(field).asString().equals(answers.get(q).get(field).asString())) {
                    mismatches++;
                    System.err.println("MISMATCH " + field + " for " + questions.get(q) + ": " + timed.answer()
                            + " vs " + answers.get(q));
                }
            }
            progress.update(q + 1, "");
        }
        progress.done("");

        Stats fast = Stats.ofNanos(checkpointed);
        Stats slow = Stats.ofNanos(full);
        replayedCounts.sort(null);
        long eventsInAccount = answers.stream().mapToLong(a -> a.get("eventsApplied").asLong()).max().orElse(0);
        System.out.println("| mode | questions | p50 / p90 / p99 / max ms | events replayed p50 / max | started without a checkpoint |");
        System.out.println("|---|---|---|---|---|");
        System.out.printf("| from checkpoints | %d | %.1f / %.1f / %.1f / %.1f | %d / %d | %d |%n", fast.count(),
                fast.p50(), fast.p90(), fast.p99(), fast.max(), Stats.percentile(replayedCounts, 50),
                replayedCounts.isEmpty() ? 0 : replayedCounts.get(replayedCounts.size() - 1), withoutCheckpoint);
        System.out.printf("| full replay (baseline) | %d | %.1f / %.1f / %.1f / %.1f | all counted | %d |%n",
                slow.count(), slow.p50(), slow.p90(), slow.p99(), slow.max(), slow.count());
        System.out.printf("account events up to %d; p50 speed-up %.0fx; answers differing from the full replay: %d%n",
                eventsInAccount, slow.p50() / fast.p50(), mismatches);
        if (mismatches > 0) {
            throw new IllegalStateException(mismatches + " answers differ from a full replay");
        }
    }

    private static String seed(LedgerClient ledger, int events) throws ApiException {
        String institution = Ids.institutionId("330106", System.currentTimeMillis() % 10_000_000L);
        Seeding.institution(ledger, institution, "balance bench " + institution);
        String account = "BAL" + institution.substring(8, 17);
        Seeding.account(ledger, account, institution);
        Instant end = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        int batches = (events + BATCH_ITEMS - 1) / BATCH_ITEMS;
        Progress progress = new Progress("seeding " + account, events);
        for (int b = 0; b < batches; b++) {
            List<PostingRequest> items = new ArrayList<>(BATCH_ITEMS);
            for (int i = b * BATCH_ITEMS; i < Math.min(events, (b + 1) * BATCH_ITEMS); i++) {
                items.add(Seeding.posting(account, "P", i, events, end));
            }
            Seeding.postBatch(ledger, items);
            progress.update(Math.min(events, (b + 1) * BATCH_ITEMS), "");
        }
        progress.done(events + " postings");
        return account;
    }

    /** Until the answer for now starts from a checkpoint at most one stretch behind the account's end. */
    private static void awaitCheckpoints(LedgerClient ledger, String account, int checkpointEvery) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (true) {
            JsonNode now = ask(ledger, account, new Question(Instant.now(), null), false).answer();
            if (!now.get("checkpointSequence").isNull() && now.get("eventsReplayed").asLong() <= checkpointEvery) {
                System.out.println("checkpoints caught up: latest at sequence " + now.get("checkpointSequence"));
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("checkpoints did not catch up: " + now);
            }
            Thread.sleep(1000);
        }
    }

    /** The account's time range, from its institution's history. */
    private static TimeRange timeRange(LedgerClient ledger, String account) throws Exception {
        String institution = ledger.get("AUDITOR", "/api/v1/accounts/" + account).body().get("institutionId").asString();
        HttpRequest request = HttpRequest.newBuilder(URI.create(ledger.base() + "/api/v1/institutions/" + institution
                        + "/history")).header("Authorization", "Bearer " + ledger.key("AUDITOR")).GET().build();
        HttpResponse<InputStream> response = ledger.http().send(request,
                HttpResponse.BodyHandlers.ofInputStream());
        TimeRange range = new TimeRange(Instant.MAX, Instant.MIN, Instant.MAX, Instant.MIN);
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                JsonNode event = LedgerClient.JSON.readTree(line);
                if (!account.equals(event.get("aggregateId").asString())) {
                    continue;
                }
                range = range.including(Instant.parse(event.get("occurredAt").asString()),
                        Instant.parse(event.get("recordedAt").asString()));
            }
        }
        return range;
    }

    private static Timed ask(LedgerClient ledger, String account, Question question, boolean fullReplay) {
        String path = "/api/v1/accounts/" + account + "/balance?asOf=" + question.asOf()
                + (question.knownAt() == null ? "" : "&knownAt=" + question.knownAt())
                + (fullReplay ? "&fullReplay=true" : "");
        LedgerClient.Answer answer = ledger.get("AUDITOR", path);
        Seeding.require(answer, 200);
        return new Timed(answer.answeredNanos() - answer.sentNanos(), answer.body());
    }

    private static Instant between(Random random, Instant from, Instant to) {
        long span = Duration.between(from, to).toMillis();
        return from.plusMillis((long) (random.nextDouble() * span));
    }
}
