package cn.prepaid.ledger.sim.traffic;

import cn.prepaid.ledger.sim.LedgerClient;
import cn.prepaid.ledger.sim.Options;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code detect} command, and the report at the end of {@code traffic}: fetches every alert
 * ({@code GET /alerts}, paged, as the national regulator) and scores it against a ground-truth file.
 * An alert's time is its arrival on the live stream when the run recorded one (the
 * {@code -alert-arrivals.csv} next to the truth file), else its {@code raisedAt}.
 */
public final class DetectionReport {

    private static final int PAGE_SIZE = 500;

    private DetectionReport() {
    }

    public static void main(Options options) throws Exception {
        Population population = TrafficRun.population(options);
        LedgerClient ledger = new LedgerClient(options.text("base", "http://localhost:8080"),
                Population.keysByPrincipal(population.principals()));
        Path truthFile = Path.of(options.text("truth", "ground-truth.csv"));
        Path arrivalsFile = TrafficRun.arrivalsFileFor(truthFile);
        report(ledger, GroundTruth.read(truthFile), Files.exists(arrivalsFile) ? readArrivals(arrivalsFile) : List.of(),
                options);
    }

    static void report(LedgerClient ledger, List<GroundTruth.Row> truth, List<Detection.SeenAlert> arrivals,
                       Options options) {
        Map<String, Long> arrivedAt = new HashMap<>();
        arrivals.forEach(a -> arrivedAt.put(a.alertId(), a.seenAtEpochMs()));
        List<Detection.SeenAlert> alerts = new ArrayList<>();
        int streamed = 0;
        for (JsonNode alert : fetchAlerts(ledger)) {
            String id = alert.path("alertId").asString();
            Long arrived = arrivedAt.get(id);
            streamed += arrived == null ? 0 : 1;
            long seen = arrived != null ? arrived : Instant.parse(alert.path("raisedAt").asString()).toEpochMilli();
            alerts.add(new Detection.SeenAlert(id, alert.path("code").asString(), alert.path("institutionId").asString(),
                    seen));
        }
        Detection.Result result = Detection.score(truth, alerts);
        System.out.printf("%n%d alerts fetched (%d timed by their stream arrival, the rest by raisedAt)%n%n",
                alerts.size(), streamed);
        System.out.print(Detection.table(result));
        int show = options.integer("show", 15);
        result.misses().stream().limit(show).forEach(m -> System.out.println("  miss: " + m));
        result.falsePositives().stream().limit(show).forEach(f -> System.out.println("  false positive: " + f));
    }

    private static List<JsonNode> fetchAlerts(LedgerClient ledger) {
        List<JsonNode> all = new ArrayList<>();
        for (int page = 0; ; page++) {
            LedgerClient.Answer answer = ledger.get("REGULATOR", "/api/v1/alerts?page=" + page + "&size=" + PAGE_SIZE);
            if (answer.status() != 200) {
                throw new IllegalStateException("GET /alerts answered " + answer.status() + ": " + answer.body());
            }
            answer.body().path("content").forEach(all::add);
            if (answer.body().path("content").size() < PAGE_SIZE
                    || all.size() >= answer.body().path("totalElements").asLong()) {
                return all;
            }
        }
    }

    private static List<Detection.SeenAlert> readArrivals(Path file) throws IOException {
        List<Detection.SeenAlert> arrivals = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            String[] fields = line.split(",", -1);
            if (fields.length == 4 && !fields[0].equals("alertId")) {
                arrivals.add(new Detection.SeenAlert(fields[0], fields[1], fields[2], Long.parseLong(fields[3])));
            }
        }
        return arrivals;
    }
}
