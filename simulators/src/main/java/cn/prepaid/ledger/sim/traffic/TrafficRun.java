package cn.prepaid.ledger.sim.traffic;

import cn.prepaid.ledger.sim.AlertStream;
import cn.prepaid.ledger.sim.LedgerClient;
import cn.prepaid.ledger.sim.Options;
import cn.prepaid.ledger.sim.Progress;
import cn.prepaid.ledger.sim.client.ApiException;
import cn.prepaid.ledger.sim.client.ApiResponse;
import cn.prepaid.ledger.sim.client.model.BatchItemResult;
import cn.prepaid.ledger.sim.client.model.ConsumptionRequest;
import cn.prepaid.ledger.sim.client.model.DailyStatementRequest;
import cn.prepaid.ledger.sim.client.model.OpenAccountRequest;
import cn.prepaid.ledger.sim.client.model.PostingBatchRequest;
import cn.prepaid.ledger.sim.client.model.PostingBatchResult;
import cn.prepaid.ledger.sim.client.model.PostingRequest;
import cn.prepaid.ledger.sim.client.model.PostingResult;
import cn.prepaid.ledger.sim.client.model.RegisterInstitutionRequest;
import cn.prepaid.ledger.sim.client.model.StatementResult;
import cn.prepaid.ledger.sim.client.model.SupervisionPolicyRequest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code traffic} command: sets up the population, plays the term against a running ledger as
 * fast as it answers, listens to the alert stream meanwhile, writes the ground truth and prints the
 * detection report. The ledger must have been started with the principals file of the same seed
 * ({@code principals} command).
 */
public final class TrafficRun {

    static final int BATCH_LIMIT = 1_000;
    private static final int MAX_ATTEMPTS = 8;

    private final LedgerClient ledger;
    private final TermPlan plan;
    private final int concurrency;
    private final Map<String, Long> answeredAt = new ConcurrentHashMap<>();
    private final Set<String> decisiveIds;
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicInteger unexpected = new AtomicInteger();
    private final List<String> unexpectedSamples = Collections.synchronizedList(new ArrayList<>());
    private final Progress progress;

    private TrafficRun(LedgerClient ledger, TermPlan plan, int concurrency, Set<String> decisiveIds) {
        this.ledger = ledger;
        this.plan = plan;
        this.concurrency = concurrency;
        this.decisiveIds = decisiveIds;
        this.progress = new Progress("traffic", plan.actionCount());
    }

    static Population population(Options options) {
        return Population.of(options.number("seed", 1), options.integer("institutions", 500),
                options.integer("banks", 6), options.integer("per-scenario", 6));
    }

    /** The {@code principals} command: writes the principals file the ledger is to be started with. */
    public static void writePrincipals(Options options) throws IOException {
        Path out = Path.of(options.text("out", "sim-principals.json"));
        List<Map<String, String>> principals = population(options).principals();
        Files.writeString(out, LedgerClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(principals));
        System.out.println("wrote " + principals.size() + " principals to " + out);
    }

