package cn.prepaid.ledger.api.commands;

import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandResultMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.callbacks.FutureCallback;
import org.axonframework.modelling.command.ConcurrencyException;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends a command and tells whether its answer was an idempotent replay. A command that lost a race
 * for an aggregate's next sequence number (another thread or another node appended first) is run
 * again on fresh state, a few times with jittered back-off; inside an enclosing transaction the
 * enclosing {@link TransactionalAtomicWork} retries the whole unit instead.
 */
public class CommandDispatcher {

    static final int MAX_ATTEMPTS = 6;

    private final CommandBus commandBus;
    private final AtomicLong lostRacesRetried = new AtomicLong();

    public CommandDispatcher(CommandBus commandBus) {
        this.commandBus = commandBus;
    }

    public record Outcome<T>(T payload, boolean replayed) {
    }

    public <T> Outcome<T> dispatch(Object command) {
        boolean mayRetry = !TransactionSynchronizationManager.isActualTransactionActive();
        for (int attempt = 1; ; attempt++) {
            try {
                return dispatchOnce(command);
            } catch (ConcurrencyException lostRace) {
                if (!mayRetry || attempt >= MAX_ATTEMPTS) {
                    throw lostRace;
                }
                lostRacesRetried.incrementAndGet();
                backOff(attempt);
            }
        }
    }

    /** How many commands were run again after losing a race for an aggregate (a gauge for operators). */
    public long lostRacesRetried() {
        return lostRacesRetried.get();
    }

    private <T> Outcome<T> dispatchOnce(Object command) {
        FutureCallback<Object, T> callback = new FutureCallback<>();
        commandBus.dispatch(GenericCommandMessage.asCommandMessage(command), callback);
        CommandResultMessage<? extends T> result = callback.getResult();
        if (result.isExceptional()) {
            Throwable failure = result.exceptionResult();
            if (failure instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (failure instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("command failed: " + failure.getMessage(), failure);
        }
        boolean replayed = Boolean.TRUE.equals(result.getMetaData().get(IdempotencyInterceptor.REPLAY_METADATA));
        return new Outcome<>(result.getPayload(), replayed);
    }

    static void backOff(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 5L << attempt));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a command", interrupted);
        }
    }
}
