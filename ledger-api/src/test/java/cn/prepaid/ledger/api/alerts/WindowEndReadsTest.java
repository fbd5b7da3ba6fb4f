package cn.prepaid.ledger.api.alerts;

import cn.prepaid.ledger.api.support.LedgerIntegrationTest;
import cn.prepaid.ledger.core.account.EscrowAccountEvent;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.EscrowAccountOpened;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.FundsTransferredOut;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.TuitionDeposited;
import cn.prepaid.ledger.core.institution.InstitutionStatus;
import cn.prepaid.ledger.core.policy.SupervisionMode;
import cn.prepaid.ledger.core.policy.SupervisionPolicy;
import cn.prepaid.ledger.projections.EventAtomicity;
import cn.prepaid.ledger.projections.alerts.AlertBook;
import cn.prepaid.ledger.projections.alerts.AlertRule;
import cn.prepaid.ledger.projections.alerts.DrivenAlertProjection;
import cn.prepaid.ledger.projections.alerts.JdbcActivityHistory;
import cn.prepaid.ledger.store.support.TestLedger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

import javax.sql.DataSource;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The alert processor reads the facts at which windows end after an event (so late facts re-judge the
 * windows they fall into) only when its institution holds such a fact at or after the event's time: a
 * deposit or an outflow in time order is judged without that read, and anything late or at the same time
 * is read as before. The projection is driven directly, with accounts of
 * its own, and its history's statements are counted.
 */
@LedgerIntegrationTest
class WindowEndReadsTest {

    private static final Instant T = Instant.parse("2026-10-01T02:00:00Z");
    private static final Duration FINEST = Duration.ofNanos(1_000);

    @Autowired
    DataSource dataSource;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    AlertBook book;
    @Autowired
    List<AlertRule> rules;
    @Autowired
    EventAtomicity eventAtomicity;

    /**
     * Where the history's reads of facts begin, a microsecond on: a read of the window ends after an event
     * begins just before the event's time, so it shows here as that time (as may a read looking back over a
     * window that begins there: the tests clear the list before the event whose read they expect).
     */
    private final List<Instant> windowEndReads = new CopyOnWriteArrayList<>();
    private final Map<String, Long> sequences = new HashMap<>();
    private DrivenAlertProjection projection;
    private String institution;

    @BeforeEach
    void setUp() {
        JdbcTemplate counted = new JdbcTemplate(dataSource) {
            @Override
            public <T> List<T> query(String sql, RowMapper<T> rowMapper, Object... args) {
                if ((sql.equals(JdbcActivityHistory.OF_ACCOUNT.between())
                        || sql.equals(JdbcActivityHistory.OF_INSTITUTION.between()))
                        && args[1] instanceof Timestamp from) {
                    windowEndReads.add(from.toInstant().plus(FINEST));
                }
                return super.query(sql, rowMapper, args);
            }
        };
        projection = new DrivenAlertProjection(jdbc, new JdbcActivityHistory(counted), book, rules, eventAtomicity);
        institution = TestLedger.newInstitutionId().value();
    }

    @Test
    void aDepositOrOutflowInTimeOrderIsJudgedWithoutReadingWindowEndsAndALateOrSimultaneousOneReadsThem() {
        String account = open("A");

        deposit(account, T);
        transferOut(account, T.plus(Duration.ofHours(1)));
        deposit(account, T.plus(Duration.ofHours(2)));
        assertThat(windowEndReads).as("in time order")
                .doesNotContain(T, T.plus(Duration.ofHours(1)), T.plus(Duration.ofHours(2)));

        Instant late = T.plus(Duration.ofMinutes(90));
        windowEndReads.clear();
        deposit(account, late.minus(Duration.ofHours(1)));
        assertThat(windowEndReads).as("a deposit before the outflow").contains(late.minus(Duration.ofHours(1)));

        transferOut(account, T.plus(Duration.ofHours(3)));
        assertThat(windowEndReads).as("an outflow in time order").doesNotContain(T.plus(Duration.ofHours(3)));
        windowEndReads.clear();
        deposit(account, T.plus(Duration.ofHours(3)));
        assertThat(windowEndReads).as("a deposit at the outflow's own time").contains(T.plus(Duration.ofHours(3)));

    }

    @Test
    void anOutflowOfAnotherAccountOfTheInstitutionLaterThanTheEventHasThemRead() {
        String first = open("A");
        String second = open("B");
        deposit(first, T);
        deposit(second, T);
        transferOut(first, T.plus(Duration.ofHours(2)));
        assertThat(windowEndReads).doesNotContain(T, T.plus(Duration.ofHours(2)));

        windowEndReads.clear();
        deposit(second, T.plus(Duration.ofHours(1)));
        assertThat(windowEndReads).as("the other account's outflow is later").contains(T.plus(Duration.ofHours(1)));

        deposit(second, T.plus(Duration.ofHours(3)));
        assertThat(windowEndReads).as("after every outflow of the institution")
                .doesNotContain(T.plus(Duration.ofHours(3)));
    }

    private String open(String suffix) {
        String account = institution + "-" + suffix;
        handle(new EscrowAccountOpened(account, institution, "330106", "B01", "6222-" + suffix,
                SupervisionMode.RISK_RESERVE, InstitutionStatus.ACTIVE,
                SupervisionPolicy.defaultsFor(SupervisionMode.RISK_RESERVE), T.minus(Duration.ofDays(1))));
        return account;
    }

    private void deposit(String account, Instant at) {
        String id = "D" + sequences.getOrDefault(account, 0L);
        handle(new TuitionDeposited(account, id, id, "O-" + id, "S", 10, 1_000, 10_000,
                LocalDate.of(2026, 10, 1), LocalDate.of(2026, 12, 31), 1_000_000, at));
    }

    private void transferOut(String account, Instant at) {
        String id = "T" + sequences.getOrDefault(account, 0L);
        handle(new FundsTransferredOut(account, id, id, 1_000, "counterparty", "rent", 990_000, null, at, List.of()));
    }

    private void handle(EscrowAccountEvent event) {
        long seq = sequences.merge(event.accountId(), 1L, Long::sum) - 1;
        projection.handle(event, seq, Instant.now());
    }
}
