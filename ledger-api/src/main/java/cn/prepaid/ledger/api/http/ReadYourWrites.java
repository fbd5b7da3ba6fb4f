package cn.prepaid.ledger.api.http;

import cn.prepaid.ledger.store.events.StoredVersions;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * Read models trail the event store by the time a processor needs to apply an event (milliseconds).
 * A client that reads right after writing should see its write, so a single-entity read first waits,
 * briefly and boundedly, until the read model has applied the aggregate's last stored event.
 */
@Component
public class ReadYourWrites {

    static final Duration MAX_WAIT = Duration.ofSeconds(2);

    private final StoredVersions storedVersions;

    public ReadYourWrites(StoredVersions storedVersions) {
        this.storedVersions = storedVersions;
    }

    /**
     * Reads with {@code read} until the sequence it reports reaches the aggregate's stored one (or the
     * wait is over; then the freshest read is answered). {@code read} answers -1 when it has nothing yet.
     */
    public <T> T await(String aggregateId, Supplier<T> read, ToLongFunction<T> appliedSequence) {
        Long stored = storedVersions.latest(aggregateId);
        long deadline = System.nanoTime() + MAX_WAIT.toNanos();
        T value = read.get();
        while (stored != null && appliedSequence.applyAsLong(value) < stored && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                break;
            }
            value = read.get();
        }
        return value;
    }
}
