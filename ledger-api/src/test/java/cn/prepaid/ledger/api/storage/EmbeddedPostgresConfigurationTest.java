package cn.prepaid.ledger.api.storage;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The embedded server of a ledger kept across restarts commits durably; a throw-away one need not. */
class EmbeddedPostgresConfigurationTest {

    private final EmbeddedPostgresConfiguration configuration = new EmbeddedPostgresConfiguration();

    @Test
    void aKeptDatabaseSyncsEveryCommitAndSaysWhereItListens(@TempDir Path home) throws Exception {
        Path dataDir = home.resolve("pg");
        try (EmbeddedPostgres postgres = configuration.embeddedPostgres(dataDir.toString(), 0)) {
            JdbcTemplate jdbc = new JdbcTemplate(postgres.getPostgresDatabase());
            // zonky starts the server with -F and synchronous_commit=off; a ledger must not lose answered postings
            assertThat(jdbc.queryForObject("show fsync", String.class)).isEqualTo("on");
            assertThat(jdbc.queryForObject("show synchronous_commit", String.class)).isEqualTo("on");
            assertThat(jdbc.queryForObject("show full_page_writes", String.class)).isEqualTo("on");
            assertThat(Files.readString(home.resolve(EmbeddedPostgresConfiguration.URL_FILE)).trim())
                    .isEqualTo("jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres?user=postgres");
        }
    }

    @Test
    void aThrowAwayDatabaseSkipsDurabilityAndWritesNoUrlFile() throws Exception {
        try (EmbeddedPostgres postgres = configuration.embeddedPostgres("", 0)) {
            JdbcTemplate jdbc = new JdbcTemplate(postgres.getPostgresDatabase());
            assertThat(jdbc.queryForObject("show fsync", String.class)).isEqualTo("off");
            assertThat(jdbc.queryForObject("show synchronous_commit", String.class)).isEqualTo("off");
        }
    }

    @Test
    void theEmbeddedPoolTakesTheSameHikariSettingsAsAConfiguredDatabase() throws Exception {
        org.springframework.mock.env.MockEnvironment environment = new org.springframework.mock.env.MockEnvironment()
                .withProperty("spring.datasource.hikari.maximum-pool-size", "7")
                .withProperty("spring.datasource.hikari.data-source-properties.reWriteBatchedInserts", "true");
        try (EmbeddedPostgres postgres = configuration.embeddedPostgres("", 0);
             com.zaxxer.hikari.HikariDataSource pool =
                     (com.zaxxer.hikari.HikariDataSource) configuration.dataSource(postgres, environment)) {
            assertThat(pool.getMaximumPoolSize()).isEqualTo(7);
            assertThat(pool.getDataSourceProperties()).containsEntry("reWriteBatchedInserts", "true");
            assertThat(new JdbcTemplate(pool).queryForObject("select 1", Integer.class)).isEqualTo(1);
        }
    }
}
