package cn.prepaid.ledger.store.aggregates;

import cn.prepaid.ledger.store.events.StoredVersions;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.command.ConcurrencyException;

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

    private final VersionCheckedAggregateCache cache;
    private final StoredVersions storedVersions;

    public StaleDecisionGuard(VersionCheckedAggregateCache cache, StoredVersions storedVersions) {
        this.cache = cache;
        this.storedVersions = storedVersions;
    }

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
        HandedOutAggregates handedOut = HandedOutAggregates.openFor(unitOfWork);
        Object result;
        try {
            result = chain.proceed();
        } catch (Exception refused) {
            handedOut.closeFor(unitOfWork);
            throwIfStale(handedOut);
            throw refused;
        }
        handedOut.closeFor(unitOfWork);
        throwIfStale(handedOut);
        return result;
    }

    private void throwIfStale(HandedOutAggregates handedOut) {
        for (HandedOutAggregates.HandedOut at : handedOut.all()) {
            if (at.changedSince()) {
                continue;
            }
            if (!Objects.equals(at.version(), storedVersions.latest(at.identifier()))) {
                cache.remove(at.identifier());
                throw new ConcurrencyException("aggregate " + at.identifier() + " was decided on at version "
                        + at.version() + ", which another process had moved on from; the command runs again");
            }
        }
    }
}
