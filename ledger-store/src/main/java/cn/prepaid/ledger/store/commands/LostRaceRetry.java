package cn.prepaid.ledger.store.commands;

import org.axonframework.modelling.command.ConcurrencyException;
import org.springframework.dao.PessimisticLockingFailureException;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Runs work again when it lost a race, until it wins or a time budget is spent: a race for an
 * aggregate's next sequence number (two nodes creating the same aggregate; commands on an existing one
 * wait for each other's advisory lock instead, see {@code VersionCheckedAggregateCache}), or a deadlock
 * PostgreSQL broke by stopping this transaction.
 *
 * <p>The budget is time, not a count of attempts, because a loser can lose several times in a row on a
 * loaded machine. Back-off is jittered and capped, so the loser tries again soon after the winner pauses.
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
            } catch (ConcurrencyException | PessimisticLockingFailureException lostRace) {
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
