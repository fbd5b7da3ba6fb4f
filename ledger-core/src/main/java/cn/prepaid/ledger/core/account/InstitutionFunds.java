package cn.prepaid.ledger.core.account;

import java.util.List;

/**
 * The institution's other escrow accounts, as an outflow decision needs them: the floor belongs to
 * the institution, so an outflow from one account is judged against the money of all of them.
 *
 * <p>An implementation answers committed, consistent figures and keeps them true until the deciding
 * transaction ends: it serialises the outflow decisions of one institution (only outflows lower the
 * institution's balance above its floor), so two outflows from two accounts decided at the same moment
 * cannot together breach the floor. Deposits and bank facts never ask for it.
 */
@FunctionalInterface
public interface InstitutionFunds {

    /** An institution of one account: no other account's money counts. */
    InstitutionFunds SINGLE_ACCOUNT = (institutionId, accountId) -> List.of();

    /** Every account of {@code institutionId} except {@code accountId}. */
    List<AccountFunds> otherAccounts(String institutionId, String accountId);

    /**
     * One account's figures in fen: its balance, the part of it reserved for held outflows, and its
     * outstanding unearned tuition.
     */
    record AccountFunds(String accountId, long balanceFen, long reservedFen, long liabilityFen) {

        public long availableFen() {
            return balanceFen - reservedFen;
        }
    }
}
