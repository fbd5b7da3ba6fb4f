package cn.prepaid.ledger.api.storage;

import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;

import java.util.List;

/**
 * Axon's embedded event store, which wakes its reader at once after a commit in this process but
 * otherwise polls an idle store about once a second. {@link #wake()} lets a commit in another process
 * (announced by PostgreSQL NOTIFY) wake it too.
 */
public class WakeableEventStore extends EmbeddedEventStore {

    public WakeableEventStore(Builder builder) {
        super(builder);
    }

    /** New events were committed elsewhere: read them now rather than at the next poll. */
    public void wake() {
        afterCommit(List.of());
    }
}
