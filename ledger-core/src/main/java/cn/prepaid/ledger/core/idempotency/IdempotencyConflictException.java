package cn.prepaid.ledger.core.idempotency;

/** A client id was used again with different content: a conflict, never a second posting. */
public class IdempotencyConflictException extends RuntimeException {

    private final String idempotencyKey;

    public IdempotencyConflictException(String idempotencyKey) {
        super("client id " + idempotencyKey + " was already used with different content", null, false, false);
        this.idempotencyKey = idempotencyKey;
    }

    public String idempotencyKey() {
        return idempotencyKey;
    }
}
