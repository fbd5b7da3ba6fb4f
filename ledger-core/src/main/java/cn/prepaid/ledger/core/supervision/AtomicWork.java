package cn.prepaid.ledger.core.supervision;

import java.util.function.Supplier;

/**
 * Runs several commands as one all-or-nothing unit (one database transaction in the application).
 * An implementation may run the work again when it lost a race on an aggregate, so the work must
 * only send commands.
 */
@FunctionalInterface
public interface AtomicWork {

    <T> T run(Supplier<T> work);
}
