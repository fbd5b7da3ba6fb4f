package cn.prepaid.ledger.api.support;

import cn.prepaid.ledger.api.LedgerApplication;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;

/**
 * Several ledger processes (application contexts, each with its own caches, locks and processors) on one
 * throw-away PostgreSQL, as a province runs them. Durability is off: these tests are about contention.
 */
public final class NodesOnOneDatabase implements AutoCloseable {

    private final EmbeddedPostgres postgres;

    public NodesOnOneDatabase() throws IOException {
        postgres = EmbeddedPostgres.builder().setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "off").setServerConfig("max_connections", "200").start();
    }

    /** A node on the test profile; {@code arguments} (e.g. {@code --ledger.node-name=a}) outrank the profile. */
    public ConfigurableApplicationContext start(String... arguments) {
        return new SpringApplicationBuilder(LedgerApplication.class).profiles("test").properties(
                "spring.datasource.url=" + postgres.getJdbcUrl("postgres", "postgres"),
                "spring.datasource.username=postgres", "server.port=0").run(arguments);
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
