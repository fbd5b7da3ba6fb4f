package cn.prepaid.ledger.sim;

import java.util.ArrayList;
import java.util.List;

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
                Seeding.institution(ledger, institution, "bench " + run + " " + a);
            }
            String account = "B" + run + "-" + a;
            Seeding.account(ledger, account, institution);
            accountIds.add(account);
        }
        return accountIds;
    }

    /** A short id unique to this run. */
    static String runId() {
        return Long.toString(System.currentTimeMillis() % 100_000_000L, 36);
    }
}
