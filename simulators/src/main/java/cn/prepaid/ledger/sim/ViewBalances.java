package cn.prepaid.ledger.sim;

import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/** The balances a node's views show, held against what a fault's clients had acknowledged. */
final class ViewBalances {

    /** Fen missing from and fen too many in the balances, and how many accounts' balances are off. */
    record Gaps(long lostFen, long twiceFen, long accountsOff) {

        boolean none() {
            return accountsOff == 0;
        }
    }

    private ViewBalances() {
    }

    /**
     * Each account's balance in its view against {@code expectedFen}, looked at again every {@code poll} while it
     * differs, until the views have caught up or {@code catchUpFor} has passed.
     */
    static Gaps compare(LedgerClient node, Map<String, Long> expectedFen, Duration catchUpFor, Duration poll) {
        return compare(node, expectedFen, "", catchUpFor, poll);
    }

    /**
     * The same for the balance read under each account's path plus {@code query} (its view: "", a replay from the
     * events: "/balance?fullReplay=true").
     */
    static Gaps compare(LedgerClient node, Map<String, Long> expectedFen, String query, Duration catchUpFor,
                        Duration poll) {
        long until = System.nanoTime() + catchUpFor.toNanos();
        long lost = 0;
        long twice = 0;
        long off = 0;
        for (Map.Entry<String, Long> account : expectedFen.entrySet()) {
            String path = "/api/v1/accounts/" + account.getKey() + query;
            long balance = balanceFen(node, path);
            while (balance != account.getValue() && System.nanoTime() < until) {
                LockSupport.parkNanos(poll.toNanos());
                balance = balanceFen(node, path);
            }
            lost += Math.max(0, account.getValue() - balance);
            twice += Math.max(0, balance - account.getValue());
            off += balance == account.getValue() ? 0 : 1;
        }
        return new Gaps(lost, twice, off);
    }

    private static long balanceFen(LedgerClient node, String path) {
        JsonNode view = node.get("AUDITOR", path).body();
        return new BigDecimal(view.get("balance").asString()).movePointRight(2).longValueExact();
    }
}
