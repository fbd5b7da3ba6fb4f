package cn.prepaid.ledger.sim;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The raw-JDBC baseline signs in to the ledger's embedded PostgreSQL with the password kept beside it. */
class JdbcBaselineTest {

    @Test
    void theEmbeddedUrlCarriesThePasswordKeptBesideIt(@TempDir Path data) throws Exception {
        Path urlFile = data.resolve("embedded-postgres.url");
        Files.writeString(urlFile, "jdbc:postgresql://localhost:5433/postgres?user=postgres\n");
        assertEquals("jdbc:postgresql://localhost:5433/postgres?user=postgres", JdbcBaseline.embeddedUrl(urlFile));

        Files.writeString(data.resolve("embedded-postgres.password"), "s3cretPassw0rd\n");
        assertEquals("jdbc:postgresql://localhost:5433/postgres?user=postgres&password=s3cretPassw0rd",
                JdbcBaseline.embeddedUrl(urlFile));
    }
}
