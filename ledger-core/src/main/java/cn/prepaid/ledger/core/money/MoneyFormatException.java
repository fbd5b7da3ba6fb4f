package cn.prepaid.ledger.core.money;

/** Text that is not a valid amount or ratio; {@link #problem()} says which rule it broke. */
public class MoneyFormatException extends IllegalArgumentException {

    public enum Problem { MISSING, NOT_A_DECIMAL, TOO_MANY_DECIMALS }

    private final Problem problem;

    public MoneyFormatException(Problem problem, String message) {
        super(message);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
