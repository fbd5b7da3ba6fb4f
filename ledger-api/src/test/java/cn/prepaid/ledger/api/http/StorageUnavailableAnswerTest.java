package cn.prepaid.ledger.api.http;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.sql.SQLTransientConnectionException;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * When the connection pool gives no connection in time (an overloaded ledger), Spring fails the
 * transaction before it begins. A bank must get a retryable 503 for that, not a 500 "unexpected failure".
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
}
