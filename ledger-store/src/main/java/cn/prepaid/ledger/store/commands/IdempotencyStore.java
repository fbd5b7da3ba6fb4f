package cn.prepaid.ledger.store.commands;

import cn.prepaid.ledger.core.account.EscrowAccountCommand.Posting;
import cn.prepaid.ledger.core.idempotency.IdempotencyConflictException;
import cn.prepaid.ledger.core.idempotency.IdempotentCommand;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import static cn.prepaid.ledger.store.events.StoreSchema.AGGREGATE_ID;
import static cn.prepaid.ledger.store.events.StoreSchema.BANK_TRANSACTIONS;
import static cn.prepaid.ledger.store.events.StoreSchema.EVENTS;
import static cn.prepaid.ledger.store.events.StoreSchema.IDEMPOTENCY;
import static cn.prepaid.ledger.store.events.StoreSchema.PAYLOAD;
import static cn.prepaid.ledger.store.events.StoreSchema.SEQUENCE;

/**
 * The {@code idempotency_record} table, used inside the transaction of the command it guards (the
 * JdbcTemplate joins the Spring transaction Axon's unit of work runs in).
 */
public class IdempotencyStore {

    /**
     * Claims bank transaction ids for their accounts' banks, many in one statement. An id the bank already
     * used stays with the account it was booked on.
     */
    private static final String CLAIM_BANK_TXN_IDS = "insert into " + BANK_TRANSACTIONS + " (bank_code, bank_txn_id, "
            + "account_id) select * from unnest(?::varchar[], ?::varchar[], ?::varchar[]) "
            + "on conflict (bank_code, bank_txn_id) do nothing";
    /** Of the given (bank, id, account) triples, those whose id the bank booked on another account. */
    private static final String BANK_TXN_IDS_ON_OTHER_ACCOUNTS = "select w.account_id, w.bank_txn_id "
            + "from unnest(?::varchar[], ?::varchar[], ?::varchar[]) as w (bank_code, bank_txn_id, account_id) "
            + "join " + BANK_TRANSACTIONS + " b on b.bank_code = w.bank_code and b.bank_txn_id = w.bank_txn_id "
            + "where b.account_id <> w.account_id";
    /** The bank of each account that exists, from its opening event (the first of its stream). */
    private static final String BANKS = "select " + AGGREGATE_ID + ", convert_from(" + PAYLOAD + ", 'UTF8')::jsonb "
            + "->> 'bankCode' from " + EVENTS + " where " + AGGREGATE_ID + " = any (?) and " + SEQUENCE + " = 0";
    private static final String RELEASE_BANK_TXN_IDS = "delete from " + BANK_TRANSACTIONS + " b "
            + "using unnest(?::varchar[], ?::varchar[]) as w (account_id, bank_txn_id) "
            + "where b.account_id = w.account_id and b.bank_txn_id = w.bank_txn_id";

    private static final String CLAIM = "insert into " + IDEMPOTENCY + " (idempotency_key, fingerprint) values (?, ?) "
            + "on conflict (idempotency_key) do nothing";
    private static final String CLAIM_ALL = "insert into " + IDEMPOTENCY + " (idempotency_key, fingerprint) "
            + "select * from unnest(?::varchar[], ?::bytea[]) on conflict (idempotency_key) do nothing "
            + "returning idempotency_key";
    private static final String STORED = "select idempotency_key, fingerprint, outcome_type, outcome from "
            + IDEMPOTENCY + " where idempotency_key = any (?)";
    private static final String COMPLETE = "update " + IDEMPOTENCY + " set outcome_type = ?, outcome = ? "
            + "where idempotency_key = ?";
    private static final String COMPLETE_ALL = "update " + IDEMPOTENCY + " r set outcome_type = o.outcome_type, "
            + "outcome = o.outcome, fingerprint = coalesce(o.fingerprint, r.fingerprint) "
            + "from unnest(?::varchar[], ?::varchar[], ?::bytea[], ?::bytea[]) "
            + "as o (idempotency_key, outcome_type, outcome, fingerprint) where r.idempotency_key = o.idempotency_key";
    private static final String RELEASE_ALL = "delete from " + IDEMPOTENCY + " where idempotency_key = any (?)";

