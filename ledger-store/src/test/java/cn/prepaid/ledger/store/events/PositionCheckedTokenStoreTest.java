package cn.prepaid.ledger.store.events;

import cn.prepaid.ledger.store.support.StoreIntegrationTest;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.UUID;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A position PostgreSQL took back (a crash lost a processor's last commits, which did not wait for the disk)
 * is never overwritten from the processor's memory: storing the next position and extending the claim both
 * refuse, and the segment claimed again goes on from the position PostgreSQL kept.
 */
@StoreIntegrationTest
class PositionCheckedTokenStoreTest {

    private static final String STORED = "select token from token_entry where processor_name = ? and segment = 0";

    @Autowired
    TokenStore tokens;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    PlatformTransactionManager transactions;

    @Test
    void aPositionTakenBackByTheDatabaseIsClaimedAgainInsteadOfOverwritten() {
        String processor = "checked-" + UUID.randomUUID();
        inTransaction(() -> tokens.initializeTokenSegments(processor, 1, position(0)));
        assertThat(inTransaction(() -> tokens.fetchToken(processor, 0))).isEqualTo(position(0));
        inTransaction(() -> tokens.storeToken(position(5), processor, 0));
        byte[] atFive = jdbc.queryForObject(STORED, byte[].class, processor);
        inTransaction(() -> tokens.storeToken(position(9), processor, 0));
        inTransaction(() -> tokens.extendClaim(processor, 0));

        // the crash: the commit that stored 9 is lost, the row is as it was after 5
        jdbc.update("update token_entry set token = ? where processor_name = ? and segment = 0", atFive, processor);

        assertThatThrownBy(() -> inTransaction(() -> tokens.extendClaim(processor, 0)))
                .as("an idle processor").isInstanceOf(UnableToClaimTokenException.class);
        assertThatThrownBy(() -> inTransaction(() -> tokens.storeToken(position(12), processor, 0)))
                .as("a processor that handled more").isInstanceOf(UnableToClaimTokenException.class);
        assertThatThrownBy(() -> inTransaction(() -> tokens.extendClaim(processor, 0)))
                .as("refused until claimed again").isInstanceOf(UnableToClaimTokenException.class);
        assertThat(jdbc.queryForObject(STORED, byte[].class, processor)).isEqualTo(atFive);

        assertThat(inTransaction(() -> tokens.fetchToken(processor, 0))).as("claimed again").isEqualTo(position(5));
        inTransaction(() -> tokens.storeToken(position(6), processor, 0));
        inTransaction(() -> tokens.extendClaim(processor, 0));
        assertThat(inTransaction(() -> tokens.fetchToken(processor, 0))).isEqualTo(position(6));
    }

    @Test
    void aClaimAnotherNodeTookIsRefusedAsBefore() {
        String processor = "checked-" + UUID.randomUUID();
        inTransaction(() -> tokens.initializeTokenSegments(processor, 1, position(0)));
        inTransaction(() -> tokens.fetchToken(processor, 0));
        jdbc.update("update token_entry set owner = 'another-node' where processor_name = ?", processor);
        assertThatThrownBy(() -> inTransaction(() -> tokens.storeToken(position(3), processor, 0)))
                .isInstanceOf(UnableToClaimTokenException.class);
        assertThatThrownBy(() -> inTransaction(() -> tokens.extendClaim(processor, 0)))
                .isInstanceOf(UnableToClaimTokenException.class);
    }

    private static TrackingToken position(long index) {
        return new GlobalSequenceTrackingToken(index);
    }

    private void inTransaction(Runnable work) {
        new TransactionTemplate(transactions).executeWithoutResult(status -> work.run());
    }

    private <T> T inTransaction(Supplier<T> work) {
        return new TransactionTemplate(transactions).execute(status -> work.get());
    }
}
