package cn.prepaid.ledger.store.commands;

import org.axonframework.modelling.command.ConcurrencyException;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Runs work again when it lost a race for an aggregate's next sequence number, until it wins or a
 * time budget is spent.
 *
 * <p>The budget is time, not a count of attempts, because a loser can lose many times in a row: the
 * node that won goes on deciding on its warm cache while the loser reloads the aggregate from the
 * store, so a busy winner keeps beating it until the winner's own work is done. Six attempts were
 * too few for two nodes posting flat out to one account on a loaded 2-core machine. Back-off is
 * jittered and capped, so the loser tries again soon after the winner pauses.
 */
final class LostRaceRetry {

    static final Duration DEFAULT_BUDGET = Duration.ofSeconds(5);
    private static final long MAX_BACK_OFF_MILLIS = 40;

    private final long budgetNanos;

    LostRaceRetry(Duration budget) {
        this.budgetNanos = budget.toNanos();
    }

    /** Runs {@code work}; after each lost race calls {@code onRetry} and runs it again. */
    <T> T run(Supplier<T> work, Runnable onRetry) {
        long start = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            try {
                return work.get();
            } catch (ConcurrencyException lostRace) {
                if (System.nanoTime() - start >= budgetNanos) {
                    throw lostRace;
                }
                onRetry.run();
                backOff(attempt);
            }
        }
    }

    private static void backOff(int attempt) {
        long ceiling = Math.min(MAX_BACK_OFF_MILLIS, 2L << Math.min(attempt, 10));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, ceiling + 1));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying after a lost race", interrupted);
        }
    }
}
