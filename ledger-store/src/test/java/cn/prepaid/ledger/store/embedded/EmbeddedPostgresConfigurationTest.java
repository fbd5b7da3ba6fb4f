package cn.prepaid.ledger.store.embedded;

import cn.prepaid.ledger.store.embedded.EmbeddedPostgresConfiguration.EmbeddedDatabase;
import cn.prepaid.ledger.store.events.NodeSessions;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.env.MockEnvironment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The embedded server of a ledger kept across restarts commits durably and asks every connection for
 * a password that only the ledger's user can read; a throw-away one need not be durable.
 */
class EmbeddedPostgresConfigurationTest {

    private static final NodeSessions.Name NODE = NodeSessions.Name.fresh();

    private final EmbeddedPostgresConfiguration configuration = new EmbeddedPostgresConfiguration();

    @Test
    void aKeptDatabaseSyncsEveryCommitAndSaysWhereItListens(@TempDir Path home) throws Exception {
        Path dataDir = home.resolve("pg");
        try (EmbeddedDatabase database = configuration.embeddedPostgres(dataDir.toString(), 0);
             HikariDataSource pool = pool(database)) {
            JdbcTemplate jdbc = new JdbcTemplate(pool);
            // zonky starts the server with -F and synchronous_commit=off; a ledger must not lose answered postings
            assertThat(jdbc.queryForObject("show fsync", String.class)).isEqualTo("on");
            assertThat(jdbc.queryForObject("show synchronous_commit", String.class)).isEqualTo("on");
            assertThat(jdbc.queryForObject("show full_page_writes", String.class)).isEqualTo("on");
            // rows updated by every event gather dead versions by the thousand a minute under load
            assertThat(jdbc.queryForObject("show autovacuum_naptime", String.class)).isEqualTo("10s");
            assertThat(Files.readString(home.resolve(EmbeddedPostgresConfiguration.URL_FILE)).trim())
                    .isEqualTo("jdbc:postgresql://localhost:" + database.server().getPort() + "/postgres?user=postgres");
        }
    }

