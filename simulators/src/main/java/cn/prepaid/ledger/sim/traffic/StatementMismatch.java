package cn.prepaid.ledger.sim.traffic;

import java.util.Set;

/** One daily statement (day 55's) whose closing balance misses ¥1,234.00. */
final class StatementMismatch implements ScenarioPlan {

    private static final int WRONG_STATEMENT_DAY = 55;
    private static final long MISSING_FROM_STATEMENT_FEN = 123_400;

    @Override
    public Set<String> expectedCodes() {
        return Set.of("RECONCILIATION_MISMATCH");
    }

    @Override
    public long statementShortfallFen(int day) {
        return day == WRONG_STATEMENT_DAY ? MISSING_FROM_STATEMENT_FEN : 0;
    }
}
