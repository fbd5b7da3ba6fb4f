package cn.prepaid.ledger.api.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

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
        if (throwAway) {
            // Durability buys nothing for a database deleted at exit; it costs test time.
            builder.setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off");
        }
        if (port > 0) {
            builder.setPort(port);
        }
        EmbeddedPostgres postgres = builder.start();
        log.info("Embedded PostgreSQL started on port {} with data in {}{}", postgres.getPort(), dataDir,
                throwAway ? " (throw-away)" : "");
        return postgres;
    }

    @Bean(destroyMethod = "close")
    public DataSource dataSource(EmbeddedPostgres postgres,
                                 @Value("${spring.datasource.hikari.maximum-pool-size:20}") int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        config.setUsername("postgres");
        config.setMaximumPoolSize(poolSize);
        config.setPoolName("ledger-embedded");
        return new HikariDataSource(config);
    }
}
