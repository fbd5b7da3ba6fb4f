package cn.prepaid.ledger.api.console;

import cn.prepaid.ledger.api.security.PrincipalDirectory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

/**
 * Console sessions in PostgreSQL ({@code console_session}), so every ledger node on the database knows
 * them. A session id is 32 random bytes; the table keeps only its SHA-256. Sessions end at a fixed time
 * after sign-in (no sliding renewal) or at sign-out.
 */
@Component
public class ConsoleSessions {

    /** A session as the database knows it. */
    public record Session(String principalName, String csrfToken, Instant expiresAt) {
    }

    /** A session just begun: the id goes into the cookie and nowhere else. */
    public record Started(String sessionId, Session session) {
    }

    private static final String INSERT = "insert into console_session "
            + "(id_hash, principal_name, csrf_token, created_at, expires_at) values (?, ?, ?, ?, ?)";
    private static final String FIND = "select principal_name, csrf_token, expires_at from console_session "
            + "where id_hash = ? and expires_at > ?";
    private static final String DELETE = "delete from console_session where id_hash = ?";
    private static final String DELETE_EXPIRED = "delete from console_session where expires_at <= ?";
    private static final String DELETE_OF_PRINCIPALS = "delete from console_session where principal_name = any (?)";

    private final SecureRandom random = new SecureRandom();
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Duration lifetime;

    public ConsoleSessions(JdbcTemplate jdbc, Clock clock,
                           @Value("${ledger.console.session-lifetime:4h}") Duration lifetime) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.lifetime = lifetime;
    }

    public Duration lifetime() {
        return lifetime;
    }

    /** Begins a session for the principal; sessions that have expired are swept away on the way. */
    public Started start(String principalName) {
        Instant now = clock.instant();
        jdbc.update(DELETE_EXPIRED, Timestamp.from(now));
        String sessionId = randomToken();
        Session session = new Session(principalName, randomToken(), now.plus(lifetime));
        jdbc.update(INSERT, hash(sessionId), principalName, session.csrfToken(), Timestamp.from(now),
                Timestamp.from(session.expiresAt()));
        return new Started(sessionId, session);
    }

    public Optional<Session> find(String sessionId) {
        if (sessionId == null || sessionId.isEmpty()) {
            return Optional.empty();
        }
        return jdbc.query(FIND, (rs, n) -> new Session(rs.getString(1), rs.getString(2),
                rs.getTimestamp(3).toInstant()), hash(sessionId), Timestamp.from(clock.instant())).stream().findFirst();
    }

    public void end(String sessionId) {
        if (sessionId != null && !sessionId.isEmpty()) {
            jdbc.update(DELETE, hash(sessionId));
        }
    }

    /** Ends every session of these principals, on every node. */
    public void endAllOf(Set<String> principalNames) {
        jdbc.update(DELETE_OF_PRINCIPALS, (Object) principalNames.toArray(String[]::new));
    }

    private String randomToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static byte[] hash(String sessionId) {
        return PrincipalDirectory.sha256(sessionId);
    }
}
