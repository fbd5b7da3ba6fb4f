package cn.prepaid.ledger.projections.alerts;

import cn.prepaid.ledger.core.account.EscrowAccountEvent;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.FundsReleased;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.FundsTransferredOut;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.OutflowRejected;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.TuitionDeposited;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.TuitionRefunded;
import cn.prepaid.ledger.core.account.OutflowType;
import cn.prepaid.ledger.core.rules.OutflowRejectionReason;
import cn.prepaid.ledger.projections.alerts.rules.CollectAndRunRule;
import cn.prepaid.ledger.projections.alerts.rules.RapidDrainRule;
import cn.prepaid.ledger.projections.alerts.rules.RefundSurgeRule;
import cn.prepaid.ledger.projections.alerts.rules.RejectedOutflowRule;
import cn.prepaid.ledger.projections.alerts.rules.StructuringRule;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Random;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ordering law: any arrival order of the same postings (same occurredAts) yields the same set of
 * standing alerts. Account histories are generated around the thresholds that matter (outflows just
 * under the large threshold, refunds in bursts, deposits that make or end a surge, refusals close
 * together), fed through the real rules in the order they happened and in a shuffled order, and the
 * alerts compared. The alert book's bookkeeping is mirrored in memory: a windowed rule's holding windows
 * per code, an alert withdrawn when a re-judgement leaves none; other signals fold into one alert per
 * code whose grade only rises.
 */
class ArrivalOrderPropertyTest {

    static final Instant START = Instant.parse("2026-03-01T00:00:00Z");
    static final AccountSituation ACCOUNT = Situations.DEFAULTS;
    static final List<AlertRule> RULES = List.of(new StructuringRule(), new RapidDrainRule(), new RefundSurgeRule(),
            new CollectAndRunRule(), new RejectedOutflowRule());

    /** One posting: what happened, when and how much. */
    record Fact(int index, Activity.Kind kind, Instant at, long amountFen) {

        EscrowAccountEvent event() {
            String id = "T" + index;
            return switch (kind) {
                case DEPOSIT -> new TuitionDeposited("ACC-1", id, id, "O" + index, "S", 10, amountFen / 10, amountFen,
                        LocalDate.of(2026, 3, 1), LocalDate.of(2026, 5, 31), 0, at);
                case RELEASE -> new FundsReleased("ACC-1", id, id, "O1", amountFen, 0, null, at);
                case REFUND -> new TuitionRefunded("ACC-1", id, id, "O1", amountFen, 0, at);
                case TRANSFER_OUT -> new FundsTransferredOut("ACC-1", id, id, amountFen, "x", "y", 0, null, at);
                case OUTFLOW_REJECTED -> new OutflowRejected("ACC-1", id, OutflowType.RELEASE, "O1", amountFen,
                        OutflowRejectionReason.EXCEEDS_RELEASABLE, "", 0, at);
                default -> throw new IllegalArgumentException(kind.name());
            };
        }
    }

    @Property(tries = 300)
    @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
    void anyArrivalOrderOfTheSamePostingsYieldsTheSameAlerts(@ForAll("histories") List<Fact> history,
                                                             @ForAll Random random) {
        List<Fact> inOrder = new ArrayList<>(history);
        inOrder.sort(Comparator.comparing(Fact::at).thenComparing(Fact::index));
        List<Fact> shuffled = new ArrayList<>(history);
        Collections.shuffle(shuffled, random);

        Map<AlertCode, Grade> expected = alerts(inOrder);
        Statistics.collect(!expected.isEmpty());
        assertThat(alerts(shuffled)).isEqualTo(expected);
    }

