package cn.prepaid.ledger.store.commands;

import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.CannotAcquireLockException;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LostRaceRetryTest {

    @Test
    void aLoserThatLosesManyTimesInARowStillWinsWithinTheBudget() {
        AtomicInteger attempts = new AtomicInteger();
        AtomicInteger retries = new AtomicInteger();
        LostRaceRetry retry = new LostRaceRetry(Duration.ofSeconds(30));

        String answer = retry.run(() -> {
            if (attempts.incrementAndGet() <= 12) {
                throw new ConcurrencyException("sequence number taken");
            }
            return "appended";
        }, retries::incrementAndGet);

        assertThat(answer).isEqualTo("appended");
        assertThat(attempts).hasValue(13);
        assertThat(retries).hasValue(12);
    }

    @Test
    void aRaceLostForLongerThanTheBudgetIsReportedAsLost() {
        AtomicInteger attempts = new AtomicInteger();
        LostRaceRetry retry = new LostRaceRetry(Duration.ofMillis(60));
        long start = System.nanoTime();

        assertThatThrownBy(() -> retry.run(() -> {
            attempts.incrementAndGet();
            throw new ConcurrencyException("sequence number taken");
        }, () -> { })).isInstanceOf(ConcurrencyException.class);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(60));
        assertThat(attempts.get()).isGreaterThan(1);
    }

    @Test
    void aTransactionPostgresStoppedToBreakADeadlockRunsAgain() {
        AtomicInteger attempts = new AtomicInteger();
        LostRaceRetry retry = new LostRaceRetry(Duration.ofSeconds(30));

        String answer = retry.run(() -> {
            if (attempts.incrementAndGet() == 1) {
                throw new CannotAcquireLockException("ERROR: deadlock detected (SQLState 40P01)");
            }
            return "appended";
        }, () -> { });

        assertThat(answer).isEqualTo("appended");
        assertThat(attempts).hasValue(2);
    }

    @Test
    void otherFailuresAreNotRetried() {
        AtomicInteger attempts = new AtomicInteger();
        LostRaceRetry retry = new LostRaceRetry(Duration.ofSeconds(30));

        assertThatThrownBy(() -> retry.run(() -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("refused");
        }, () -> { })).isInstanceOf(IllegalStateException.class);

        assertThat(attempts).hasValue(1);
    }
}
