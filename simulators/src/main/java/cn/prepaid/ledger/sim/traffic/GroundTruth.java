package cn.prepaid.ledger.sim.traffic;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a run did and what it should have raised, one CSV row per expected (account, alert code) and
 * one row with an empty code per institution that should raise nothing, so a report knows the whole
 * population. {@code wallAt} is when the ledger answered the decisive request (epoch ms, 0 if none,
 * e.g. a stall only the ledger's scheduled sweep can see).
 */
final class GroundTruth {

    static final String HEADER = "institutionId,accountId,scenario,expectedCode,decisiveId,simulatedAt,wallAtEpochMs";

    record Row(String institutionId, String accountId, String scenario, String expectedCode, String decisiveId,
               String simulatedAt, long wallAtEpochMs) {

        boolean expectsAlert() {
            return !expectedCode.isEmpty();
        }

        String csv() {
            return String.join(",", institutionId, accountId, scenario, expectedCode, decisiveId, simulatedAt,
                    Long.toString(wallAtEpochMs));
        }

        Row answeredAt(long epochMs) {
            return new Row(institutionId, accountId, scenario, expectedCode, decisiveId, simulatedAt, epochMs);
        }
    }

    private GroundTruth() {
    }

    static void write(Path file, List<Row> rows) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add(HEADER);
        rows.forEach(row -> lines.add(row.csv()));
        Files.write(file, lines, StandardCharsets.UTF_8);
    }

    static List<Row> read(Path file) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.equals(HEADER)) {
                continue;
            }
            String[] fields = line.split(",", -1);
            rows.add(new Row(fields[0], fields[1], fields[2], fields[3], fields[4], fields[5], Long.parseLong(fields[6])));
        }
        return rows;
    }
}
