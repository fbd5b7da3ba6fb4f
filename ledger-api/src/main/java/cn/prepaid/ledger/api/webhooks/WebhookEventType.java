package cn.prepaid.ledger.api.webhooks;

/** What a bank can subscribe to (API.md, Webhooks). */
public enum WebhookEventType {
    HELD_OUTFLOW_APPROVED,
    HELD_OUTFLOW_REJECTED,
    ACCOUNT_FROZEN,
    ACCOUNT_UNFROZEN,
    INSTITUTION_SUSPENDED,
    INSTITUTION_BLACKLISTED,
    INSTITUTION_CLOSED,
    REFUND_OBLIGATIONS_CREATED
}
