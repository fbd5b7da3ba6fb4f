package cn.prepaid.ledger.api.webhooks;

import cn.prepaid.ledger.projections.query.Page;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.security.SecureRandom;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Banks' webhook endpoints. A deleted endpoint keeps its row (its delivery log refers to it) but gets nothing more. */
@Component
public class WebhookEndpoints {

    /** An endpoint as its bank sees it; the secret only in the answer to its registration. */
    public record Endpoint(String webhookId, String bankCode, String url, List<WebhookEventType> events,
                           Instant createdAt) {
    }

    /** A new endpoint and its secret, which only the answer to its registration shows. */
    public record Registered(Endpoint endpoint, String secret) {
    }

    private static final String INSERT = "insert into webhook_endpoint (webhook_id, bank_code, url, events, secret, "
            + "created_at) values (?, ?, ?, ?, ?, ?)";
    private static final String COLUMNS = "select webhook_id, bank_code, url, events, created_at from webhook_endpoint ";
    private static final String LIVE_OF_BANK = "where bank_code = ? and deleted_at is null ";
    private static final String DELETE = "update webhook_endpoint set deleted_at = ? "
            + "where webhook_id = ? and bank_code = ? and deleted_at is null";

    private static final int SECRET_BYTES = 32;

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public WebhookEndpoints(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Registers an endpoint; answers it with its newly made secret, which is not shown again. */
    public Registered register(String bankCode, String url, List<WebhookEventType> events) {
        String webhookId = "wh_" + UUID.randomUUID().toString().replace("-", "");
        byte[] secretBytes = new byte[SECRET_BYTES];
        random.nextBytes(secretBytes);
        String secret = "whsec_" + HexFormat.of().formatHex(secretBytes);
        Instant now = clock.instant();
        String[] names = events.stream().map(Enum::name).toArray(String[]::new);
        jdbc.update(INSERT, webhookId, bankCode, url, names, secret, Timestamp.from(now));
        return new Registered(new Endpoint(webhookId, bankCode, url, events, now), secret);
    }

    public Page<Endpoint> ofBank(String bankCode, int page, int size) {
        long total = jdbc.queryForObject("select count(*) from webhook_endpoint " + LIVE_OF_BANK, Long.class, bankCode);
        List<Endpoint> content = jdbc.query(COLUMNS + LIVE_OF_BANK + "order by created_at, webhook_id limit ? offset ?",
                (rs, n) -> endpoint(rs), bankCode, size, (long) page * size);
        return new Page<>(content, page, size, total);
    }

    /** The bank's live endpoint with this id; another bank's, a deleted or an unknown one are all absent. */
    public Optional<Endpoint> ofBank(String bankCode, String webhookId) {
        return jdbc.query(COLUMNS + LIVE_OF_BANK + "and webhook_id = ?", (rs, n) -> endpoint(rs), bankCode, webhookId)
                .stream().findFirst();
    }

    public boolean delete(String bankCode, String webhookId) {
        return jdbc.update(DELETE, Timestamp.from(clock.instant()), webhookId, bankCode) == 1;
    }

    private static Endpoint endpoint(ResultSet rs) throws SQLException {
        Array events = rs.getArray("events");
        List<WebhookEventType> types = Arrays.stream((String[]) events.getArray()).map(WebhookEventType::valueOf)
                .toList();
        return new Endpoint(rs.getString("webhook_id"), rs.getString("bank_code"), rs.getString("url"), types,
                rs.getTimestamp("created_at").toInstant());
    }
}
