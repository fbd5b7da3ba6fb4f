package cn.prepaid.ledger.store.commands;

import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandResultMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.callbacks.FutureCallback;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends a command and tells whether its answer was an idempotent replay. A command that lost a race
 * for an aggregate's next sequence number (another thread or another node appended first) is run
 * again on fresh state ({@link LostRaceRetry}); inside an enclosing transaction the enclosing
 * {@link TransactionalAtomicWork} retries the whole unit instead.
 */
public class CommandDispatcher {

    private final CommandBus commandBus;
    private final LostRaceRetry retry = new LostRaceRetry(LostRaceRetry.DEFAULT_BUDGET);
    private final AtomicLong lostRacesRetried = new AtomicLong();

    public CommandDispatcher(CommandBus commandBus) {
        this.commandBus = commandBus;
    }

    public record Outcome<T>(T payload, boolean replayed) {
    }

    public <T> Outcome<T> dispatch(Object command) {
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            return dispatchOnce(command);
        }
        return retry.run(() -> dispatchOnce(command), lostRacesRetried::incrementAndGet);
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
            throw unchecked(result.exceptionResult());
        }
        boolean replayed = Boolean.TRUE.equals(result.getMetaData().get(IdempotencyInterceptor.REPLAY_METADATA));
        return new Outcome<>(result.getPayload(), replayed);
    }

    /** A command's failure as its caller gets it: itself when unchecked (an Error is thrown at once), else wrapped. */
    static RuntimeException unchecked(Throwable failure) {
        if (failure instanceof RuntimeException runtime) {
            return runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        return new IllegalStateException("command failed: " + failure.getMessage(), failure);
    }
}
