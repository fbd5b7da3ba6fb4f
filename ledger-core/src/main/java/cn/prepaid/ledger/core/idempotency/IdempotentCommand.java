package cn.prepaid.ledger.core.idempotency;

/**
 * A command carrying a client id (bankTxnId, requestId, consumptionId). The write side applies it
 * at most once: a repeat with the same content yields the first outcome and appends nothing, a
 * repeat with different content is a conflict. The whole command is its content, so commands that
 * implement this carry no server-side values such as the time they were received.
 */
public interface IdempotentCommand {

    /** Unique across the ledger: the kind of id, the aggregate it targets, and the client's id. */
    String idempotencyKey();
}
