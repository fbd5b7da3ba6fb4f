package cn.prepaid.ledger.api.storage;

import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.ConcurrencyException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Lets a command use cached aggregates without first asking the database for their version, and
 * asks afterwards, only where it matters (see {@link VersionCheckedAggregateCache}): for every cached
 * aggregate the command left unchanged, whether it ended normally or by a refusal. If another process
 * had moved such an aggregate on, the decision was made on stale state: the cache entry is dropped and
 * a {@link ConcurrencyException} replaces the answer, so the command runs again on fresh state, as a
 * lost race does. An aggregate the command changed needs no question: its append collides with the
 * other process's events.
 */
public class StaleDecisionGuard implements MessageHandlerInterceptor<CommandMessage<?>> {

    private static final String WATCHED = StaleDecisionGuard.class.getName() + ".watched";

    private final VersionCheckedAggregateCache cache;

    public StaleDecisionGuard(VersionCheckedAggregateCache cache) {
        this.cache = cache;
    }

    /** A cached aggregate as it was handed out. */
    private record Served(Aggregate<?> aggregate, Long version) {
    }

    /**
     * Called by the cache: whether the current command is watched; if so the aggregate is noted with
     * its version as handed out, to be checked when the command is done.
     */
    static boolean watch(String aggregateIdentifier, Aggregate<?> aggregate) {
        if (!CurrentUnitOfWork.isStarted()) {
            return false;
        }
        Map<String, Served> watched = CurrentUnitOfWork.get().getResource(WATCHED);
        if (watched == null) {
            return false;
        }
        watched.putIfAbsent(aggregateIdentifier, new Served(aggregate, aggregate.version()));
        return true;
    }

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
        Map<String, Served> watched = new LinkedHashMap<>();
        unitOfWork.resources().put(WATCHED, watched);
        Object result;
        try {
            result = chain.proceed();
        } catch (Exception refused) {
            unitOfWork.resources().remove(WATCHED);
            throwIfStale(watched);
            throw refused;
        }
        unitOfWork.resources().remove(WATCHED);
        throwIfStale(watched);
        return result;
    }

    private void throwIfStale(Map<String, Served> watched) {
        for (Map.Entry<String, Served> served : watched.entrySet()) {
            Served at = served.getValue();
            if (!Objects.equals(at.aggregate().version(), at.version())) {
                continue; // it appended: a stale version cannot commit
            }
            if (!Objects.equals(at.version(), cache.storedVersion(served.getKey()))) {
                cache.remove(served.getKey());
                throw new ConcurrencyException("aggregate " + served.getKey() + " was decided on at version "
                        + at.version() + ", which another process had moved on from; the command runs again");
            }
        }
    }
}
