package cn.prepaid.ledger.projections;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.PreparedStatementSetter;
import org.springframework.jdbc.core.RowCallbackHandler;

import javax.sql.DataSource;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A throw-away embedded PostgreSQL with the ledger's schema, for projection tests that drive a projection
 * themselves (property tests, which run outside Spring's test context).
 */
public final class ScratchDatabase {

    private ScratchDatabase() {
    }

    public static EmbeddedPostgres started() throws IOException {
        EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
        Flyway.configure().dataSource(postgres.getPostgresDatabase()).locations("classpath:db/migration").load().migrate();
        return postgres;
    }

    /**
     * Counts the statements a projection sends with row handlers and with statement setters (the
     * batch-wide reads and writes), by their first twenty characters.
     */
    public static final class CountingJdbcTemplate extends JdbcTemplate {

        private final Map<String, Integer> statements = new ConcurrentHashMap<>();

        public CountingJdbcTemplate(DataSource dataSource) {
            super(dataSource);
        }

        @Override
        public void query(String sql, RowCallbackHandler rows, Object... args) {
            statements.merge(sql.substring(0, 20), 1, Integer::sum);
            super.query(sql, rows, args);
        }

        @Override
        public int update(String sql, PreparedStatementSetter setter) {
            statements.merge(sql.substring(0, 20), 1, Integer::sum);
            return super.update(sql, setter);
        }

        /** The statements counted since the last clear, by their first twenty characters. */
        public Map<String, Integer> statements() {
            return statements;
        }
    }
}
