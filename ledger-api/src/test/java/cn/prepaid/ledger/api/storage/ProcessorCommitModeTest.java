package cn.prepaid.ledger.api.storage;

import cn.prepaid.ledger.api.support.BankFlows;
import cn.prepaid.ledger.api.support.Http;
import cn.prepaid.ledger.api.support.LedgerIntegrationTest;
import cn.prepaid.ledger.core.account.EscrowAccountEvent;
import cn.prepaid.ledger.projections.alerts.AlertBook;
import cn.prepaid.ledger.store.events.PositionCheckedTokenStore;
import cn.prepaid.ledger.store.support.TestLedger;
import org.axonframework.common.Registration;
import org.axonframework.config.Configuration;
import org.axonframework.config.EventProcessingConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import static cn.prepaid.ledger.api.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The event processors commit without waiting for the disk, each transaction for itself (the statement that
 * moves its position says so); a posting's transaction still waits, on the same pool of connections, and so
 * does a processor's transaction that appends changes to the alerts' live stream, whichever comes first.
 * Read inside the transactions themselves, just before they commit, by probes on the processors and on the
 * command bus (the server's own default is on, as in production).
 */
@LedgerIntegrationTest
class ProcessorCommitModeTest {

    private static final String SETTING = "select current_setting('synchronous_commit')";

    @LocalServerPort
    int port;
    @Autowired
    EventProcessingConfiguration processing;
    @Autowired
    Configuration axon;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    AlertBook book;
    @Autowired
    PlatformTransactionManager transactions;

    @Test
    void everyProcessorCommitsItsBatchesAsynchronouslyWhileAPostingCommitsSynchronously() {
        String account = TestLedger.unique("COMMITMODE");
        Map<String, String> seenByProcessors = new ConcurrentHashMap<>();
        List<String> seenByCommands = new CopyOnWriteArrayList<>();
        List<Registration> probes = new ArrayList<>();
        processing.eventProcessors().forEach((name, processor) ->
                probes.add(processor.registerHandlerInterceptor((unitOfWork, chain) -> {
                    if (unitOfWork.getMessage().getPayload() instanceof EscrowAccountEvent event
                            && event.accountId().equals(account)) {
                        atCommit(setting -> seenByProcessors.put(name, setting));
                    }
                    return chain.proceed();
                })));
        probes.add(axon.commandBus().registerHandlerInterceptor((unitOfWork, chain) -> {
            if (unitOfWork.getMessage().getPayload().toString().contains(account)) {
                atCommit(seenByCommands::add);
            }
            return chain.proceed();
        }));
        try {
            Http http = new Http(port);
            String institution = TestLedger.newInstitutionId().value();
            http.post(Http.ZHEJIANG, "/api/v1/institutions", json("institutionId", institution, "name", "提交方式",
                    "regionCode", "330106", "category", "SUBJECT", "supervisionMode", "FULL_CUSTODY"));
            http.post(Http.ZHEJIANG, "/api/v1/institutions/" + institution + "/approve", null);
            assertThat(http.post(Http.BANK, "/api/v1/accounts", json("accountId", account,
                    "institutionId", institution, "bankAccountNo", "1")).status()).isEqualTo(201);
            new BankFlows(http).depositAndConsume(account, "O-" + account);
            await().atMost(Duration.ofSeconds(20)).until(() -> seenByProcessors.keySet()
                    .containsAll(List.of("read-models", "alerts", "balance-checkpoints", "webhooks")));
        } finally {
            probes.forEach(Registration::cancel);
        }
        assertThat(seenByProcessors).as("inside each processor's transaction").containsOnlyKeys(
                "read-models", "alerts", "balance-checkpoints", "webhooks").allSatisfy((name, setting) ->
                assertThat(setting).as(name).isEqualTo("off"));
        assertThat(seenByCommands).as("inside the transactions of the opening, the deposit and the consumption")
                .hasSizeGreaterThanOrEqualTo(3).containsOnly("on");
        assertThat(jdbc.queryForObject(SETTING, String.class)).as("outside any transaction").isEqualTo("on");
    }

    @Test
    void aProcessorTransactionThatChangesAlertsWaitsForTheDiskAfterAllForTheLiveStream() {
        // the position moved first, as a processor's transaction does before Spring's commit, or after the change
        for (boolean positionFirst : new boolean[]{true, false}) {
            String alertId = TestLedger.unique("COMMITMODE-ALERT");
            List<String> atCommit = new CopyOnWriteArrayList<>();
            new TransactionTemplate(transactions).executeWithoutResult(status -> {
                if (positionFirst) {
                    movePosition();
                }
                book.announce(alertId, "330106");
                // after the alert book's own synchronisation, which appends the change just before the commit
                TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                    @Override
                    public void beforeCommit(boolean readOnly) {
                        if (!positionFirst) {
                            movePosition();
                        }
                        atCommit.add(jdbc.queryForObject(SETTING, String.class));
                    }
                });
            });
            assertThat(atCommit).as("position moved first: %s", positionFirst).containsExactly("on");
            // a change of an alert that does not exist is never streamed; this one is removed again
            assertThat(jdbc.update("delete from alert_change where alert_id = ?", alertId)).isOne();
        }
    }

    @Test
    void aTransactionThatMovesAPositionAndAsksNothingCommitsWithoutWaiting() {
        List<String> atCommit = new CopyOnWriteArrayList<>();
        new TransactionTemplate(transactions).executeWithoutResult(status -> {
            movePosition();
            atCommit(atCommit::add);
        });
        assertThat(atCommit).containsExactly("off");
    }

    /** What the token store's statement does to the transaction's commit, without a token to move. */
    private void movePosition() {
        jdbc.queryForObject("select " + PositionCheckedTokenStore.COMMIT_WITHOUT_WAITING_FOR_DISK_UNLESS_ASKED,
                Boolean.class);
    }

    /** Hands over the current transaction's synchronous_commit as it is just before the transaction commits. */
    private void atCommit(Consumer<String> seen) {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void beforeCommit(boolean readOnly) {
                seen.accept(jdbc.queryForObject(SETTING, String.class));
            }
        });
    }
}
