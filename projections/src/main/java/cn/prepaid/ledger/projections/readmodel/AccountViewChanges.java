package cn.prepaid.ledger.projections.readmodel;

import cn.prepaid.ledger.projections.BatchMemory;
import cn.prepaid.ledger.projections.ProcessorBatch;
import cn.prepaid.ledger.projections.RowsAtCommit;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The read-model processor's changes to {@code account_view} for one batch: each account's position
 * ({@code last_sequence}) read once, in one statement for every account the batch's events concern; the
 * money columns the frequent events move changed in memory as amounts to add (and the balance as the
 * event's own figure); all of it written together in one statement when the batch commits, or earlier
 * should the batch grow long or a statement need the row as it is.
 *
 * <p>The processor handles an account's events on one thread, in order (its sequencing policy is the
 * aggregate), so no other transaction changes the row while a batch holds its position. Nothing is kept
 * past the transaction ({@link BatchMemory}).
 */
final class AccountViewChanges {

    /** Changes held before they are written without waiting for the commit (a rebuild is one long transaction). */
    private static final int MOST_CHANGES_HELD = 2_000;

    private final JdbcTemplate jdbc;
    private final RowsAtCommit<Account> changed;

    AccountViewChanges(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.changed = RowsAtCommit.eachOnce(this::write, MOST_CHANGES_HELD);
    }

    /** An account's position as the batch has it, and what its events added since the row was last written. */
    static final class Account {
        final String accountId;
        long lastSequence;
        /** The balance after the latest event that states one, or null when none did. */
        Long balanceFen;
        long liabilityFen;
        long orderCount;
        long consumedValueFen;
        long releasedFen;
        long heldReleaseFen;
        long reservedFen;

        private Account(String accountId, long lastSequence) {
            this.accountId = accountId;
            this.lastSequence = lastSequence;
        }

        private void written() {
            balanceFen = null;
            liabilityFen = 0;
            orderCount = 0;
            consumedValueFen = 0;
            releasedFen = 0;
            heldReleaseFen = 0;
            reservedFen = 0;
        }
    }

    /**
     * The account, if its row exists and this event is newer than the last it took in: the event then
     * becomes the last, and its changes are to be added to what this returns. Null otherwise.
     */
    Account advance(String accountId, long seq) {
        Map<String, Account> held = BatchMemory.of(this, HashMap::new);
        Account account = held.get(accountId);
        if (account == null) {
            jdbc.query("select account_id, last_sequence from account_view where account_id = any (?)",
                    rs -> {
                        held.put(rs.getString(1), new Account(rs.getString(1), rs.getLong(2)));
                    }, (Object) ProcessorBatch.accountsToRead(accountId, held.keySet()));
            account = held.get(accountId);
        }
        if (account == null || account.lastSequence >= seq) {
            return null;
        }
        account.lastSequence = seq;
        changed.add(account);
        return account;
    }

    /**
     * Writes what the batch holds for its accounts now: before a statement that reads or changes an
     * account's row itself ({@link #tookIn} then tells the batch what that statement took in).
     */
    void writeNow() {
        changed.flush();
    }

    /** A statement of its own took this event into the account's row. */
    void tookIn(String accountId, long seq) {
        Account account = BatchMemory.<Map<String, Account>>of(this, HashMap::new).get(accountId);
        if (account != null) {
            account.lastSequence = Math.max(account.lastSequence, seq);
        }
    }

    private static final String WRITE = "update account_view a set balance_fen = coalesce(v.balance_fen, a.balance_fen), "
            + "liability_fen = a.liability_fen + v.liability_fen, order_count = a.order_count + v.order_count, "
            + "consumed_value_fen = a.consumed_value_fen + v.consumed_value_fen, "
            + "released_fen = a.released_fen + v.released_fen, held_release_fen = a.held_release_fen + v.held_release_fen, "
            + "reserved_fen = a.reserved_fen + v.reserved_fen, last_sequence = v.last_sequence "
            + "from unnest(?::varchar[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], "
            + "?::bigint[], ?::bigint[]) as v (account_id, last_sequence, balance_fen, liability_fen, order_count, "
            + "consumed_value_fen, released_fen, held_release_fen, reserved_fen) where a.account_id = v.account_id";

    /** Each changed account once, as it is now; what was written is no longer held. */
    private void write(List<Account> accounts) {
        jdbc.update(WRITE, ProcessorBatch.columns(accounts)
                .of("varchar", account -> account.accountId)
                .of("bigint", account -> account.lastSequence)
                .of("bigint", account -> account.balanceFen)
                .of("bigint", account -> account.liabilityFen)
                .of("bigint", account -> account.orderCount)
                .of("bigint", account -> account.consumedValueFen)
                .of("bigint", account -> account.releasedFen)
                .of("bigint", account -> account.heldReleaseFen)
                .of("bigint", account -> account.reservedFen).setter());
        accounts.forEach(Account::written);
    }
}
