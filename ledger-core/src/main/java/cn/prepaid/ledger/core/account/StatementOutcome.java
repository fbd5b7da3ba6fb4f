package cn.prepaid.ledger.core.account;

/** The ledger's side of a daily statement: its balance and posting count for the day, and the difference. */
public record StatementOutcome(Result result, long ledgerBalanceFen, long differenceFen, int ledgerTransactionCount) {

    public enum Result { RECONCILED, MISMATCHED }
}