    @Test
    void aNewDatabaseAsksEveryConnectionForThePasswordKeptInAFileOnlyItsUserReads(@TempDir Path home)
            throws Exception {
        Path dataDir = home.resolve("pg");
        Path passwordFile = home.resolve(EmbeddedPostgresConfiguration.PASSWORD_FILE);
        try (EmbeddedDatabase database = configuration.embeddedPostgres(dataDir.toString(), 0)) {
            String password = Files.readString(passwordFile).strip();
            assertThat(password).hasSize(32).isEqualTo(database.password());
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile))).isEqualTo("rw-------");
            assertThat(Files.readString(dataDir.resolve("pg_hba.conf"))).contains("scram-sha-256")
                    .doesNotContainPattern("(?m)^\\s*(local|host).*\\strust\\b");
            assertRefused(database, null);
            assertRefused(database, "not-" + password);
            assertThat(connectsWith(database, password)).isTrue();
        }
        // the second start reuses the password it generated
        try (EmbeddedDatabase again = configuration.embeddedPostgres(dataDir.toString(), 0)) {
            assertThat(again.password()).isEqualTo(Files.readString(passwordFile).strip());
            assertThat(connectsWith(again, again.password())).isTrue();
        }
    }

    @Test
    void aDataDirectoryCreatedWithTrustByAnEarlierVersionIsGivenAPasswordAndKeepsItsData(@TempDir Path home)
            throws Exception {
        Path dataDir = home.resolve("pg");
        // what earlier versions did: zonky's defaults, every local connection trusted
        try (EmbeddedPostgres earlier = EmbeddedPostgres.builder().setDataDirectory(dataDir)
                .setCleanDataDirectory(false).setRegisterShutdownHook(false).start()) {
            JdbcTemplate jdbc = new JdbcTemplate(earlier.getPostgresDatabase());
            jdbc.execute("create table kept (fact text)");
            jdbc.update("insert into kept values ('posted before the upgrade')");
        }
        assertThat(Files.readString(dataDir.resolve("pg_hba.conf"))).containsPattern("(?m)^local\\s.*\\strust");

        try (EmbeddedDatabase upgraded = configuration.embeddedPostgres(dataDir.toString(), 0);
             HikariDataSource pool = pool(upgraded)) {
            Path passwordFile = home.resolve(EmbeddedPostgresConfiguration.PASSWORD_FILE);
            assertThat(Files.readString(passwordFile).strip()).isEqualTo(upgraded.password());
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile))).isEqualTo("rw-------");
            assertThat(Files.readString(dataDir.resolve("pg_hba.conf")))
                    .doesNotContainPattern("(?m)^\\s*(local|host).*\\strust\\b");
            // the server re-reads pg_hba.conf on a signal, shortly after
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertRefused(upgraded, null));
            assertThat(new JdbcTemplate(pool).queryForObject("select fact from kept", String.class))
                    .isEqualTo("posted before the upgrade");
        }
    }

    @Test
    void aSecuredDataDirectoryWithoutItsPasswordFileStopsTheStartWithAClearMessage(@TempDir Path home)
            throws Exception {
        Path dataDir = home.resolve("pg");
        configuration.embeddedPostgres(dataDir.toString(), 0).close();
        Files.delete(home.resolve(EmbeddedPostgresConfiguration.PASSWORD_FILE));
        assertThatThrownBy(() -> configuration.embeddedPostgres(dataDir.toString(), 0))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("asks for a password")
                .hasMessageContaining(EmbeddedPostgresConfiguration.PASSWORD_FILE);
    }

    @Test
    void aThrowAwayDatabaseSkipsDurabilityAndLeavesNoFilesBehind() throws Exception {
        try (EmbeddedDatabase database = configuration.embeddedPostgres("", 0); HikariDataSource pool = pool(database)) {
            JdbcTemplate jdbc = new JdbcTemplate(pool);
            assertThat(jdbc.queryForObject("show fsync", String.class)).isEqualTo("off");
            // commits still wait for their WAL write, so processors' asynchronous commits differ from commands'
            assertThat(jdbc.queryForObject("show synchronous_commit", String.class)).isEqualTo("on");
            assertRefused(database, null);
            String dataDir = jdbc.queryForObject("show data_directory", String.class);
            assertThat(Path.of(dataDir + ".password")).doesNotExist();
        }
    }

    @Test
    void theEmbeddedPoolTakesTheSameHikariSettingsAsAConfiguredDatabase() throws Exception {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("spring.datasource.hikari.maximum-pool-size", "7")
                .withProperty("spring.datasource.hikari.data-source-properties.reWriteBatchedInserts", "true");
        try (EmbeddedDatabase database = configuration.embeddedPostgres("", 0);
             HikariDataSource pool = (HikariDataSource) configuration.dataSource(database, environment, NODE)) {
            assertThat(pool.getMaximumPoolSize()).isEqualTo(7);
            assertThat(pool.getDataSourceProperties()).containsEntry("reWriteBatchedInserts", "true");
            assertThat(new JdbcTemplate(pool).queryForObject("select current_setting('application_name')",
                    String.class)).as("sessions named after the process").isEqualTo(NODE.value());
        }
    }

    private HikariDataSource pool(EmbeddedDatabase database) {
        return (HikariDataSource) configuration.dataSource(database, new MockEnvironment(), NODE);
    }

    private static boolean connectsWith(EmbeddedDatabase database, String password) throws SQLException {
        Properties credentials = new Properties();
        if (password != null) {
            credentials.setProperty("password", password);
        }
        try (var connection = DriverManager.getConnection(database.jdbcUrl(), credentials)) {
            return connection.isValid(1);
        }
    }

    private static void assertRefused(EmbeddedDatabase database, String password) {
        assertThatThrownBy(() -> connectsWith(database, password)).isInstanceOf(SQLException.class)
                .hasMessageContaining("password");
    }
}
