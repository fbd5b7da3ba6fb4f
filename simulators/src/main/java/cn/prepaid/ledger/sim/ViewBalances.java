package cn.prepaid.ledger.sim;

import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/** The balances a node's views show, held against what a fault's clients had acknowledged. */
final class ViewBalances {

    /** Fen missing from and fen too many in the balances. */
    record Gaps(long lostFen, long twiceFen) {

        boolean none() {
            return lostFen == 0 && twiceFen == 0;
        }
    }

    private ViewBalances() {
    }

    /**
     * Each account's balance against {@code expectedFen}, looked at again every {@code poll} while it differs,
     * until the views have caught up or {@code catchUpFor} has passed.
     */
    static Gaps compare(LedgerClient node, Map<String, Long> expectedFen, Duration catchUpFor, Duration poll) {
        long until = System.nanoTime() + catchUpFor.toNanos();
        long lost = 0;
        long twice = 0;
        for (Map.Entry<String, Long> account : expectedFen.entrySet()) {
            long balance = balanceFen(node, account.getKey());
            while (balance != account.getValue() && System.nanoTime() < until) {
                LockSupport.parkNanos(poll.toNanos());
                balance = balanceFen(node, account.getKey());
            }
            lost += Math.max(0, account.getValue() - balance);
            twice += Math.max(0, balance - account.getValue());
        }
        return new Gaps(lost, twice);
    }

    private static long balanceFen(LedgerClient node, String account) {
        JsonNode view = node.get("AUDITOR", "/api/v1/accounts/" + account).body();
        return new BigDecimal(view.get("balance").asString()).movePointRight(2).longValueExact();
    }
}
