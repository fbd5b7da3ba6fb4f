package cn.prepaid.ledger.store.embedded;

import cn.prepaid.ledger.store.embedded.OwnerOnlyFiles;
import com.zaxxer.hikari.HikariConfig;
import cn.prepaid.ledger.store.events.NodeSessions;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import javax.sql.DataSource;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * With no {@code spring.datasource.url} (env {@code SPRING_DATASOURCE_URL}), the ledger runs on an
 * embedded PostgreSQL: a real server, started from binaries for this platform only. Its data lives
 * in {@code ledger.embedded-db.dir} (default {@code ./data/pg}) across restarts; an empty value gives
 * a throw-away directory, which is what tests use.
 *
 * <p>The server asks every connection for the superuser's password (SCRAM), including local ones:
 * without it any process on the host could rewrite events. The password is generated at the first
 * start and kept beside the data directory in {@code embedded-postgres.password}, mode 600. A data
 * directory that an earlier version created with {@code trust} is given the password and a SCRAM
 * {@code pg_hba.conf} on its next start.
 *
 * <p>The DataSource depends on the server bean, so Spring closes the pool first and stops the server
 * last; zonky's own shutdown hook is off because it would race Spring's and stop PostgreSQL under
 * running processors.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${spring.datasource.url:}'.isEmpty()")