    public static void main(Options options) throws Exception {
        Population population = population(options);
        LedgerClient ledger = new LedgerClient(options.text("base", "http://localhost:8080"),
                Population.keysByPrincipal(population.principals()));
        TermPlan plan = TermPlan.of(population, LocalDate.now(ZoneId.of("Asia/Shanghai")));
        List<RuleOracle.Trigger> triggers = RuleOracle.judge(plan);
        List<GroundTruth.Row> truth = truth(plan, triggers);
        Set<String> decisive = new HashSet<>();
        truth.forEach(row -> decisive.add(row.decisiveId()));
        Path truthFile = Path.of(options.text("truth", "ground-truth.csv"));
        Path arrivalsFile = arrivalsFileFor(truthFile);
        System.out.printf("seed %d: %d institutions, %d accounts, %d requests over %d simulated days from %s; "
                        + "%d alerts expected%n", population.seed(), population.institutions().size(), plan.accounts.size(),
                plan.actionCount(), TermPlan.DAYS, plan.calendar.firstDate(),
                truth.stream().filter(GroundTruth.Row::expectsAlert).count());

        Map<String, Detection.SeenAlert> arrivals = new ConcurrentHashMap<>();
        Thread stream = AlertStream.listen(ledger, "REGULATOR", (alert, nanos) -> {
            long wall = System.currentTimeMillis() - (System.nanoTime() - nanos) / 1_000_000L;
            arrivals.putIfAbsent(alert.path("alertId").asString(), new Detection.SeenAlert(
                    alert.path("alertId").asString(), alert.path("code").asString(),
                    alert.path("institutionId").asString(), wall));
        });
        int webhookInstitutions = options.integer("webhook-institutions", 50);
        WebhookCheck webhooks = webhookInstitutions > 0 ? new WebhookCheck(ledger) : null;
        boolean checkWebhooks = webhooks != null && webhooks.register(population.banks());
        long started = System.nanoTime();
        TrafficRun run = new TrafficRun(ledger, plan, options.integer("concurrency", 32), decisive);
        run.play();
        double seconds = (System.nanoTime() - started) / 1e9;
        run.progress.done(String.format("%d requests, %.0f/s, %d unexpected answers", plan.actionCount(),
                plan.actionCount() / seconds, run.unexpected.get()));
        run.unexpectedSamples.stream().limit(10).forEach(sample -> System.out.println("  unexpected: " + sample));

        List<GroundTruth.Row> answered = truth.stream()
                .map(row -> row.answeredAt(run.answeredAt.getOrDefault(row.decisiveId(), 0L))).toList();
        GroundTruth.write(truthFile, answered);
        waitForQuiet(arrivals, options.integer("settle-seconds", 20));
        stream.interrupt();
        writeArrivals(arrivalsFile, arrivals.values());
        System.out.printf("wrote %s and %s (%d alerts on the stream)%n", truthFile, arrivalsFile, arrivals.size());
        DetectionReport.report(ledger, answered, new ArrayList<>(arrivals.values()), options);
        if (checkWebhooks) {
            // after the term and its alerts: freezes raise no alert, so the detection report above is unaffected
            webhooks.act(population, webhookInstitutions);
            webhooks.report(options.integer("settle-seconds", 20));
        }
        if (webhooks != null) {
            webhooks.close();
        }
    }

    static Path arrivalsFileFor(Path truthFile) {
        String name = truthFile.getFileName().toString().replaceFirst("\\.csv$", "");
        return truthFile.resolveSibling(name + "-alert-arrivals.csv");
    }

