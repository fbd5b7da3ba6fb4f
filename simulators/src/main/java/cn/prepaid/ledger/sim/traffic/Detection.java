package cn.prepaid.ledger.sim.traffic;

import cn.prepaid.ledger.sim.Stats;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Scores the ledger's alerts against the ground truth. The unit is an (institution, alert code) pair:
 * a pair the truth expects and the ledger alerted is a true positive, alerted but not expected a
 * false positive, expected but not alerted a miss. Only institutions of the run count. The time to
 * detect is from the ledger's answer to the decisive request to the first alert of the pair (its
 * arrival on the live stream when the run listened, else its {@code raisedAt}).
 */
final class Detection {

    /** One alert as the report saw it: when it became known, in epoch ms. */
    record SeenAlert(String alertId, String code, String institutionId, long seenAtEpochMs) {
    }

    record CodeScore(String code, int expected, int truePositives, int falsePositives, int misses,
                     List<Long> latenciesMs) {

        double precision() {
            return truePositives + falsePositives == 0 ? Double.NaN
                    : (double) truePositives / (truePositives + falsePositives);
        }

        double recall() {
            return expected == 0 ? Double.NaN : (double) truePositives / expected;
        }

        Stats latency() {
            return Stats.ofNanos(latenciesMs.stream().map(ms -> ms * 1_000_000L).toList());
        }
    }

    record Result(Map<String, CodeScore> byCode, List<String> falsePositives, List<String> misses) {
    }

    private Detection() {
    }

    static Result score(List<GroundTruth.Row> truth, List<SeenAlert> alerts) {
        Set<String> population = new HashSet<>();
        Map<String, Long> expected = new HashMap<>(); // pair → decisive answer time (earliest)
        Map<String, String> scenarioOf = new HashMap<>();
        for (GroundTruth.Row row : truth) {
            population.add(row.institutionId());
            scenarioOf.putIfAbsent(row.institutionId(), row.scenario());
            if (row.expectsAlert()) {
                expected.merge(pair(row.institutionId(), row.expectedCode()), row.wallAtEpochMs(),
                        (a, b) -> a == 0 ? b : b == 0 ? a : Math.min(a, b));
            }
        }
        Map<String, Long> alerted = new HashMap<>(); // pair → first seen
        for (SeenAlert alert : alerts) {
            if (population.contains(alert.institutionId())) {
                alerted.merge(pair(alert.institutionId(), alert.code()), alert.seenAtEpochMs(), Math::min);
            }
        }
        Set<String> codes = new TreeSet<>();
        expected.keySet().forEach(p -> codes.add(codeOf(p)));
        alerted.keySet().forEach(p -> codes.add(codeOf(p)));
        Map<String, CodeScore> byCode = new TreeMap<>();
        List<String> falsePositives = new ArrayList<>();
        List<String> misses = new ArrayList<>();
        for (String code : codes) {
            int exp = 0;
            int tp = 0;
            int fp = 0;
            int miss = 0;
            List<Long> latencies = new ArrayList<>();
            for (Map.Entry<String, Long> e : expected.entrySet()) {
                if (!codeOf(e.getKey()).equals(code)) {
                    continue;
                }
                exp++;
                Long seen = alerted.get(e.getKey());
                if (seen == null) {
                    miss++;
                    misses.add(e.getKey() + " (" + scenarioOf.get(institutionOf(e.getKey())) + ")");
                } else {
                    tp++;
                    if (e.getValue() > 0) {
                        latencies.add(Math.max(0, seen - e.getValue()));
                    }
                }
            }
            for (String p : alerted.keySet()) {
                if (codeOf(p).equals(code) && !expected.containsKey(p)) {
                    fp++;
                    falsePositives.add(p + " (" + scenarioOf.get(institutionOf(p)) + ")");
                }
            }
            byCode.put(code, new CodeScore(code, exp, tp, fp, miss, latencies));
        }
        return new Result(byCode, falsePositives, misses);
    }

    /** The summary table, markdown. */
    static String table(Result result) {
        StringBuilder out = new StringBuilder();
        out.append("| alert code | expected | true positives | false positives | misses | precision | recall "
                + "| decisive posting → alert p50 / p99 ms |\n|---|---|---|---|---|---|---|---|\n");
        int exp = 0;
        int tp = 0;
        int fp = 0;
        int miss = 0;
        List<Long> all = new ArrayList<>();
        for (CodeScore s : result.byCode().values()) {
            out.append(row(s));
            exp += s.expected();
            tp += s.truePositives();
            fp += s.falsePositives();
            miss += s.misses();
            all.addAll(s.latenciesMs());
        }
        CodeScore total = new CodeScore("**all**", exp, tp, fp, miss, all);
        out.append(row(total));
        return out.toString();
    }

    private static String row(CodeScore s) {
        Stats latency = s.latency();
        String times = latency.count() == 0 ? "–" : String.format("%.0f / %.0f", latency.p50(), latency.p99());
        return String.format("| %s | %d | %d | %d | %d | %s | %s | %s |%n", s.code(), s.expected(), s.truePositives(),
                s.falsePositives(), s.misses(), ratio(s.precision()), ratio(s.recall()), times);
    }

    private static String ratio(double value) {
        return Double.isNaN(value) ? "–" : String.format("%.2f", value);
    }

    private static String pair(String institutionId, String code) {
        return institutionId + " " + code;
    }

    private static String codeOf(String pair) {
        return pair.substring(pair.indexOf(' ') + 1);
    }

    private static String institutionOf(String pair) {
        return pair.substring(0, pair.indexOf(' '));
    }
}
