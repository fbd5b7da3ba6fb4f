package cn.prepaid.ledger.projections.readmodel;

/** Names shared by the read-model handlers and their configuration. */
public final class ReadModels {

    /** One pooled streaming processor writes every read-model table. */
    public static final String PROCESSING_GROUP = "read-models";

    private ReadModels() {
    }
}