    /** The law would hold vacuously if the histories raised nothing: each alert must be raised now and then, not always. */
    @Property(tries = 300)
    void theGeneratedHistoriesRaiseEachAlertNowAndThen(@ForAll("histories") List<Fact> history) {
        Map<AlertCode, Grade> raised = alerts(history);
        for (AlertCode code : List.of(AlertCode.STRUCTURING, AlertCode.RAPID_DRAIN, AlertCode.REFUND_SURGE,
                AlertCode.COLLECT_AND_RUN)) {
            Statistics.label(code.name()).collect(raised.containsKey(code));
            Statistics.label(code.name()).coverage(coverage -> {
                coverage.check(true).percentage(p -> p > 3);
                coverage.check(false).percentage(p -> p > 3);
            });
        }
        Statistics.label("REJECTED_OUTFLOW RED").collect(raised.get(AlertCode.REJECTED_OUTFLOW) == Grade.RED);
        Statistics.label("REJECTED_OUTFLOW RED").coverage(coverage -> {
            coverage.check(true).percentage(p -> p > 3);
            coverage.check(false).percentage(p -> p > 3);
        });
    }

    @Provide
    Arbitrary<List<Fact>> histories() {
        Arbitrary<Activity.Kind> kinds = Arbitraries.of(Activity.Kind.DEPOSIT, Activity.Kind.RELEASE,
                Activity.Kind.REFUND, Activity.Kind.TRANSFER_OUT, Activity.Kind.OUTFLOW_REJECTED);
        // three weeks, by the hour: windows of 24 h, 48 h and 7 days overlap and fill
        Arbitrary<Instant> times = Arbitraries.integers().between(0, 21 * 24).map(h -> START.plus(Duration.ofHours(h)));
        Arbitrary<Long> amounts = Arbitraries.of(200_000L, 1_000_000L, 3_999_999L, 4_000_000L, 4_999_999L,
                5_000_000L, 20_000_000L);
        Arbitrary<Fact> facts = Combinators.combine(kinds, times, amounts)
                .as((kind, at, amount) -> new Fact(0, kind, at, amount));
        return facts.list().ofMinSize(3).ofMaxSize(30).map(list -> {
            List<Fact> numbered = new ArrayList<>();
            numbered.add(new Fact(0, Activity.Kind.DEPOSIT, START.minus(Duration.ofDays(1)), 30_000_000));
            for (int i = 0; i < list.size(); i++) {
                Fact fact = list.get(i);
                numbered.add(new Fact(i + 1, fact.kind(), fact.at(), fact.amountFen()));
            }
            return numbered;
        });
    }

    /** The standing alerts after the postings arrived in this order, by code with their grade. */
    static Map<AlertCode, Grade> alerts(List<Fact> arrival) {
        InMemoryActivityHistory history = new InMemoryActivityHistory();
        Map<AlertCode, Grade> alerts = new EnumMap<>(AlertCode.class);
        Map<AlertCode, NavigableSet<Instant>> holding = new EnumMap<>(AlertCode.class);
        for (Fact fact : arrival) {
            history.add(fact.at(), fact.kind(), fact.amountFen());
            EscrowAccountEvent event = fact.event();
            for (AlertRule rule : RULES) {
                if (rule instanceof WindowedRule windowed) {
                    WindowJudge.rejudge(windowed, event, ACCOUNT, history).ifPresent(verdicts -> {
                        NavigableSet<Instant> kept = holding.computeIfAbsent(rule.code(), code -> new TreeSet<>());
                        NavigableSet<Instant> judged = kept.subSet(verdicts.from(), true, verdicts.to(), true);
                        boolean removed = !judged.isEmpty();
                        judged.clear();
                        verdicts.holding().forEach(signal -> kept.add(signal.occurredAt()));
                        if (!verdicts.holding().isEmpty()) {
                            alerts.merge(rule.code(), rule.code().defaultGrade(), Grade::max);
                        } else if (removed && kept.isEmpty()) {
                            alerts.remove(rule.code());
                        }
                    });
                } else {
                    rule.evaluate(event, ACCOUNT, history)
                            .forEach(signal -> alerts.merge(signal.code(), signal.grade(), Grade::max));
                }
            }
        }
        return alerts;
    }
}
