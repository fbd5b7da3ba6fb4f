package cn.prepaid.ledger.projections.alerts;

import cn.prepaid.ledger.core.account.EscrowAccountEvent;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.EscrowAccountOpened;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.LessonsConsumed;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.MoneyMovement;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.RefundDisputeClosed;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.RefundDisputeOpened;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.SupervisionTermsChanged;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.TuitionDeposited;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.TuitionRefunded;
import cn.prepaid.ledger.core.policy.AlertThresholds;
import cn.prepaid.ledger.core.policy.SupervisionPolicy;
import cn.prepaid.ledger.projections.EventAtomicity;
import cn.prepaid.ledger.projections.PostgresTime;
import cn.prepaid.ledger.projections.alerts.JdbcActivityHistory.AccountActivity;
import cn.prepaid.ledger.projections.alerts.rules.ConsumptionStallRule;
import cn.prepaid.ledger.projections.alerts.rules.RefundDisputeOverdueRule;
import cn.prepaid.ledger.projections.alerts.rules.RefundDisputeOverdueRule.OpenDispute;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Feeds every account event to the alert rules: first the account's situation and history take the
 * event in, then each rule judges, then the alert book keeps what they found. An event is taken in
 * once: the situation row's {@code last_sequence} guards the whole step. The rows are read once per batch
 * and written with it ({@link AlertSituations}), as are the facts ({@link JdbcActivityHistory#record}).
 */
@Component
@ProcessingGroup(AlertProjection.PROCESSING_GROUP)
public class AlertProjection {

    /**
     * The account's situation after taking an event in, the time of its first deposit, whether a sweep
     * (stall or overdue dispute) already acted after this event, whether any window is kept for the account
     * or its institution, the institution's totals (its accounts, their balance and unearned tuition), and
     * whether every fact of the institution's accounts at which a window ends came before the event.
     */
    private record TakenIn(AccountSituation situation, Instant firstDepositAt, boolean sweptAfter,
                           boolean windowsKept, long institutionAccounts, long institutionBalanceFen,
                           long institutionLiabilityFen, boolean windowEndsAllBefore) {
    }

    public static final String PROCESSING_GROUP = "alerts";

    private static final String INSERT_DISPUTE = "insert into alert_dispute (account_id, dispute_id, order_id, "
            + "opened_at) values (?, ?, ?, ?) on conflict (account_id, dispute_id) do nothing";
    private static final String CLOSE_DISPUTE = "update alert_dispute set closed_at = ? where account_id = ? "
            + "and dispute_id = ?";
    private static final String SWEPT_AFTER = "select 'CONSUMPTION_STALL', '', swept_at from alert_sweep "
            + "where account_id = ? and after_sequence = ? union all select 'REFUND_DISPUTE_OVERDUE', dispute_id, "
            + "swept_at from alert_dispute_sweep where account_id = ? and after_sequence = ? order by 3, 1, 2";

    private final JdbcTemplate jdbc;
    private final JdbcActivityHistory history;
    private final AlertBook book;
    private final List<AlertRule> rules;
    private final EventAtomicity eventAtomicity;
    private final AlertSituations situations;
    /** The kinds of fact at which some windowed rule's windows end. */
    private final Set<Activity.Kind> windowEndKinds;

    public AlertProjection(JdbcTemplate jdbc, JdbcActivityHistory history, AlertBook book, List<AlertRule> rules,
                           EventAtomicity eventAtomicity) {
        this.eventAtomicity = eventAtomicity;
        this.jdbc = jdbc;
        this.history = history;
        this.book = book;
        this.rules = List.copyOf(rules);
        this.situations = new AlertSituations(jdbc);
        this.windowEndKinds = EnumSet.noneOf(Activity.Kind.class);
        this.rules.stream().filter(WindowedRule.class::isInstance)
                .forEach(rule -> windowEndKinds.addAll(List.of(((WindowedRule) rule).judgedAt())));
    }

    @EventHandler
    void on(EscrowAccountEvent event, @SequenceNumber long seq, @Timestamp Instant recordedAt) {
        eventAtomicity.atomically(() -> handle(event, seq, recordedAt));
    }

    private void handle(EscrowAccountEvent event, long seq, Instant recordedAt) {
        if (event instanceof EscrowAccountOpened opened) {
            SupervisionPolicy p = opened.policy();
            jdbc.update("with opened as (insert into alert_account (account_id, institution_id, region_code, "
                            + "minimum_balance_fen, liability_ratio_bp, large_threshold_fen, rapid_drain_24h_bp, "
                            + "rapid_drain_7d_bp, last_sequence) values (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                            + "on conflict (account_id) do nothing returning account_id) " + KEEP_THRESHOLDS
                            + "select account_id, ? from opened " + THRESHOLDS_REPLACED,
                    opened.accountId(), opened.institutionId(), opened.regionCode(), p.minimumBalanceFen(),
                    p.liabilityRatioBp(), p.largeTransferThresholdFen(), p.rapidDrain24hRatioBp(),
                    p.rapidDrain7dRatioBp(), seq, JSON.writeValueAsString(p.alertThresholds()));
            situations.opened(opened.accountId(), opened.institutionId());
            return;
        }
        Optional<AlertSituations.Row> held = situations.row(event.accountId());
        if (held.isEmpty() || held.get().lastSequence >= seq) {
            return; // taken in before
        }
        TakenIn taken = takeIn(held.get(), event, seq);
        if (event instanceof RefundDisputeOpened opened) {
            jdbc.update(INSERT_DISPUTE, opened.accountId(), opened.disputeId(), opened.orderId(),
                    java.sql.Timestamp.from(event.occurredAt()));
        } else if (event instanceof RefundDisputeClosed closed) {
            jdbc.update(CLOSE_DISPUTE, java.sql.Timestamp.from(event.occurredAt()), closed.accountId(),
                    closed.disputeId());
        }
        AccountSituation account = taken.situation();
        Optional<AccountSituation> institution = judgedAsInstitution(event, taken);
        Histories histories = histories(event, seq, taken.windowEndsAllBefore(), account, institution,
                new FirstDepositKnown(history, account.accountId(), taken.firstDepositAt()));
        ActivityHistory known = histories.account();
        List<AlertBook.JudgedWindows> windows = new ArrayList<>();
        for (AlertRule rule : rules) {
            if (rule instanceof WindowedRule windowed) {
                judgeWindows(windowed, event, account, known, windows)
                        .ifPresent(signal -> book.raise(account, signal, seq, recordedAt));
                continue;
            }
            for (AlertSignal signal : rule.evaluate(event, account, known)) {
                book.raise(account, signal, seq, recordedAt);
            }
        }
        institution.ifPresent(judged -> judgeInstitution(event, judged, histories.institution(), seq, recordedAt,
                windows));
        // no window kept before and none holding now: keeping the verdicts would delete and withdraw nothing
        if (taken.windowsKept() || windows.stream().anyMatch(judged -> !judged.holding().isEmpty())) {
            book.keepWindows(windows, recordedAt);
            situations.windowsKept(held.get(), windows.stream().filter(judged -> !judged.holding().isEmpty())
                    .map(judged -> judged.scope().accountId()).toList());
        }
        if (taken.sweptAfter()) {
            raiseSwept(account, known, seq);
        }
    }

    /** The histories the rules judge the account and its institution by (the institution's when it is judged). */
    private record Histories(ActivityHistory account, ActivityHistory institution) {
    }

    /**
     * The account's history and its institution's, holding what every windowed rule the event moves reads
     * first ({@link WindowEnds}), read by one statement: over the institution when it is judged as one (the
     * account's facts are among its accounts'), else over the account. When every fact of the institution at
     * which a window ends came before the event, the read could find no fact but the event's own; it is not
     * made.
     */
    private Histories histories(EscrowAccountEvent event, long seq, boolean windowEndsAllBefore,
                                AccountSituation account, Optional<AccountSituation> institution,
                                ActivityHistory known) {
        JdbcActivityHistory acrossAccounts = history.acrossInstitution();
        Stream<WindowEnds.Range> accountReads = rules.stream().filter(WindowedRule.class::isInstance)
                .map(WindowedRule.class::cast).flatMap(rule -> WindowJudge.windowEnds(rule, event, account).stream());
        Stream<WindowEnds.Range> institutionReads = institution.stream().flatMap(judged -> rules.stream()
                .filter(rule -> rule instanceof WindowedRule && INSTITUTION_WIDE.contains(rule.code()))
                .flatMap(rule -> WindowJudge.windowEnds((WindowedRule) rule, event, judged).stream()));
        Optional<WindowEnds.Range> read = WindowEnds.Range.covering(Stream.concat(accountReads, institutionReads));
        if (read.isEmpty()) {
            return new Histories(known, acrossAccounts);
        }
        WindowEnds.Range range = read.get();
        List<AccountActivity> facts;
        // a finer time than PostgreSQL keeps would be read back rounded: only the read gives the fact as stored
        if (windowEndsAllBefore && WindowEnds.wholeMicrosecond(event.occurredAt())) {
            facts = Activity.of(event, seq).filter(own -> range.kinds().contains(own.kind()))
                    .map(own -> new AccountActivity(account.accountId(), own)).stream().toList();
        } else if (institution.isEmpty()) {
            facts = history.betweenByAccount(account.accountId(), range.from(), range.to(), range.kindsArray());
        } else {
            facts = acrossAccounts.betweenByAccount(account.institutionId(), range.from(), range.to(),
                    range.kindsArray());
        }
        if (institution.isEmpty()) {
            return new Histories(new WindowEnds(known, account.accountId(), range,
                    facts.stream().map(AccountActivity::activity).toList()), acrossAccounts);
        }
        List<Activity> accountFacts = facts.stream().filter(fact -> fact.accountId().equals(account.accountId()))
                .map(AccountActivity::activity).toList();
        return new Histories(new WindowEnds(known, account.accountId(), range, accountFacts),
                new WindowEnds(acrossAccounts, account.institutionId(), range,
                        facts.stream().map(AccountActivity::activity).toList()));
    }

    /**
     * What the scheduled sweeps raised after this event (a rebuild passing it again): judged again at the
     * sweep's time, so the rebuilt alert is the live one, with the same id.
     */
    private void raiseSwept(AccountSituation account, ActivityHistory known, long seq) {
        for (Swept swept : jdbc.query(SWEPT_AFTER, (rs, n) -> new Swept(rs.getString(1), rs.getString(2),
                rs.getTimestamp(3).toInstant()), account.accountId(), seq, account.accountId(), seq)) {
            Optional<AlertSignal> signal = switch (AlertCode.valueOf(swept.code())) {
                case CONSUMPTION_STALL -> rules.stream().filter(ConsumptionStallRule.class::isInstance)
                        .map(ConsumptionStallRule.class::cast).findFirst()
                        .flatMap(stall -> stall.judgeAt(account, known, swept.at()));
                case REFUND_DISPUTE_OVERDUE -> rules.stream().filter(RefundDisputeOverdueRule.class::isInstance)
                        .map(RefundDisputeOverdueRule.class::cast).findFirst()
                        .flatMap(overdue -> dispute(account.accountId(), swept.conditionKey())
                                .flatMap(dispute -> overdue.judgeAt(dispute, account, swept.at())));
                default -> Optional.empty();
            };
            signal.ifPresent(raised -> book.raise(account, raised, seq, swept.at()));
        }
    }

    private Optional<OpenDispute> dispute(String accountId, String disputeId) {
        return jdbc.query("select order_id, opened_at from alert_dispute where account_id = ? and dispute_id = ?",
                (rs, n) -> new OpenDispute(accountId, disputeId, rs.getString(1), rs.getTimestamp(2).toInstant()),
                accountId, disputeId).stream().findFirst();
    }

    private record Swept(String code, String conditionKey, Instant at) {
    }

    /**
     * Re-judges the windows the event falls into and adds their verdicts to those the event's rules keep;
     * the latest that holds, if any.
     */
    private Optional<AlertSignal> judgeWindows(WindowedRule rule, EscrowAccountEvent event, AccountSituation scope,
                                               ActivityHistory known, List<AlertBook.JudgedWindows> windows) {
        Optional<WindowJudge.Verdicts> verdicts = WindowJudge.rejudge(rule, event, scope, known);
        if (verdicts.isEmpty()) {
            return Optional.empty();
        }
        WindowJudge.Verdicts judged = verdicts.get();
        windows.add(new AlertBook.JudgedWindows(scope, rule.code(), judged.from(), judged.to(),
                judged.holding().stream().map(AlertSignal::occurredAt).toList()));
        return judged.latest();
    }

    /** The rules that judge an institution's accounts together, as well as each account. */
    static final Set<AlertCode> INSTITUTION_WIDE = EnumSet.of(AlertCode.COLLECT_AND_RUN, AlertCode.RAPID_DRAIN,
            AlertCode.BALANCE_BELOW_FLOOR, AlertCode.BALANCE_NEAR_FLOOR);

    private static final String INSTITUTION_ACCOUNTS =
            "select account_id from alert_account where institution_id = ? order by account_id";

    /**
     * The institution as one, when this event has it judged: a fact or a change of terms, in an institution
     * of two or more accounts (one with a single account is judged as that account already). Its balance
     * and unearned tuition are all its accounts' together, its thresholds the account's (its institution's).
     */
    private static Optional<AccountSituation> judgedAsInstitution(EscrowAccountEvent event, TakenIn taken) {
        if (Activity.kindOf(event).isEmpty() && !(event instanceof SupervisionTermsChanged)
                || taken.institutionAccounts() < 2) {
            return Optional.empty();
        }
        AccountSituation account = taken.situation();
        return Optional.of(new AccountSituation(account.institutionId(), account.institutionId(),
                account.regionCode(), taken.institutionBalanceFen(), taken.institutionLiabilityFen(),
                account.minimumBalanceFen(), account.liabilityRatioBp(), account.largeThresholdFen(),
                account.rapidDrain24hBp(), account.rapidDrain7dBp(), account.thresholds()));
    }

    /**
     * Judges the institution as one: its accounts' facts together, its total balance against its floor
     * ({@code max(minimumBalance, liabilityRatio × all accounts' unearned tuition)}). Money collected in
     * one account and drained from another is a collect-and-run of the institution. An institution-wide
     * alert's account is the institution's id, and its {@code accounts} fact names the accounts it
     * concerns.
     */
    private void judgeInstitution(EscrowAccountEvent event, AccountSituation institution,
                                  ActivityHistory acrossAccounts, long seq, Instant recordedAt,
                                  List<AlertBook.JudgedWindows> windows) {
        for (AlertRule rule : rules) {
            if (!INSTITUTION_WIDE.contains(rule.code())) {
                continue;
            }
            if (rule instanceof WindowedRule windowed) {
                judgeWindows(windowed, event, institution, acrossAccounts, windows).ifPresent(signal ->
                        book.raise(institution, institutionWide(signal, history.accountsWithActivity(
                                institution.institutionId(), signal.occurredAt().minus(windowed.lookBack(institution)),
                                signal.occurredAt(), windowed.movedBy().toArray(Activity.Kind[]::new))), seq, recordedAt));
                continue;
            }
            for (AlertSignal signal : rule.evaluate(event, institution, acrossAccounts)) {
                book.raise(institution, institutionWide(signal, jdbc.queryForList(INSTITUTION_ACCOUNTS, String.class,
                        institution.institutionId())), seq, recordedAt);
            }
        }
    }

    private static AlertSignal institutionWide(AlertSignal signal, List<String> accounts) {
        Map<String, Object> facts = new HashMap<>(signal.facts());
        facts.put("scope", "INSTITUTION");
        facts.put("accounts", accounts);
        return new AlertSignal(signal.code(), signal.grade(), signal.conditionKey(), signal.occurredAt(),
                "institution-wide, accounts " + String.join(", ", accounts) + ": " + signal.summary(), facts);
    }

    @ResetHandler
    void reset() {
        book.clear();
    }

    /**
     * Takes the event into the account's row as the batch holds it: the position, the event's effect, when
     * the first deposit and the latest fact at which a window ends happened, and (written with the batch)
     * the fact the rules look back over. What the rules need about the institution is read from its rows
     * as the batch holds them: its accounts' rows before the event, which this account's after it.
     */
    private TakenIn takeIn(AlertSituations.Row row, EscrowAccountEvent event, long seq) {
        AlertSituations.Institution institution = situations.institution(row);
        Instant at = PostgresTime.asStored(event.occurredAt());
        Instant latestWindowEnd = null;
        for (AlertSituations.Row other : institution.rows) {
            latestWindowEnd = later(latestWindowEnd, other.latestWindowEndAt);
        }
        boolean windowEndsAllBefore = latestWindowEnd == null || latestWindowEnd.isBefore(at);
        if (event instanceof MoneyMovement moved) {
            row.balanceFen = moved.balanceAfterFen();
            row.liabilityFen += unearnedChangeFen(moved);
        } else if (event instanceof LessonsConsumed consumed) {
            row.liabilityFen -= consumed.consumedValueFen();
        } else if (event instanceof SupervisionTermsChanged changed) {
            SupervisionPolicy p = changed.policy();
            String stored = JSON.writeValueAsString(p.alertThresholds());
            jdbc.update(KEEP_THRESHOLDS + "values (?, ?) " + THRESHOLDS_REPLACED, row.accountId, stored);
            row.minimumBalanceFen = p.minimumBalanceFen();
            row.liabilityRatioBp = p.liabilityRatioBp();
            row.largeThresholdFen = p.largeTransferThresholdFen();
            row.rapidDrain24hBp = p.rapidDrain24hRatioBp();
            row.rapidDrain7dBp = p.rapidDrain7dRatioBp();
            row.thresholds = thresholds(stored); // parsed from the stored text, as a batch reading it would
        }
        Optional<Activity> activity = Activity.of(event, seq);
        activity.ifPresent(fact -> {
            if (fact.kind() == Activity.Kind.DEPOSIT) {
                row.firstDepositAt = row.firstDepositAt == null || at.isBefore(row.firstDepositAt) ? at : row.firstDepositAt;
            }
            if (windowEndKinds.contains(fact.kind())) {
                row.latestWindowEndAt = later(row.latestWindowEndAt, at);
            }
            history.record(row.accountId, fact);
        });
        row.lastSequence = seq;
        situations.changed(row);
        long balance = 0;
        long liability = 0;
        for (AlertSituations.Row account : institution.rows) {
            balance += account.balanceFen;
            liability += account.liabilityFen;
        }
        return new TakenIn(row.situation(), row.firstDepositAt, row.sweptAfter.contains(seq),
                row.windowsKept || institution.windowsKept, institution.rows.size(), balance, liability,
                windowEndsAllBefore);
    }

    private static Instant later(Instant known, Instant other) {
        return known == null || other != null && other.isAfter(known) ? other : known;
    }

    /** Unearned tuition grows with a deposit and shrinks with a refund; no other movement touches it. */
    private static long unearnedChangeFen(MoneyMovement moved) {
        if (moved instanceof TuitionDeposited deposited) {
            return deposited.amountFen();
        }
        return moved instanceof TuitionRefunded refunded ? -refunded.amountFen() : 0;
    }

    /**
     * The history, except that the account's earliest deposit comes from its situation row (kept there
     * as the event is taken in) rather than from one more query.
     */
    private static final class FirstDepositKnown extends ForwardingActivityHistory {

        private final String accountId;
        private final Instant firstDepositAt;

        FirstDepositKnown(ActivityHistory history, String accountId, Instant firstDepositAt) {
            super(history);
            this.accountId = accountId;
            this.firstDepositAt = firstDepositAt;
        }

        @Override
        public Optional<Instant> earliest(String account, Activity.Kind kind) {
            if (account.equals(accountId) && kind == Activity.Kind.DEPOSIT) {
                return Optional.ofNullable(firstDepositAt);
            }
            return super.earliest(account, kind);
        }
    }

    AccountSituation situation(String accountId) {
        return situation(jdbc, accountId);
    }

    /** The account as the rules see it: its row in {@code alert_account}, and its thresholds kept apart. */
    private static final String ROW_COLUMNS = "account_id, institution_id, region_code, balance_fen, "
            + "liability_fen, minimum_balance_fen, liability_ratio_bp, large_threshold_fen, rapid_drain_24h_bp, "
            + "rapid_drain_7d_bp";
    /** The thresholds of the account of the row named {@code alias}, or null (the defaults). */
    public static final String THRESHOLDS_OF = "(select t.alert_thresholds from alert_account_thresholds t "
            + "where t.account_id = %s.account_id)";
    private static final String KEEP_THRESHOLDS = "insert into alert_account_thresholds (account_id, alert_thresholds) ";
    private static final String THRESHOLDS_REPLACED = "on conflict (account_id) do update "
            + "set alert_thresholds = excluded.alert_thresholds";

    private static String situationColumns(String alias) {
        return alias + "." + ROW_COLUMNS.replace(", ", ", " + alias + ".") + ", " + THRESHOLDS_OF.formatted(alias);
    }
    /** Thresholds are kept as JSON of {@link AlertThresholds}; null (an account opened before them) means the defaults. */
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final RowMapper<AccountSituation> SITUATION = (rs, n) -> new AccountSituation(rs.getString(1),
            rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8),
            rs.getLong(9), rs.getLong(10), thresholds(rs.getString(11)));
    /**
     * Thresholds by their stored JSON, parsed once: every event reads its account's, and parsing them was a
     * tenth of the alert processor's thread. A memo of a pure function (the same text gives the same
     * thresholds in every process), so it decides nothing; the few distinct policies of a province fit,
     * and it starts again empty should there ever be more.
     */
    private static final Map<String, AlertThresholds> PARSED_THRESHOLDS = new ConcurrentHashMap<>();
    private static final int THRESHOLDS_KEPT = 1_000;

    static AlertThresholds thresholds(String stored) {
        if (stored == null) {
            return null;
        }
        AlertThresholds parsed = PARSED_THRESHOLDS.get(stored);
        if (parsed == null) {
            if (PARSED_THRESHOLDS.size() >= THRESHOLDS_KEPT) {
                PARSED_THRESHOLDS.clear();
            }
            parsed = JSON.readValue(stored, AlertThresholds.class);
            PARSED_THRESHOLDS.put(stored, parsed);
        }
        return parsed;
    }

    public static AccountSituation situation(JdbcTemplate jdbc, String accountId) {
        return jdbc.queryForObject("select " + situationColumns("a") + " from alert_account a where a.account_id = ?",
                SITUATION, accountId);
    }
}
