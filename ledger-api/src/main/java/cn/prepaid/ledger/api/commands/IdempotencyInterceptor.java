package cn.prepaid.ledger.api.commands;

import cn.prepaid.ledger.core.idempotency.IdempotencyConflictException;
import cn.prepaid.ledger.core.idempotency.IdempotentCommand;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandResultMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.json.JsonMapper;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;

/**
 * Applies every {@link IdempotentCommand} at most once, deciding inside the command's own database
 * transaction, so the decision is atomic with the append and holds across restarts and nodes.
 *
 * <ol>
 *   <li>Claim the key: {@code insert ... on conflict do nothing}. A concurrent claim of the same key by
 *       an uncommitted transaction makes PostgreSQL wait until that one commits or rolls back.</li>
 *   <li>Claimed: run the command and store its outcome in the claim row, in the same transaction as
 *       the events. If the command fails, the claim rolls back with it.</li>
 *   <li>Already claimed: same fingerprint → answer the stored outcome, marked with
 *       {@value #REPLAY_METADATA} metadata, without touching the aggregate; different fingerprint →
 *       {@link IdempotencyConflictException}.</li>
 * </ol>
 * Runs after Axon's transaction interceptor, so it shares the connection with the event append.
 */
public class IdempotencyInterceptor implements MessageHandlerInterceptor<CommandMessage<?>> {

    public static final String REPLAY_METADATA = "idempotentReplay";

    private final JdbcTemplate jdbc;
    private final JsonMapper json;

    public IdempotencyInterceptor(JdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
        Object command = unitOfWork.getMessage().getPayload();
        if (!(command instanceof IdempotentCommand idempotent)) {
            return chain.proceed();
        }
        String key = idempotent.idempotencyKey();
        byte[] fingerprint = fingerprint(command);
        int claimed = jdbc.update("insert into idempotency_record (idempotency_key, fingerprint) values (?, ?) "
                + "on conflict (idempotency_key) do nothing", key, fingerprint);
        if (claimed == 0) {
            return replay(key, fingerprint);
        }
        Object result = chain.proceed();
        Object outcome = result instanceof ResultMessage<?> message ? message.getPayload() : result;
        jdbc.update("update idempotency_record set outcome_type = ?, outcome = ? where idempotency_key = ?",
                outcome == null ? null : outcome.getClass().getName(),
                outcome == null ? null : json.writeValueAsBytes(outcome), key);
        return result;
    }

    private Object replay(String key, byte[] fingerprint) throws ClassNotFoundException {
        List<Object[]> rows = jdbc.query(
                "select fingerprint, outcome_type, outcome from idempotency_record where idempotency_key = ?",
                (rs, n) -> new Object[]{rs.getBytes(1), rs.getString(2), rs.getBytes(3)}, key);
        Object[] row = rows.get(0);
        if (!Arrays.equals((byte[]) row[0], fingerprint)) {
            throw new IdempotencyConflictException(key);
        }
        Object outcome = row[1] == null ? null : json.readValue((byte[]) row[2], Class.forName((String) row[1]));
        return new GenericCommandResultMessage<>(outcome, MetaData.with(REPLAY_METADATA, true));
    }

    /** SHA-256 over the command's type and JSON form: the whole command is the client's content. */
    private byte[] fingerprint(Object command) throws NoSuchAlgorithmException {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(command.getClass().getName().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        sha.update(json.writeValueAsBytes(command));
        return sha.digest();
    }
}