    private static final int BANKS_KEPT = 100_000;

    private final JdbcTemplate jdbc;
    private final JsonMapper json;
    /**
     * Accounts' banks as read from their opening events. An account never changes banks, so what was read
     * once holds on every node for good: a memo of facts, not a cache that decides. It saves reading and
     * parsing the opening event twice per posting. Bounded; starts again empty when full.
     */
    private final Map<String, String> banks = new ConcurrentHashMap<>();
    /** How many times accounts' banks were read from their opening events (for tests). */
    private final AtomicLong banksRead = new AtomicLong();

    public IdempotencyStore(JdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** The first answer to a command, when this is a repeat of it. */
    public record Replay(Object outcome) {
    }

    /** A claim row already there: the fingerprint of the command that made it and the answer it got (if any yet). */
    public record StoredClaim(byte[] fingerprint, String outcomeType, byte[] outcome) {
    }

    /**
     * Claims the command's key for this transaction, or answers the stored outcome of its identical
     * predecessor. Waits while another uncommitted transaction holds the same claim.
     *
     * @return empty when claimed (run the command, then {@link #complete}); a replay otherwise
     * @throws IdempotencyConflictException when the key was used with a different command
     */
    public Optional<Replay> claim(IdempotentCommand command) {
        String key = command.idempotencyKey();
        byte[] fingerprint = fingerprint(command);
        int claimed = jdbc.update(CLAIM, key, fingerprint);
        if (claimed == 1) {
            if (command instanceof Posting posting && !claimBankTxnIds(List.of(posting)).isEmpty()) {
                throw new IdempotencyConflictException(key); // the transaction, and so the claim above, rolls back
            }
            return Optional.empty();
        }
        return Optional.of(replayOf(command, stored(new String[]{key}).get(key)));
    }

    /** What one statement found for a batch of keys: those it claimed, and the rows already there for the others. */
    public record BatchClaims(Set<String> claimed, Map<String, StoredClaim> existing) {
    }

    /**
     * Claims many keys in one statement (the batch endpoint's way), and reads the existing rows of the
     * keys it could not claim in one more. Same waiting as {@link #claim} for keys held by uncommitted
     * transactions.
     */
    public BatchClaims claimAll(List<? extends IdempotentCommand> commands) {
        LinkedHashMap<String, byte[]> firstFingerprints = new LinkedHashMap<>();
        for (IdempotentCommand command : commands) {
            firstFingerprints.putIfAbsent(command.idempotencyKey(), fingerprint(command));
        }
        String[] keys = firstFingerprints.keySet().toArray(String[]::new);
        byte[][] fingerprints = firstFingerprints.values().toArray(byte[][]::new);
        List<String> claimedKeys = jdbc.execute((Connection connection) -> {
            try (var statement = connection.prepareStatement(CLAIM_ALL)) {
                statement.setArray(1, connection.createArrayOf("varchar", keys));
                statement.setArray(2, connection.createArrayOf("bytea", fingerprints));
                List<String> claimed = new ArrayList<>();
                try (var rows = statement.executeQuery()) {
                    while (rows.next()) {
                        claimed.add(rows.getString(1));
                    }
                }
                return claimed;
            }
        });
        Set<String> claimed = new HashSet<>(claimedKeys);
        String[] others = Arrays.stream(keys).filter(key -> !claimed.contains(key)).toArray(String[]::new);
        return new BatchClaims(claimed, others.length == 0 ? Map.of() : stored(others));
    }

    /** The claim rows of {@code keys}, by key. */
    private Map<String, StoredClaim> stored(String[] keys) {
        Map<String, StoredClaim> stored = new HashMap<>();
        jdbc.query((Connection connection) -> {
            var statement = connection.prepareStatement(STORED);
            statement.setArray(1, connection.createArrayOf("varchar", keys));
            return statement;
        }, (ResultSet row) -> {
            stored.put(row.getString(1), new StoredClaim(row.getBytes(2), row.getString(3), row.getBytes(4)));
        });
        return stored;
    }

    /** The first answer stored in an existing row, or a conflict when the command differs from the one that wrote it. */
    public Replay replayOf(IdempotentCommand command, StoredClaim stored) {
        if (!Arrays.equals(stored.fingerprint(), fingerprint(command))) {
            throw new IdempotencyConflictException(command.idempotencyKey());
        }
        return new Replay(stored.outcomeType() == null ? null
                : json.readValue(stored.outcome(), classOf(stored.outcomeType())));
    }

    /**
     * An outcome to store in its claim row; {@code claimant} names the command that now holds the claim
     * when it is not the one that made it (the claimant's fingerprint is stored), else null.
     */
    public record Completion(Object outcome, IdempotentCommand claimant) {
    }

    /** Stores many outcomes in their claim rows in one statement. */
    public void completeAll(Map<String, Completion> completionsByKey) {
        if (completionsByKey.isEmpty()) {
            return;
        }
        int size = completionsByKey.size();
        String[] keys = new String[size];
        String[] types = new String[size];
        byte[][] outcomes = new byte[size][];
        byte[][] fingerprints = new byte[size][];
        int i = 0;
        for (Map.Entry<String, Completion> entry : completionsByKey.entrySet()) {
            Object outcome = entry.getValue().outcome();
            IdempotentCommand claimant = entry.getValue().claimant();
            keys[i] = entry.getKey();
            types[i] = outcome == null ? null : outcome.getClass().getName();
            outcomes[i] = outcome == null ? null : json.writeValueAsBytes(outcome);
            fingerprints[i] = claimant == null ? null : fingerprint(claimant);
            i++;
        }
        jdbc.update(COMPLETE_ALL, (PreparedStatement statement) -> {
                    Connection connection = statement.getConnection();
                    statement.setArray(1, connection.createArrayOf("varchar", keys));
                    statement.setArray(2, connection.createArrayOf("varchar", types));
                    statement.setArray(3, connection.createArrayOf("bytea", outcomes));
                    statement.setArray(4, connection.createArrayOf("bytea", fingerprints));
                });
    }

    /** Gives back many claims at once. */
    public void releaseAll(List<String> keys) {
        if (!keys.isEmpty()) {
            jdbc.update(RELEASE_ALL, (PreparedStatement statement) -> statement.setArray(1,
                            statement.getConnection().createArrayOf("varchar", keys.toArray())));
        }
    }

    /**
     * Claims each posting's bank transaction id for its account's bank: an id is booked on one account
     * only, whichever of the bank's accounts it names. Waits while an uncommitted transaction holds the
     * same id. Postings for accounts that do not exist claim nothing (their command fails on its own).
     *
     * @return the postings whose id the bank already booked on another account (their claims stay the
     *         other account's); the caller refuses them with an idempotency conflict
     */
    public List<Posting> claimBankTxnIds(List<Posting> postings) {
        List<BankClaim> claims = bankClaims(postings);
        if (claims.isEmpty()) {
            return List.of();
        }
        jdbc.update(CLAIM_BANK_TXN_IDS, statement -> bindClaims(statement, claims));
        Set<String> elsewhere = new HashSet<>();
        jdbc.query(connection -> bindClaims(connection.prepareStatement(BANK_TXN_IDS_ON_OTHER_ACCOUNTS), claims),
                (ResultSet row) -> {
                    elsewhere.add(row.getString(1) + "\n" + row.getString(2));
                });
        return postings.stream()
                .filter(posting -> elsewhere.contains(posting.accountId().value() + "\n" + posting.bankTxnId().value()))
                .toList();
    }

    /** Gives back the bank transaction ids of postings that stored nothing. */
    public void releaseBankTxnIds(List<Posting> postings) {
        if (!postings.isEmpty()) {
            String[] accounts = postings.stream().map(posting -> posting.accountId().value()).toArray(String[]::new);
            String[] ids = postings.stream().map(posting -> posting.bankTxnId().value()).toArray(String[]::new);
            jdbc.update(RELEASE_BANK_TXN_IDS, statement -> bindPairs(statement, accounts, ids));
        }
    }

    /** A posting's bank transaction id with its account's bank: what the bank claims. */
    private record BankClaim(String bankCode, String bankTxnId, String accountId) {
    }

    /** The postings' ids with their accounts' banks; postings for accounts that do not exist have none. */
    private List<BankClaim> bankClaims(List<Posting> postings) {
        // the banks for this call, taken out of the memo first: another thread may empty it meanwhile
        Map<String, String> known = new HashMap<>();
        Set<String> unknown = new LinkedHashSet<>();
        for (Posting posting : postings) {
            String account = posting.accountId().value();
            String bank = banks.get(account);
            if (bank != null) {
                known.put(account, bank);
            } else {
                unknown.add(account);
            }
        }
        if (!unknown.isEmpty()) {
            banksRead.incrementAndGet();
            jdbc.query(connection -> {
                PreparedStatement statement = connection.prepareStatement(BANKS);
                statement.setArray(1, connection.createArrayOf("varchar", unknown.toArray()));
                return statement;
            }, (ResultSet row) -> {
                if (row.getString(2) != null) {
                    known.put(row.getString(1), row.getString(2));
                }
            });
            if (banks.size() + unknown.size() > BANKS_KEPT) {
                banks.clear();
            }
            unknown.stream().filter(known::containsKey).forEach(account -> banks.put(account, known.get(account)));
        }
        List<BankClaim> claims = new ArrayList<>(postings.size());
        for (Posting posting : postings) {
            String bank = known.get(posting.accountId().value());
            if (bank != null) {
                claims.add(new BankClaim(bank, posting.bankTxnId().value(), posting.accountId().value()));
            }
        }
        return claims;
    }

    long banksRead() {
        return banksRead.get();
    }

    private static PreparedStatement bindClaims(PreparedStatement statement, List<BankClaim> claims)
            throws SQLException {
        Connection connection = statement.getConnection();
        statement.setArray(1, connection.createArrayOf("varchar", claims.stream().map(BankClaim::bankCode).toArray()));
        statement.setArray(2, connection.createArrayOf("varchar", claims.stream().map(BankClaim::bankTxnId).toArray()));
        statement.setArray(3, connection.createArrayOf("varchar", claims.stream().map(BankClaim::accountId).toArray()));
        return statement;
    }

    private static PreparedStatement bindPairs(PreparedStatement statement, String[] accounts, String[] ids)
            throws SQLException {
        statement.setArray(1, statement.getConnection().createArrayOf("varchar", accounts));
        statement.setArray(2, statement.getConnection().createArrayOf("varchar", ids));
        return statement;
    }

    /** Stores the outcome in the claim row, in the same transaction as the command's events. */
    public void complete(IdempotentCommand command, Object outcome) {
        jdbc.update(COMPLETE, outcome == null ? null : outcome.getClass().getName(),
                outcome == null ? null : json.writeValueAsBytes(outcome), command.idempotencyKey());
    }

    /** SHA-256 over the command's type and JSON form: the whole command is the client's content. */
    byte[] fingerprint(Object command) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(command.getClass().getName().getBytes(StandardCharsets.UTF_8));
            sha.update(json.writeValueAsBytes(command));
            return sha.digest();
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static Class<?> classOf(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException gone) {
            throw new IllegalStateException("stored outcome type " + name + " no longer exists", gone);
        }
    }
}
