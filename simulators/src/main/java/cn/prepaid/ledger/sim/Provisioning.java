package cn.prepaid.ledger.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Institutions and accounts for a benchmark run, set up over the API with the demo principals. */
final class Provisioning {

    private Provisioning() {
    }

    /**
     * {@code count} accounts of one bank, ten to an institution; each institution registered and approved
     * by the regulator. Ids carry {@code run}, so runs against the same ledger never collide.
     */
    static List<String> accounts(LedgerClient ledger, String run, int count) {
        List<String> accountIds = new ArrayList<>();
        String institution = null;
        for (int a = 0; a < count; a++) {
            if (a % 10 == 0) {
                institution = Ids.institutionId("330106", Math.abs((run + a).hashCode()));
                require(ledger.post("REGULATOR", "/api/v1/institutions", Map.of(
                        "institutionId", institution, "name", "bench " + run + " " + a, "regionCode", "330106",
                        "category", "NON_SUBJECT", "supervisionMode", "FULL_CUSTODY")), 201);
                require(ledger.post("REGULATOR", "/api/v1/institutions/" + institution + "/approve", null), 200);
            }
            String account = "B" + run + "-" + a;
            require(ledger.post("BANK", "/api/v1/accounts", Map.of("accountId", account, "institutionId", institution,
                    "bankAccountNo", "62" + a)), 201);
            accountIds.add(account);
        }
        return accountIds;
    }

    /** A short id unique to this run. */
    static String runId() {
        return Long.toString(System.currentTimeMillis() % 100_000_000L, 36);
    }

    static void require(LedgerClient.Answer answer, int status) {
        if (answer.status() != status) {
            throw new IllegalStateException("expected " + status + " but the ledger answered " + answer.status() + ": "
                    + answer.body());
        }
    }
}
