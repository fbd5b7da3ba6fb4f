package cn.prepaid.ledger.sim;

import cn.prepaid.ledger.sim.traffic.DetectionReport;
import cn.prepaid.ledger.sim.traffic.TrafficRun;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Simulators and benchmarks against a running ledger, over HTTP only. Every command takes
 * {@code --base URL} (default http://localhost:8080) and {@code --principals FILE} (default
 * ./data/demo-principals.json) besides its own options.
 */
public final class Main {

    /** One command of the simulator. */
    interface Command {
        void run(Options options) throws Exception;
    }

    private record Entry(String usage, Command command) {
    }

    private static final Map<String, Entry> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("alert-latency", new Entry("[--rates 100,250,500] [--seconds 20] [--accounts 200] "
                + "[--alert-every 1] [--batch 1] [--warmup 0]",
                AlertLatencyBenchmark::main));
        COMMANDS.put("speed", new Entry("[--seconds 15] [--concurrency 1,4,16,32] [--batch-concurrency 1,2,4] "
                + "[--batch-size 1000] [--batch-accounts 10] [--warmup 30] [--alert-rates 500,1000|none] "
                + "[--alert-seconds 120] [--alert-warmup 60] [--pgledger TRANSFERS_PER_SECOND] "
                + "[--jdbc URL (default: ./data/embedded-postgres.url)]", SpeedBenchmark::main));
        COMMANDS.put("nodes", new Entry("--nodes URL,URL[,URL] [--seconds 20] [--warmup 30] [--concurrency 8] "
                + "[--accounts 12] [--counts 1,2,3] [--layouts same,disjoint] [--rounds 3] [--jdbc URL] [--wrk-env FILE]", NodesBenchmark::main));
        COMMANDS.put("client-cost", new Entry("[--seconds 20] [--warmup 60] [--rounds 2] [--concurrency 8] "
                + "[--accounts 40]", ClientCost::main));
        COMMANDS.put("principals", new Entry("[--seed 1] [--banks 6] [--out sim-principals.json]",
                TrafficRun::writePrincipals));
        COMMANDS.put("traffic", new Entry("[--seed 1] [--institutions 500] [--banks 6] [--per-scenario 6] "
                + "[--concurrency 32] [--truth ground-truth.csv] [--webhook-institutions 50 (0: no webhook check)]",
                TrafficRun::main));
        COMMANDS.put("detect", new Entry("[--seed 1] [--truth ground-truth.csv]",
                DetectionReport::main));
        COMMANDS.put("history-export", new Entry("[--events 1000000] [--accounts 100] "
                + "[--institution ID [--seed-from BATCH]]", HistoryExportBenchmark::main));
        COMMANDS.put("restart-db", new Entry("--stop CMD --start CMD [--seconds 40] [--down-after 10] "
                + "[--down-for 10] [--concurrency 8] [--accounts 20]", RestartDbFault::main));
        String nodeFault = "--nodes URL,URL[,URL] --victim-pid PID --victim-name NAME --jdbc URL [--victim 0] "
                + "[--seconds 30] [--kill-after 10] [--concurrency 8] [--accounts 20]";
        COMMANDS.put("sigterm", new Entry(nodeFault, NodeFault::sigterm));
        COMMANDS.put("kill-node", new Entry(nodeFault, NodeFault::killNode));
        COMMANDS.put("failover", new Entry("--nodes URL[,URL] --kill CMD --promote CMD --jdbc URL [--seconds 40] "
                + "[--kill-after 10] [--promote-after 3] [--recover-within 30] [--retry-pause-millis 200] "
                + "[--concurrency 8] [--accounts 20]", FailoverFault::main));
        COMMANDS.put("balance-asof", new Entry("[--events 100000] [--queries 300] [--baseline 20] "
                + "[--checkpoint-every 1000] [--account ID]", BalanceAsOfBenchmark::main));
    }

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        boolean help = Arrays.asList(args).contains("--help");
        Entry entry = args.length == 0 || help ? null : COMMANDS.get(args[0]);
        if (entry == null) {
            System.err.println("usage: java -jar simulators.jar <command> [--base URL] [--principals FILE] [options]");
            COMMANDS.forEach((name, e) -> System.err.println("  " + name + " " + e.usage()));
            System.exit(2);
        }
        entry.command().run(Options.parse(args, 1));
    }
}