public class EmbeddedPostgresConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresConfiguration.class);

    /** Written beside the data directory: the JDBC URL of the running embedded server (no password). */
    static final String URL_FILE = "embedded-postgres.url";
    /** Written beside the data directory, mode 600: the superuser's password. */
    static final String PASSWORD_FILE = "embedded-postgres.password";
    static final String SUPERUSER = "postgres";

    private static final String SCRAM = "scram-sha-256";
    /** An authentication method column of pg_hba.conf that lets a connection in without a password. */
    private static final Pattern TRUST = Pattern.compile("^(\\s*(?:local|host)\\S*\\s.*?\\s)trust(\\s|$)");
    private static final String PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    /** The running server and the password its superuser signs in with. */
    public record EmbeddedDatabase(EmbeddedPostgres server, String password) implements Closeable {

        public String jdbcUrl() {
            return server.getJdbcUrl(SUPERUSER, "postgres");
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    @Bean(destroyMethod = "close")
    public EmbeddedDatabase embeddedPostgres(@Value("${ledger.embedded-db.dir:}") String dir,
                                             @Value("${ledger.embedded-db.port:0}") int port) throws IOException {
        boolean throwAway = dir == null || dir.isBlank();
        Path dataDir = throwAway ? Files.createTempDirectory("ledger-pg-") : Path.of(dir).toAbsolutePath().normalize();
        Files.createDirectories(dataDir);
        Path passwordFile = dataDir.resolveSibling(throwAway ? dataDir.getFileName() + ".password" : PASSWORD_FILE);
        Path hba = dataDir.resolve("pg_hba.conf");
        boolean initialised = Files.exists(dataDir.resolve("postgresql.conf"));
        if (initialised && !Files.exists(passwordFile) && !trusts(hba)) {
            throw new IllegalStateException("The embedded PostgreSQL in " + dataDir + " asks for a password, but "
                    + passwordFile + " is missing: restore that file, or move the data directory away to start afresh");
        }
        String password = Files.exists(passwordFile) ? Files.readString(passwordFile).strip() : newPassword(passwordFile);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(throwAway)
                .setRegisterShutdownHook(false)
                .setServerConfig("max_connections", "200")
                .setServerConfig("password_encryption", SCRAM)
                // the rows every event updates (one per account) gather dead versions by the thousand a minute
                // under load; autovacuum's default of looking once a minute lets them pile up
                .setServerConfig("autovacuum_naptime", "10s")
                // a new data directory: initdb asks for the password from the first connection on
                // (zonky passes these after its own "-A trust", and the last one wins)
                .setLocaleConfig("auth", SCRAM)
                .setLocaleConfig("pwfile", passwordFile.toString())
                // zonky checks the server answers by connecting with these
                .setConnectConfig("password", password);
        // zonky starts PostgreSQL with -F (fsync off) and synchronous_commit off. A ledger kept across
        // restarts must survive a crash with every answered posting, so its commits are durable; a
        // database deleted at exit gains nothing from durability and it costs test time. Commits wait for
        // their WAL write on both (without fsync that is a write to the kernel, no more), so the commands'
        // synchronous commits and the processors' asynchronous ones (PositionCheckedTokenStore) differ in
        // tests as they do in production.
        String durable = throwAway ? "off" : "on";
        builder.setServerConfig("fsync", durable)
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", durable);
        if (port > 0) {
            builder.setPort(port);
        }
        EmbeddedDatabase database = new EmbeddedDatabase(builder.start(), password);
        if (trusts(hba)) {
            requirePassword(database, hba);
        }
        log.info("Embedded PostgreSQL started on port {} with data in {}{}; user {}, password in {}",
                database.server().getPort(), dataDir, throwAway ? " (throw-away)" : "", SUPERUSER,
                throwAway ? "memory only" : passwordFile);
        if (throwAway) {
            Files.delete(passwordFile);
        } else {
            // For local tools on this machine (psql, the simulator's raw-JDBC baseline): where the server is.
            Files.writeString(dataDir.resolveSibling(URL_FILE), database.jdbcUrl() + "\n");
        }
        return database;
    }

    /**
     * The pool over the embedded server, with the {@code spring.datasource.hikari.*} settings Spring Boot
     * applies to a configured database (pool size, pgjdbc properties), so both are set in one place.
     */
    @Bean(destroyMethod = "close")
    public DataSource dataSource(EmbeddedDatabase database, Environment environment, NodeSessions.Name node) {
        HikariConfig config = new HikariConfig();
        Binder.get(environment).bind("spring.datasource.hikari", Bindable.ofInstance(config));
        if (config.getDataSourceProperties().getProperty(NodeSessions.APPLICATION_NAME) == null) {
            config.addDataSourceProperty(NodeSessions.APPLICATION_NAME, node.value());
        }
        config.setJdbcUrl(database.jdbcUrl());
        config.setUsername(SUPERUSER);
        config.setPassword(database.password());
        config.setPoolName("ledger-embedded");
        return new HikariDataSource(config);
    }

    private static String newPassword(Path file) throws IOException {
        SecureRandom random = new SecureRandom();
        String password = random.ints(32, 0, PASSWORD_ALPHABET.length()).mapToObj(PASSWORD_ALPHABET::charAt)
                .map(String::valueOf).collect(Collectors.joining());
        OwnerOnlyFiles.create(file, password + "\n");
        return password;
    }

    private static boolean trusts(Path hba) throws IOException {
        return Files.exists(hba) && Files.readAllLines(hba).stream().anyMatch(line -> TRUST.matcher(line).find());
    }

    /**
     * A data directory from an earlier version lets every local connection in: the superuser gets the
     * password (stored as a SCRAM verifier), then pg_hba.conf asks for it and the server re-reads it.
     * Safe to repeat if the ledger stops half-way: the password file was kept before anything changed.
     */
    private static void requirePassword(EmbeddedDatabase database, Path hba) throws IOException {
        try (Connection connection = database.server().getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            // ALTER ROLE takes no bind parameters; the password's alphabet has no quote to escape
            statement.execute("alter role " + SUPERUSER + " password '" + database.password() + "'");
            List<String> lines = Files.readAllLines(hba).stream().map(EmbeddedPostgresConfiguration::withScram).toList();
            Files.write(hba, lines, StandardCharsets.UTF_8);
            statement.execute("select pg_reload_conf()");
        } catch (SQLException e) {
            throw new IllegalStateException("could not give the embedded PostgreSQL a password", e);
        }
        log.warn("The embedded PostgreSQL in {} let local connections in without a password (created by an "
                + "earlier version); it now asks for the password kept beside it", hba.getParent());
    }

    private static String withScram(String line) {
        Matcher trust = TRUST.matcher(line);
        return trust.find() ? trust.replaceFirst("$1" + SCRAM + "$2") : line;
    }
}