    /** Alerts reach the stream after the postings' answers: wait until it has been quiet a while. */
    private static void waitForQuiet(Map<String, ?> arrivals, int quietSeconds) throws InterruptedException {
        int last = -1;
        long quietSince = System.nanoTime();
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            int now = arrivals.size();
            if (now != last) {
                last = now;
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince > quietSeconds * 1_000_000_000L) {
                return;
            }
            Thread.sleep(500);
        }
    }

    private static void writeArrivals(Path file, Collection<Detection.SeenAlert> alerts) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("alertId,code,institutionId,seenAtEpochMs");
        alerts.forEach(a -> lines.add(a.alertId() + "," + a.code() + "," + a.institutionId() + "," + a.seenAtEpochMs()));
        Files.write(file, lines);
    }

    /** Expected alerts from the oracle, plus a row for every institution that should raise nothing. */
    static List<GroundTruth.Row> truth(TermPlan plan, List<RuleOracle.Trigger> triggers) {
        Map<String, Population.Institution> byId = new HashMap<>();
        plan.population.institutions().forEach(i -> byId.put(i.institutionId(), i));
        List<GroundTruth.Row> rows = new ArrayList<>();
        Set<String> alerting = new HashSet<>();
        for (RuleOracle.Trigger trigger : triggers) {
            Population.Institution institution = byId.get(trigger.institutionId());
            boolean intended = institution.scenario().expectedCodes().contains(trigger.code());
            String scenario = intended ? institution.scenario().label()
                    : trigger.code().equals("CHARGE_CAP_EXCEEDED") ? "stray-over-cap"
                    : "incidental-to-" + institution.scenario().label();
            Action decisive = trigger.decisive();
            rows.add(new GroundTruth.Row(trigger.institutionId(), trigger.accountId(), scenario, trigger.code(),
                    decisive == null ? "sweep" : decisive.clientId(),
                    decisive == null ? Wire.instant(plan.calendar.end()) : Wire.instant(decisive.fact().occurredAt()),
                    0));
            alerting.add(trigger.institutionId());
        }
        for (Population.Institution institution : plan.population.institutions()) {
            if (!alerting.contains(institution.institutionId())) {
                rows.add(new GroundTruth.Row(institution.institutionId(), institution.accountIds().get(0),
                        institution.scenario().label(), "", "", "", 0));
            }
        }
        return rows;
    }

    // ------------------------------------------------------------------ playing the plan

    /**
     * A day runs in three steps, each waiting for the one before: what precedes the bank's batch (policy
     * changes, lesson confirmations), the batch, what follows it (outflows, then the statements). Within
     * a step an account's requests keep their planned order, which is all the rules depend on.
     */
    private static final List<Set<Action.Phase>> STEPS = List.of(
            Set.of(Action.Phase.REGULATOR, Action.Phase.PLATFORM),
            Set.of(Action.Phase.BANK_BATCH),
            Set.of(Action.Phase.BANK_SINGLE, Action.Phase.STATEMENT));

    private void play() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            runStep(pool, plan.setup);
            for (List<Action> day : plan.days) {
                for (Set<Action.Phase> step : STEPS) {
                    List<Action> actions = day.stream().filter(a -> step.contains(a.phase())).toList();
                    if (!actions.isEmpty()) {
                        runStep(pool, actions);
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Chains run concurrently, each one's requests in order; batchable postings travel in batches. */
    private void runStep(ExecutorService pool, List<Action> actions) throws Exception {
        Map<String, List<Action>> chains = new LinkedHashMap<>();
        for (Action action : actions) {
            chains.computeIfAbsent(action.chain(), c -> new ArrayList<>()).add(action);
        }
        List<Future<?>> running = new ArrayList<>();
        if (actions.get(0).batched()) {
            // a bank batches its own accounts' postings
            Map<String, List<List<Action>>> byBank = new LinkedHashMap<>();
            for (List<Action> chain : chains.values()) {
                byBank.computeIfAbsent(chain.get(0).principal(), b -> new ArrayList<>()).add(chain);
            }
            for (List<List<Action>> bankChains : byBank.values()) {
                List<Action> batch = new ArrayList<>();
                for (List<Action> chain : bankChains) {
                    if (batch.size() + chain.size() > BATCH_LIMIT) {
                        List<Action> full = batch;
                        running.add(pool.submit(() -> sendBatch(full)));
                        batch = new ArrayList<>();
                    }
                    batch.addAll(chain);
                }
                List<Action> last = batch;
                running.add(pool.submit(() -> sendBatch(last)));
            }
        } else {
            for (List<Action> chain : chains.values()) {
                running.add(pool.submit(() -> chain.forEach(this::sendOne)));
            }
        }
        for (Future<?> future : running) {
            future.get();
        }
    }

    /** What the ledger answered, as the generated client reads it: a status and a typed body (or a problem's text). */
    private record Sent(int status, Object body) {
    }

    /** An operation of the generated client. */
    private interface Call {
        ApiResponse<?> send() throws ApiException;
    }

    private void sendOne(Action action) {
        Sent answer = withRetries(() -> call(action));
        check(action, answer.status(), answer.body());
        finished(action);
    }

    /** The operation an action's typed body asks for; an approval is the one request without a body. */
    private ApiResponse<?> call(Action action) throws ApiException {
        LedgerClient.Apis apis = ledger.as(action.principal());
        Object body = action.body();
        if (body instanceof RegisterInstitutionRequest register) {
            return apis.institutions().registerInstitutionWithHttpInfo(register);
        } else if (body == null) {
            return apis.institutions().approveInstitutionWithHttpInfo(action.institutionId());
        } else if (body instanceof SupervisionPolicyRequest policy) {
            return apis.institutions().setSupervisionPolicyWithHttpInfo(action.institutionId(), policy);
        } else if (body instanceof OpenAccountRequest open) {
            return apis.accounts().openAccountWithHttpInfo(open);
        } else if (body instanceof PostingRequest posting) {
            return apis.postings().postTransactionWithHttpInfo(action.accountId(), posting);
        } else if (body instanceof DailyStatementRequest statement) {
            return apis.postings().postStatementWithHttpInfo(action.accountId(), statement);
        } else if (body instanceof ConsumptionRequest consumption) {
            return apis.consumptions().confirmConsumptionWithHttpInfo(action.accountId(), action.orderId(), consumption);
        }
        throw new IllegalArgumentException("no operation for " + body.getClass().getSimpleName());
    }

    private void sendBatch(List<Action> batch) {
        PostingBatchRequest request = new PostingBatchRequest()
                .transactions(batch.stream().map(action -> (PostingRequest) action.body()).toList());
        LedgerClient.Apis apis = ledger.as(batch.get(0).principal());
        Sent answer = withRetries(() -> apis.postings().postTransactionBatchWithHttpInfo(request));
        if (answer.status() != 200) {
            for (Action action : batch) {
                check(action, answer.status(), answer.body());
                finished(action);
            }
            return;
        }
        List<BatchItemResult> results = ((PostingBatchResult) answer.body()).getResults();
        for (int i = 0; i < batch.size(); i++) {
            BatchItemResult result = results.get(i);
            check(batch.get(i), result.getStatus(), result.getBody().getActualInstance());
            finished(batch.get(i));
        }
    }

    /** Sends until the ledger answers other than "too many requests" or "unavailable"; a refusal is an answer. */
    private Sent withRetries(Call call) {
        Sent answer = null;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            try {
                ApiResponse<?> response = call.send();
                return new Sent(response.getStatusCode(), response.getData());
            } catch (ApiException refused) {
                answer = new Sent(refused.getCode(), refused.getResponseBody());
                boolean unanswered = refused.getCode() == 0;
                if (unanswered && attempt == MAX_ATTEMPTS) {
                    throw new IllegalStateException(refused);
                }
                if (!unanswered && refused.getCode() != 429 && refused.getCode() != 503) {
                    return answer;
                }
            }
            try {
                Thread.sleep(200L * attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return answer;
    }

    private void finished(Action action) {
        if (action.clientId() != null && decisiveIds.contains(action.clientId())) {
            answeredAt.put(action.clientId(), System.currentTimeMillis());
        }
        int count = done.incrementAndGet();
        synchronized (progress) {
            progress.update(count, "day " + action.day() + "/" + TermPlan.DAYS + ", unexpected " + unexpected.get());
        }
    }

    /** An answer other than planned means the simulator's book and the ledger disagree: count and show it. */
    private void check(Action action, int status, Object body) {
        String problem = null;
        if (status != action.expectedStatus()) {
            problem = "status " + status;
        } else if (action.expectedBalanceFen() != null
                && Wire.fen(((PostingResult) body).getBalance()) != action.expectedBalanceFen()) {
            problem = "balance " + ((PostingResult) body).getBalance() + ", planned "
                    + Wire.money(action.expectedBalanceFen());
        } else if (action.phase() == Action.Phase.STATEMENT) {
            StatementResult.ResultEnum planned = action.fact() == null ? StatementResult.ResultEnum.RECONCILED
                    : StatementResult.ResultEnum.MISMATCHED;
            if (planned != ((StatementResult) body).getResult()) {
                problem = "statement " + body;
            }
        }
        if (problem != null) {
            unexpected.incrementAndGet();
            if (unexpectedSamples.size() < 10) {
                unexpectedSamples.add(action.method() + " " + action.path() + " " + action.clientId() + ": " + problem
                        + " " + (body == null ? "" : body.toString()));
            }
        }
    }
}
