package cn.prepaid.ledger.api.http;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * When the connection pool gives no connection in time (an overloaded ledger), Spring fails the
 * transaction before it begins. A bank must get a retryable 503 for that, not a 500 "unexpected failure".
 * When the database fails later, a write may have been stored: the answer says the outcome is unknown
 * and that a retry with the same id is safe, never that nothing was stored.
 */
class StorageUnavailableAnswerTest {

    @RestController
    static class FailingStorage {
        @PostMapping("/no-transaction")
        void noTransaction() {
            throw new CannotCreateTransactionException("Could not open JDBC Connection for transaction",
                    new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection",
                            new SQLTransientConnectionException("ledger - Connection is not available, request timed out after 30000ms")));
        }

        /** PostgreSQL stopped during the commit: the commit may have happened, the rollback after it failed. */
        @PostMapping("/commit-lost")
        void commitLost() {
            throw new TransactionSystemException("JDBC rollback failed",
                    new SQLException("This connection has been closed.", "08003"));
        }

        /** A failure Spring did not translate, whose cause is the server shutting down mid-statement. */
        @PostMapping("/server-shut-down")
        void serverShutDown() {
            throw new IllegalStateException("command failed",
                    new SQLException("terminating connection due to administrator command", "57P01"));
        }

        @GetMapping("/read-failed")
        void readFailed() {
            throw new DataAccessResourceFailureException("I/O error", new SQLException("An I/O error occurred", "08006"));
        }
    }

    final MockMvc mvc = MockMvcBuilders.standaloneSetup(new FailingStorage())
            .setControllerAdvice(new ApiExceptionHandler()).build();

    @Test
    void aTransactionThatCouldNotBeginIsAnsweredAsStorageUnavailableWithoutItsCause() throws Exception {
        mvc.perform(post("/no-transaction"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(header().string("Retry-After", "5"))
                .andExpect(content().contentTypeCompatibleWith("application/problem+json"))
                .andExpect(jsonPath("$.code").value("STORAGE_UNAVAILABLE"))
                .andExpect(jsonPath("$.reference").isNotEmpty())
                .andExpect(content().string(not(containsString("JDBC"))));
    }

    @Test
    void aWriteWhoseCommitLostItsConnectionHasAnUnknownOutcomeThatIsSafeToRetry() throws Exception {
        for (String path : new String[] {"/commit-lost", "/server-shut-down"}) {
            mvc.perform(post(path))
                    .andExpect(status().isServiceUnavailable())
                    .andExpect(header().string("Retry-After", "5"))
                    .andExpect(content().contentTypeCompatibleWith("application/problem+json"))
                    .andExpect(jsonPath("$.code").value("OUTCOME_UNKNOWN"))
                    .andExpect(jsonPath("$.detail").value(containsString("same id is safe")))
                    .andExpect(jsonPath("$.detail").value(not(containsString("nothing was stored"))))
                    .andExpect(content().string(not(containsString("JDBC"))))
                    .andExpect(content().string(not(containsString("connection"))));
        }
    }

    @Test
    void aReadTheDatabaseFailedIsUnavailableWithoutClaimsAboutStoring() throws Exception {
        mvc.perform(get("/read-failed"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(header().string("Retry-After", "5"))
                .andExpect(jsonPath("$.code").value("STORAGE_UNAVAILABLE"))
                .andExpect(jsonPath("$.detail").value("storage is unavailable; retry later"));
    }
}
