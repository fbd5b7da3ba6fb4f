package cn.prepaid.ledger.sim;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Simulators and benchmarks against a running ledger, over HTTP only.
 *
 * <pre>
 * java -jar simulators/target/simulators.jar alert-latency [--base http://localhost:8080]
 *      [--principals ./data/demo-principals.json] [--rates 100,250,500] [--seconds 20] [--accounts 200]
 * </pre>
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !"alert-latency".equals(args[0])) {
            System.err.println("usage: alert-latency [--base URL] [--principals FILE] [--rates 100,250,500] "
                    + "[--seconds N] [--accounts N]");
            System.exit(2);
        }
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        LedgerClient ledger = new LedgerClient(options.getOrDefault("base", "http://localhost:8080"),
                LedgerClient.keysFrom(Path.of(options.getOrDefault("principals", "./data/demo-principals.json"))));
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "20"));
        int accounts = Integer.parseInt(options.getOrDefault("accounts", "200"));
        System.out.println("| target postings/s | achieved/s | postings | failed | alerts matched "
                + "| posting p50 / p99 ms | posting→alert p50 / p90 / p99 / max ms |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (String rate : options.getOrDefault("rates", "100,250,500").split(",")) {
            AlertLatencyBenchmark.Result result = new AlertLatencyBenchmark(ledger, accounts)
                    .run(Integer.parseInt(rate.trim()), seconds);
            System.out.printf("| %d | %.0f | %d | %d | %d | %.1f / %.1f | %.1f / %.1f / %.1f / %.1f |%n",
                    result.postingsPerSecondTarget(), result.postingsPerSecondAchieved(), result.postings(),
                    result.failed(), result.alertsMatched(), result.postingLatencyMs().p50(),
                    result.postingLatencyMs().p99(), result.alertLatencyMs().p50(), result.alertLatencyMs().p90(),
                    result.alertLatencyMs().p99(), result.alertLatencyMs().max());
        }
    }
}
