package cn.prepaid.ledger.api.commands;

import cn.prepaid.ledger.core.idempotency.IdempotencyConflictException;
import cn.prepaid.ledger.core.idempotency.IdempotentCommand;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The {@code idempotency_record} table, used inside the transaction of the command it guards (the
 * JdbcTemplate joins the Spring transaction Axon's unit of work runs in).
 */
public class IdempotencyStore {

    private final JdbcTemplate jdbc;
    private final JsonMapper json;

    public IdempotencyStore(JdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** The first answer to a command, when this is a repeat of it. */
    public record Replay(Object outcome) {
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
        int claimed = jdbc.update("insert into idempotency_record (idempotency_key, fingerprint) values (?, ?) "
                + "on conflict (idempotency_key) do nothing", key, fingerprint);
        if (claimed == 1) {
            return Optional.empty();
        }
        List<Object[]> rows = jdbc.query(
                "select fingerprint, outcome_type, outcome from idempotency_record where idempotency_key = ?",
                (rs, n) -> new Object[]{rs.getBytes(1), rs.getString(2), rs.getBytes(3)}, key);
        Object[] row = rows.get(0);
        if (!Arrays.equals((byte[]) row[0], fingerprint)) {
            throw new IdempotencyConflictException(key);
        }
        return Optional.of(new Replay(row[1] == null ? null : json.readValue((byte[]) row[2], classOf((String) row[1]))));
    }

    /** Stores the outcome in the claim row, in the same transaction as the command's events. */
    public void complete(IdempotentCommand command, Object outcome) {
        jdbc.update("update idempotency_record set outcome_type = ?, outcome = ? where idempotency_key = ?",
                outcome == null ? null : outcome.getClass().getName(),
                outcome == null ? null : json.writeValueAsBytes(outcome), command.idempotencyKey());
    }

    /** Gives a claim back when the command was refused without storing anything. */
    public void release(IdempotentCommand command) {
        jdbc.update("delete from idempotency_record where idempotency_key = ?", command.idempotencyKey());
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
