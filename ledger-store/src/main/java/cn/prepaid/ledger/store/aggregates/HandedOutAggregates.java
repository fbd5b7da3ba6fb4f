package cn.prepaid.ledger.store.aggregates;

import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.command.Aggregate;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The cached aggregates a command was handed, each with the version it had then: a resource of the
 * command's unit of work. {@link StaleDecisionGuard} opens it around a command and checks it afterwards;
 * {@link VersionCheckedAggregateCache} notes what it hands out while it is open. Neither knows the other.
 */
final class HandedOutAggregates {

    private static final String RESOURCE = HandedOutAggregates.class.getName();

    /** A cached aggregate as it was handed out. */
    record HandedOut(String identifier, Aggregate<?> aggregate, Long version) {

        /** Whether the command appended to it since: a stale version then cannot commit. */
        boolean changedSince() {
            return !Objects.equals(aggregate.version(), version);
        }
    }

    private final Map<String, HandedOut> byIdentifier = new LinkedHashMap<>();

    private HandedOutAggregates() {
    }

    /** Starts noting for the command of {@code unitOfWork}. */
    static HandedOutAggregates openFor(UnitOfWork<?> unitOfWork) {
        HandedOutAggregates handedOut = new HandedOutAggregates();
        unitOfWork.resources().put(RESOURCE, handedOut);
        return handedOut;
    }

    /** Stops noting; what was noted stays readable. */
    void closeFor(UnitOfWork<?> unitOfWork) {
        unitOfWork.resources().remove(RESOURCE, this);
    }

    /**
     * Notes {@code aggregate} as handed out now, if the current command is noting; answers whether it is
     * (if not, the cache must check the version itself before handing the aggregate out).
     */
    static boolean noteIfOpen(String identifier, Aggregate<?> aggregate) {
        if (!CurrentUnitOfWork.isStarted()) {
            return false;
        }
        HandedOutAggregates handedOut = CurrentUnitOfWork.get().getResource(RESOURCE);
        if (handedOut == null) {
            return false;
        }
        handedOut.byIdentifier.putIfAbsent(identifier, new HandedOut(identifier, aggregate, aggregate.version()));
        return true;
    }

    Collection<HandedOut> all() {
        return byIdentifier.values();
    }
}
