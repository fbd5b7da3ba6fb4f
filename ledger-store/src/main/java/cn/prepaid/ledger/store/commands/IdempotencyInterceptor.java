package cn.prepaid.ledger.store.commands;

import cn.prepaid.ledger.core.idempotency.IdempotentCommand;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandResultMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.unitofwork.UnitOfWork;

import java.util.Optional;

/**
 * Applies every {@link IdempotentCommand} at most once, deciding inside the command's own database
 * transaction, so the decision is atomic with the append and holds across restarts and nodes.
 *
 * <ol>
 *   <li>Claim the key ({@link IdempotencyStore#claim}). A concurrent claim of the same key by an
 *       uncommitted transaction makes PostgreSQL wait until that one commits or rolls back.</li>
 *   <li>Claimed: run the command and store its outcome in the claim row, in the same transaction as
 *       the events. If the command fails, the claim rolls back with it.</li>
 *   <li>Already claimed: same fingerprint → answer the stored outcome, marked with
 *       {@value #REPLAY_METADATA} metadata, without touching the aggregate; different fingerprint →
 *       {@code IdempotencyConflictException}.</li>
 * </ol>
 * Runs after Axon's transaction interceptor, so it shares the connection with the event append.
 */
public class IdempotencyInterceptor implements MessageHandlerInterceptor<CommandMessage<?>> {

    public static final String REPLAY_METADATA = "idempotentReplay";

    private final IdempotencyStore store;

    public IdempotencyInterceptor(IdempotencyStore store) {
        this.store = store;
    }

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
        Object command = unitOfWork.getMessage().getPayload();
        if (!(command instanceof IdempotentCommand idempotent)) {
            return chain.proceed();
        }
        Optional<IdempotencyStore.Replay> replay = store.claim(idempotent);
        if (replay.isPresent()) {
            return new GenericCommandResultMessage<>(replay.get().outcome(), MetaData.with(REPLAY_METADATA, true));
        }
        Object result = chain.proceed();
        store.complete(idempotent, result instanceof ResultMessage<?> message ? message.getPayload() : result);
        return result;
    }
}
