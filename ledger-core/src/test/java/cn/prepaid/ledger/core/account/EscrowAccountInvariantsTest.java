package cn.prepaid.ledger.core.account;

import cn.prepaid.ledger.core.account.EscrowAccountCommand.ApplyInstitutionClosure;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.ApplySupervisionTerms;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.ApproveHeldOutflow;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.ConsumeLessons;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.DepositTuition;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.FreezeAccount;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.PostAdjustment;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.Posting;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.ReconcileStatement;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.RecordBankFee;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.RecordInterest;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.RejectHeldOutflow;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.RequestRefund;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.RequestRelease;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.RequestTransferOut;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.UnfreezeAccount;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.AccountFrozen;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.AccountUnfrozen;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.AdjustmentPosted;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.BankFeeCharged;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.EarnedTake;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.ChargeCapExceeded;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.EscrowAccountOpened;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.FundsReleased;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.FundsTransferredOut;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.HeldOutflowApproved;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.HeldOutflowRejected;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.InterestCredited;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.LessonsConsumed;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.OutflowHeld;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.OutflowRejected;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.RefundObligation;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.RefundObligationsEstablished;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.StatementMismatched;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.StatementReconciled;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.SupervisionTermsChanged;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.TuitionDeposited;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.TuitionRefunded;
import cn.prepaid.ledger.core.ids.BankTxnId;
import cn.prepaid.ledger.core.ids.ConsumptionId;
import cn.prepaid.ledger.core.ids.HeldOutflowId;
import cn.prepaid.ledger.core.ids.OrderId;
import cn.prepaid.ledger.core.ids.RegionCode;
import cn.prepaid.ledger.core.institution.InstitutionStatus;
import cn.prepaid.ledger.core.institution.SupervisionTerms;
import cn.prepaid.ledger.core.money.Money;
import cn.prepaid.ledger.core.money.Ratio;
import cn.prepaid.ledger.core.policy.SupervisionMode;
import cn.prepaid.ledger.core.policy.SupervisionPolicy;
import cn.prepaid.ledger.core.rules.LedgerRejection;
import cn.prepaid.ledger.core.rules.LedgerRuleException;
import cn.prepaid.ledger.core.rules.OutflowRejectionReason;
import org.axonframework.commandhandling.CommandResultMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.ResultValidator;
import org.hamcrest.BaseMatcher;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Consumer;

import static cn.prepaid.ledger.core.account.AccountHistory.ACC;
import static cn.prepaid.ledger.core.account.AccountHistory.ACCOUNT;
import static cn.prepaid.ledger.core.account.AccountHistory.REGION;
import static cn.prepaid.ledger.core.account.AccountHistory.T0;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random command sequences through the real aggregate (via the fixture), checked after every step
 * against an independent model rebuilt from the events the aggregate produced. A failure names the
 * seed, sequence and step, and the command that broke the invariant.
 */
class EscrowAccountInvariantsTest {

    /** Per seed. Raise with -Dinvariants.sequences=2000 for a longer hunt. */
    private static final int SEQUENCES = Integer.getInteger("invariants.sequences", 200);
    private static final int STEPS = Integer.getInteger("invariants.steps", 40);
    private static final long[] PRICES = {50_00, 80_00, 150_00, 400_00, 1000_00};

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1L, 20240301L, 987654321L})
    void invariantsHoldForRandomCommandSequences(long seed) {
        Random seeds = new Random(seed);
        Stats stats = new Stats();
        Fixtures fixtures = new Fixtures();
        for (int sequence = 0; sequence < SEQUENCES; sequence++) {
            new Sequence(fixtures, seed, sequence, new Random(seeds.nextLong()), stats).run();
        }
        // the generator must actually reach the interesting paths, or the invariants prove little
        assertThat(stats.events).as("events seen with seed " + seed)
                .containsKeys("FundsReleased", "TuitionRefunded", "FundsTransferredOut", "OutflowHeld",
                        "HeldOutflowApproved", "HeldOutflowRejected", "ChargeCapExceeded", "StatementReconciled",
                        "StatementMismatched", "RefundObligationsEstablished", "BankFeeCharged", "AccountFrozen");
        // The random sequences open no refund disputes: ORDER_IN_DISPUTE is RefundDisputeTest's.
        assertThat(stats.rejections.keySet()).as("outflow rejections seen with seed " + seed)
                .containsExactlyInAnyOrderElementsOf(java.util.Arrays.stream(OutflowRejectionReason.values())
                        .filter(reason -> reason != OutflowRejectionReason.ORDER_IN_DISPUTE).map(Enum::name).toList());
        assertThat(stats.ruleExceptions).as("refusals seen with seed " + seed).containsKeys(
                LedgerRejection.ACCOUNT_ALREADY_FROZEN, LedgerRejection.ACCOUNT_NOT_FROZEN,
                LedgerRejection.ORDER_NOT_FOUND, LedgerRejection.LESSONS_EXCEED_REMAINING,
                LedgerRejection.LESSONS_INVALID, LedgerRejection.AMOUNT_MISMATCH, LedgerRejection.ORDER_ALREADY_EXISTS,
                LedgerRejection.COURSE_DATES_INVALID, LedgerRejection.AMOUNT_INVALID,
                LedgerRejection.HELD_OUTFLOW_NOT_FOUND, LedgerRejection.HELD_OUTFLOW_ALREADY_DECIDED,
                LedgerRejection.HELD_OUTFLOW_BLOCKED);
    }

    /**
     * Two fixtures serve every sequence of a seed ({@code given} starts each step afresh). A fixture
     * that saw a command fail can no longer show its aggregate's state, so commands the model
     * expects to be refused go to their own fixture, where no state is read.
     */
    private static final class Fixtures {
        AggregateTestFixture<EscrowAccount> accepting = newFixture();
        final AggregateTestFixture<EscrowAccount> refusing = newFixture();
    }

    private static final class Stats {
        final Map<String, Integer> events = new TreeMap<>();
        final Map<String, Integer> rejections = new TreeMap<>();
        final Map<LedgerRejection, Integer> ruleExceptions = new TreeMap<>();
    }

    // ====================================================================== one random sequence

    private static final class Sequence {
        private final Fixtures fixtures;
        private final long seed;
        private final int number;
        private final Random random;
        private final Stats stats;
        private final Model model;
        private final List<Object> history = new ArrayList<>();
        private Instant now = T0;
        private int orderCounter;

        Sequence(Fixtures fixtures, long seed, int number, Random random, Stats stats) {
            this.fixtures = fixtures;
            this.seed = seed;
            this.number = number;
            this.random = random;
            this.stats = stats;
            SupervisionMode mode = random.nextInt(4) == 0 ? SupervisionMode.RISK_RESERVE : SupervisionMode.FULL_CUSTODY;
            SupervisionPolicy policy = randomPolicy(mode);
            EscrowAccountOpened opened = new EscrowAccountOpened(ACC, AccountHistory.INSTITUTION, REGION,
                    AccountHistory.BANK, AccountHistory.BANK_ACCOUNT_NO, mode, InstitutionStatus.ACTIVE, policy, T0);
            this.model = new Model(opened);
            history.add(opened);
        }

        void run() {
            for (int step = 0; step < STEPS; step++) {
                now = now.plus(Duration.ofMinutes(random.nextInt(12 * 60)));
                Object command = nextCommand(step);
                try {
                    apply(command);
                } catch (AssertionError | RuntimeException e) {
                    throw new AssertionError(String.format(
                            "invariant broken: seed=%d sequence=%d step=%d%ncommand: %s%nmode: %s, policy: %s%n"
                                    + "last events: %s%n%s",
                            seed, number, step, command, model.mode, model.policy,
                            history.subList(Math.max(0, history.size() - 6), history.size()), e.getMessage()), e);
                }
            }
        }

        private void apply(Object command) {
            LedgerRejection predicted = model.predictRefusal(command);
            if (predicted != null) {
                applyRefused(command, predicted);
                return;
            }
            List<EventMessage<?>> produced = new ArrayList<>();
            Object[] payload = new Object[1];
            ResultValidator<EscrowAccount> result = fixtures.accepting.given(history).when(command);
            result.expectEventsMatching(captureEvents(produced));
            try {
                result.expectResultMessageMatching(capture(message ->
                        payload[0] = ((CommandResultMessage<?>) message).getPayload()));
            } catch (AssertionError refused) {
                fixtures.accepting = newFixture();
                throw new AssertionError("the rules allow this command but the aggregate refused it", refused);
            }

            List<Object> events = new ArrayList<>();
            for (EventMessage<?> message : produced) {
                events.add(message.getPayload());
            }
            model.checkDecision(command, events, payload[0]);
            for (Object event : events) {
                stats.events.merge(event.getClass().getSimpleName(), 1, Integer::sum);
                if (event instanceof OutflowRejected rejected) {
                    stats.rejections.merge(rejected.reason().name(), 1, Integer::sum);
                }
                model.checkAndApply(event);
            }
            model.checkGlobalInvariants();
            result.expectState(model::assertMatches);
            history.addAll(events);
        }

        /** The rules refuse this command: the aggregate must throw exactly that rejection and record nothing. */
        private void applyRefused(Object command, LedgerRejection predicted) {
            List<EventMessage<?>> produced = new ArrayList<>();
            Throwable[] failure = new Throwable[1];
            ResultValidator<EscrowAccount> result = fixtures.refusing.given(history).when(command);
            result.expectEventsMatching(captureEvents(produced));
            try {
                result.expectException(capture(exception -> failure[0] = (Throwable) exception));
            } catch (AssertionError accepted) {
                throw new AssertionError("the rules refuse this command (" + predicted
                        + ") but the aggregate accepted it, recording " + produced, accepted);
            }
            assertThat(failure[0]).as("only rule exceptions may escape a handler").isInstanceOf(LedgerRuleException.class);
            assertThat(((LedgerRuleException) failure[0]).rejection()).isEqualTo(predicted);
            assertThat(produced).as("a refused command records nothing").isEmpty();
            stats.ruleExceptions.merge(predicted, 1, Integer::sum);
        }

        // ---------------------------------------------------------------------- the generator

        private Object nextCommand(int step) {
            BankTxnId txn = BankTxnId.of("T-" + step);
            int dice = random.nextInt(100);
            if (dice < 15) {
                return deposit(txn);
            } else if (dice < 33) {
                return consume(step);
            } else if (dice < 51) {
                return release(txn);
            } else if (dice < 60) {
                return refund(txn);
            } else if (dice < 64) {
                return new RecordBankFee(ACCOUNT, txn, Money.ofFen(feeAmount()), "fee", now);
            } else if (dice < 68) {
                long amount = random.nextInt(40) == 0 ? 0 : 1 + random.nextInt(random.nextBoolean() ? 1000_00 : 30000_00);
                return new RecordInterest(ACCOUNT, txn, Money.ofFen(amount), "interest", now);
            } else if (dice < 70) {
                long amount = random.nextInt(10) == 0 ? 0 : (random.nextBoolean() ? 1 : -1) * (1 + random.nextInt(5000_00));
                return new PostAdjustment(ACCOUNT, txn, Money.ofFen(amount), "correction", now);
            } else if (dice < 77) {
                return transfer(txn);
            } else if (dice < 83) {
                return new ApproveHeldOutflow(ACCOUNT, heldId(), "regulator", "ok", now);
            } else if (dice < 87) {
                return new RejectHeldOutflow(ACCOUNT, heldId(), "regulator", "no", now);
            } else if (dice < 90) {
                return new FreezeAccount(ACCOUNT, "check", "regulator", now);
            } else if (dice < 94) {
                return new UnfreezeAccount(ACCOUNT, "cleared", "regulator", now);
            } else if (dice < 97 && model.status != InstitutionStatus.CLOSED) {
                // the institution refuses every change once closed, so its accounts never get new terms after it
                InstitutionStatus status = random.nextInt(3) == 0 ? InstitutionStatus.SUSPENDED : InstitutionStatus.ACTIVE;
                return new ApplySupervisionTerms(ACCOUNT, new SupervisionTerms(RegionCode.of(REGION), status,
                        model.mode, random.nextBoolean() ? model.policy : randomPolicy(model.mode)), now);
            } else if (dice < 99) {
                return statement(step);
            } else {
                return new ApplyInstitutionClosure(ACCOUNT, "terminated", now);
            }
        }

        private DepositTuition deposit(BankTxnId txn) {
            String orderId = !model.orders.isEmpty() && random.nextInt(20) == 0 ? anyOrder() : "O-" + (++orderCounter);
            int lessons = random.nextInt(10) == 0 ? 61 + random.nextInt(10)
                    : random.nextInt(60) == 0 ? 0 : 1 + random.nextInt(60);
            long price = PRICES[random.nextInt(PRICES.length)];
            long amount = lessons * price + (random.nextInt(30) == 0 ? 1 : 0);
            LocalDate start = LocalDate.ofInstant(now, EscrowAccount.LEDGER_ZONE);
            LocalDate end = start.plusDays(random.nextInt(10) == 0 ? 93 + random.nextInt(60)
                    : random.nextInt(60) == 0 ? -1 : random.nextInt(92));
            return new DepositTuition(ACCOUNT, txn, Money.ofFen(amount), OrderId.of(orderId), "STU-" + orderId, lessons,
                    Money.ofFen(price), start, end, now);
        }

        private ConsumeLessons consume(int step) {
            String orderId = model.orders.isEmpty() || random.nextInt(25) == 0 ? "O-404" : anyOrder();
            Model.ModelOrder order = model.orders.get(orderId);
            int remaining = order == null ? 3 : order.lessonsRemaining();
            int lessons = random.nextInt(15) == 0 ? remaining + 1 + random.nextInt(3)
                    : random.nextInt(25) == 0 ? 0 : 1 + random.nextInt(Math.max(1, remaining));
            return new ConsumeLessons(ACCOUNT, OrderId.of(orderId), ConsumptionId.of("C-" + step), lessons, now);
        }

        private RequestRelease release(BankTxnId txn) {
            String orderId = model.orders.isEmpty() || random.nextInt(25) == 0 ? "O-404" : anyOrder();
            Model.ModelOrder order = model.orders.get(orderId);
            long earned = order == null ? 100_00 : Math.max(0, order.earnedUnreleased());
            long amount = switch (random.nextInt(5)) {
                case 0 -> earned;
                case 1 -> earned + 1 + random.nextInt(100_00);
                case 2 -> Math.max(0, model.available() - model.floor());
                default -> 1 + (long) (random.nextDouble() * Math.max(1, earned));
            };
            return new RequestRelease(ACCOUNT, txn, Money.ofFen(Math.max(1, amount)), OrderId.of(orderId), now);
        }

        private RequestRefund refund(BankTxnId txn) {
            String orderId = model.orders.isEmpty() || random.nextInt(25) == 0 ? "O-404" : anyOrder();
            Model.ModelOrder order = model.orders.get(orderId);
            long unconsumed = order == null ? 100_00 : order.unconsumed();
            long amount = switch (random.nextInt(4)) {
                case 0 -> unconsumed;
                case 1 -> unconsumed + 1;
                default -> 1 + (long) (random.nextDouble() * Math.max(1, unconsumed));
            };
            return new RequestRefund(ACCOUNT, txn, Money.ofFen(Math.max(1, amount)), OrderId.of(orderId), now);
        }

        private RequestTransferOut transfer(BankTxnId txn) {
            long unattributed = Math.max(0, model.unattributed());
            long limit = model.transferLimit();
            long amount = switch (random.nextInt(6)) {
                case 0 -> unattributed;
                case 1 -> limit + 1 + random.nextInt(500_00);
                case 2 -> Math.max(0, model.available() - model.floor());
                case 3 -> limit;
                case 4 -> unattributed + 1 + (long) (random.nextDouble() * Math.max(1, limit - unattributed));
                default -> 1 + (long) (random.nextDouble() * Math.max(1, unattributed));
            };
            return new RequestTransferOut(ACCOUNT, txn, Money.ofFen(Math.max(1, amount)), "basic account", "sweep", now);
        }

        private long feeAmount() {
            return random.nextInt(8) == 0 ? 1 + (long) (random.nextDouble() * Math.max(1, model.balance))
                    : 1 + random.nextInt(200_00);
        }

        private HeldOutflowId heldId() {
            if (!model.pending.isEmpty() && random.nextInt(5) != 0) {
                List<String> ids = new ArrayList<>(model.pending.keySet());
                return HeldOutflowId.of(ids.get(random.nextInt(ids.size())));
            }
            if (!model.decided.isEmpty() && random.nextBoolean()) {
                List<String> ids = new ArrayList<>(model.decided);
                return HeldOutflowId.of(ids.get(random.nextInt(ids.size())));
            }
            return HeldOutflowId.of(ACC + ".H" + (90 + random.nextInt(10)));
        }

        private ReconcileStatement statement(int step) {
            LocalDate date = LocalDate.ofInstant(now, EscrowAccount.LEDGER_ZONE).minusDays(random.nextInt(3));
            long closing = model.balanceAtEndOf(date) + (random.nextInt(3) == 0 ? random.nextInt(201) - 100 : 0);
            int count = model.postingsOn(date) + (random.nextInt(4) == 0 ? 1 : 0);
            return new ReconcileStatement(ACCOUNT, "S-" + step, date, Money.ofFen(closing), count);
        }

        private String anyOrder() {
            List<String> ids = new ArrayList<>(model.orders.keySet());
            return ids.get(random.nextInt(ids.size()));
        }

        private SupervisionPolicy randomPolicy(SupervisionMode mode) {
            SupervisionPolicy defaults = SupervisionPolicy.defaultsFor(mode);
            return switch (random.nextInt(4)) {
                case 0 -> defaults.withCoreValues(Money.ofFen(random.nextInt(3) * 500_00), defaults.liabilityRatio(),
                        defaults.largeTransferThreshold(), defaults.largeTransferRatio(),
                        defaults.largeTransferRatioFrom());
                case 1 -> defaults.withCoreValues(Money.ZERO, Ratio.ofBasisPoints(random.nextInt(10_001)),
                        Money.ofFen(1000_00 + random.nextInt(20000_00)), Ratio.ofBasisPoints(random.nextInt(5_000)),
                        Money.ofFen(random.nextInt(5000_00)));
                default -> defaults;
            };
        }
    }

    /**
     * A fixture with Axon's own check on: after every command it also sources the aggregate from its
     * events and compares the two, so a handler that changes state outside its event-sourcing
     * handlers fails here even when no accessor shows it.
     */
    private static AggregateTestFixture<EscrowAccount> newFixture() {
        AggregateTestFixture<EscrowAccount> fixture = new AggregateTestFixture<>(EscrowAccount.class);
        fixture.registerInjectableResource(InstitutionFunds.SINGLE_ACCOUNT);
        return fixture;
    }

    @SuppressWarnings("unchecked")
    private static Matcher<List<EventMessage<?>>> captureEvents(List<EventMessage<?>> sink) {
        return capture(list -> sink.addAll((List<EventMessage<?>>) list));
    }

    private static <T> Matcher<T> capture(Consumer<Object> sink) {
        return new BaseMatcher<>() {
            @Override
            public boolean matches(Object actual) {
                sink.accept(actual);
                return true;
            }

            @Override
            public void describeTo(Description description) {
                description.appendText("anything (captured)");
            }
        };
    }

    // ====================================================================== the independent model

    /**
     * What the account should look like, rebuilt only from its events and the rules of DOMAIN.md §4;
     * it shares no code with the aggregate but the policy's floor and large-outflow arithmetic.
     */
    private static final class Model {

        static final class ModelOrder {
            final String studentRef;
            final long price;
            final long paid;
            int consumedLessons;
            long released;
            long refunded;
            long heldRelease;

            ModelOrder(String studentRef, long price, long paid) {
                this.studentRef = studentRef;
                this.price = price;
                this.paid = paid;
            }

            long consumedValue() {
                return consumedLessons * price;
            }

            long unconsumed() {
                return paid - consumedValue() - refunded;
            }

            long earnedUnreleased() {
                return consumedValue() - released - heldRelease;
            }

            int lessonsRemaining() {
                return (int) (unconsumed() / price);
            }
        }

        final SupervisionMode mode;
        SupervisionPolicy policy;
        InstitutionStatus status;
        boolean frozen;
        long balance;
        long postingSum;
        final Map<String, ModelOrder> orders = new LinkedHashMap<>();
        final Map<String, OutflowHeld> pending = new LinkedHashMap<>();
        final java.util.Set<String> decided = new java.util.LinkedHashSet<>();
        final TreeMap<LocalDate, long[]> days = new TreeMap<>();   // net fen, postings
        int heldCount;
        int postingCount;
        String approving;

        Model(EscrowAccountOpened opened) {
            mode = opened.supervisionMode();
            policy = opened.policy();
            status = opened.institutionStatus();
        }

        long liability() {
            return orders.values().stream().mapToLong(ModelOrder::unconsumed).sum();
        }

        long reserved() {
            return pending.values().stream().mapToLong(OutflowHeld::amountFen).sum();
        }

        long available() {
            return balance - reserved();
        }

        long floor() {
            return policy.floor(Money.ofFen(liability())).fen();
        }

        long earnedUnreleased() {
            return orders.values().stream().mapToLong(o -> Math.max(0, o.earnedUnreleased())).sum();
        }

        /** What a transfer may take under full custody: money backing no order, then earned and unreleased value. */
        long transferLimit() {
            return Math.max(0, unattributed()) + earnedUnreleased();
        }

        long unattributed() {
            return available() - liability() - earnedUnreleased();
        }

        long balanceAtEndOf(LocalDate date) {
            return days.headMap(date, true).values().stream().mapToLong(d -> d[0]).sum();
        }

        int postingsOn(LocalDate date) {
            long[] day = days.get(date);
            return day == null ? 0 : (int) day[1];
        }

        // ---------------------------------------------------------------------- refusals (no events)

        /** The rejection the rules demand for this command, or null when it must be handled (recorded or not). */
        LedgerRejection predictRefusal(Object command) {
            if (command instanceof FreezeAccount) {
                return frozen ? LedgerRejection.ACCOUNT_ALREADY_FROZEN : null;
            } else if (command instanceof UnfreezeAccount) {
                return frozen ? null : LedgerRejection.ACCOUNT_NOT_FROZEN;
            } else if (command instanceof ConsumeLessons c) {
                ModelOrder order = orders.get(c.orderId().value());
                return order == null ? LedgerRejection.ORDER_NOT_FOUND
                        : c.lessons() <= 0 ? LedgerRejection.LESSONS_INVALID
                        : status == InstitutionStatus.CLOSED ? LedgerRejection.INSTITUTION_CLOSED
                        : c.lessons() > order.lessonsRemaining() ? LedgerRejection.LESSONS_EXCEED_REMAINING : null;
            } else if (command instanceof DepositTuition d) {
                return outOfRange(d.amount()) ? LedgerRejection.AMOUNT_INVALID
                        : d.lessons() <= 0 ? LedgerRejection.LESSONS_INVALID
                        : !d.lessonPrice().isPositive() ? LedgerRejection.AMOUNT_INVALID
                        : d.lessons() * d.lessonPrice().fen() != d.amount().fen() ? LedgerRejection.AMOUNT_MISMATCH
                        : d.courseEnd().isBefore(d.courseStart()) ? LedgerRejection.COURSE_DATES_INVALID
                        : orders.containsKey(d.orderId().value()) ? LedgerRejection.ORDER_ALREADY_EXISTS : null;
            } else if (command instanceof PostAdjustment p) {
                long fen = p.amount().fen();
                return fen == 0 || Math.abs(fen) > Money.MAX_POSTING.fen() ? LedgerRejection.AMOUNT_INVALID : null;
            } else if (command instanceof Posting p) {
                return outOfRange(p.amount()) ? LedgerRejection.AMOUNT_INVALID : null;
            } else if (command instanceof ApproveHeldOutflow a) {
                OutflowHeld held = pending.get(a.heldOutflowId().value());
                if (held == null) {
                    return decided.contains(a.heldOutflowId().value()) ? LedgerRejection.HELD_OUTFLOW_ALREADY_DECIDED
                            : LedgerRejection.HELD_OUTFLOW_NOT_FOUND;
                }
                boolean blocked = frozen || status != InstitutionStatus.ACTIVE || held.amountFen() > balance
                        || balance - held.amountFen() < floor()
                        || (held.outflowType() == OutflowType.TRANSFER_OUT && mode == SupervisionMode.FULL_CUSTODY
                        && unattributed() < 0);
                return blocked ? LedgerRejection.HELD_OUTFLOW_BLOCKED : null;
            } else if (command instanceof RejectHeldOutflow r) {
                String id = r.heldOutflowId().value();
                return pending.containsKey(id) ? null : decided.contains(id)
                        ? LedgerRejection.HELD_OUTFLOW_ALREADY_DECIDED : LedgerRejection.HELD_OUTFLOW_NOT_FOUND;
            }
            return null;   // statements, terms and closure are always handled
        }

        private static boolean outOfRange(Money amount) {
            return !amount.isPositive() || amount.isGreaterThan(Money.MAX_POSTING);
        }

        // ---------------------------------------------------------------------- decisions (events + answer)

        void checkDecision(Object command, List<Object> events, Object answer) {
            if (command instanceof FreezeAccount) {
                assertThat(frozen).as("froze a frozen account").isFalse();
            } else if (command instanceof UnfreezeAccount) {
                assertThat(frozen).as("unfroze an account that was not frozen").isTrue();
            } else if (command instanceof DepositTuition d) {
                assertThat(events.get(0)).isInstanceOf(TuitionDeposited.class);
                assertThat(((PostingOutcome) answer).status()).isEqualTo(PostingOutcome.Status.RECORDED);
                boolean breach = d.lessons() > policy.maxLessonsPerCharge()
                        || d.courseEnd().isAfter(d.courseStart().plusMonths(policy.maxMonthsPerCharge()));
                assertThat(events).as("ChargeCapExceeded iff the charge breaks the cap").hasSize(breach ? 2 : 1);
                if (breach) {
                    assertThat(events.get(1)).isInstanceOf(ChargeCapExceeded.class);
                }
            } else if (command instanceof Posting p) {
                assertThat(events).as("a posting yields exactly one event").hasSize(1);
                PostingOutcome outcome = (PostingOutcome) answer;
                Object event = events.get(0);
                PostingOutcome.Status expected = event instanceof FundsReleased ? PostingOutcome.Status.RELEASED
                        : event instanceof TuitionRefunded ? PostingOutcome.Status.REFUNDED
                        : event instanceof FundsTransferredOut ? PostingOutcome.Status.TRANSFERRED
                        : event instanceof OutflowHeld ? PostingOutcome.Status.HELD
                        : event instanceof OutflowRejected ? PostingOutcome.Status.REJECTED
                        : PostingOutcome.Status.RECORDED;
                assertThat(outcome.status()).isEqualTo(expected);
                assertThat(outcome.bankTxnId()).isEqualTo(p.bankTxnId().value());
                assertThat(outcome.balanceFen()).as("answered balance").isEqualTo(balance + signedPosting(event));
                if (event instanceof OutflowRejected rejected) {
                    assertThat(outcome.rejection()).isEqualTo(rejected.reason());
                    assertThat(rejected.amountFen()).isEqualTo(p.amount().fen());
                }
                if (event instanceof OutflowHeld held) {
                    assertThat(outcome.heldOutflowId()).isEqualTo(held.heldOutflowId());
                }
            } else if (command instanceof ApproveHeldOutflow a) {
                assertThat(events).hasSize(2);
                HeldOutflowDecision decision = (HeldOutflowDecision) answer;
                assertThat(decision.status()).isEqualTo(HeldOutflowDecision.Status.APPROVED);
                assertThat(decision.balanceFen())
                        .isEqualTo(balance - pending.get(a.heldOutflowId().value()).amountFen());
            } else if (command instanceof RejectHeldOutflow) {
                assertThat(events).hasSize(1);
                assertThat(((HeldOutflowDecision) answer).status()).isEqualTo(HeldOutflowDecision.Status.REJECTED);
            } else if (command instanceof ConsumeLessons c) {
                ConsumptionOutcome outcome = (ConsumptionOutcome) answer;
                ModelOrder order = orders.get(c.orderId().value());
                assertThat(outcome.lessonsConsumed()).isEqualTo(order.consumedLessons + c.lessons());
            } else if (command instanceof ReconcileStatement s) {
                boolean matches = s.closingBalance().fen() == balanceAtEndOf(s.statementDate())
                        && s.transactionCount() == postingsOn(s.statementDate());
                assertThat(events).hasSize(1);
                assertThat(events.get(0)).isInstanceOf(matches ? StatementReconciled.class : StatementMismatched.class);
                assertThat(((StatementOutcome) answer).ledgerBalanceFen()).isEqualTo(balanceAtEndOf(s.statementDate()));
            }
        }

        private static long signedPosting(Object event) {
            if (event instanceof TuitionDeposited e) {
                return e.amountFen();
            } else if (event instanceof InterestCredited e) {
                return e.amountFen();
            } else if (event instanceof AdjustmentPosted e) {
                return e.amountFen();
            } else if (event instanceof BankFeeCharged e) {
                return -e.amountFen();
            } else if (event instanceof FundsReleased e) {
                return -e.amountFen();
            } else if (event instanceof TuitionRefunded e) {
                return -e.amountFen();
            } else if (event instanceof FundsTransferredOut e) {
                return -e.amountFen();
            }
            return 0;
        }

        // ---------------------------------------------------------------------- each event, then apply it

        void checkAndApply(Object event) {
            if (event instanceof TuitionDeposited e) {
                assertThat(orders).doesNotContainKey(e.orderId());
                assertThat(e.amountFen()).isEqualTo(e.lessons() * e.lessonPriceFen()).isPositive();
                orders.put(e.orderId(), new ModelOrder(e.studentRef(), e.lessonPriceFen(), e.amountFen()));
                post(e.postingId(), e.amountFen(), e.balanceAfterFen(), e.occurredAt());
            } else if (event instanceof ChargeCapExceeded e) {
                assertThat(e.lessons() > e.maxLessons()
                        || e.courseEnd().isAfter(e.courseStart().plusMonths(e.maxMonths()))).isTrue();
            } else if (event instanceof LessonsConsumed e) {
                ModelOrder order = orders.get(e.orderId());
                assertThat(e.lessons()).isPositive().isLessThanOrEqualTo(order.lessonsRemaining());
                assertThat(e.consumedValueFen()).isEqualTo(e.lessons() * order.price);
                order.consumedLessons += e.lessons();
                assertThat(e.lessonsConsumedTotal()).isEqualTo(order.consumedLessons);
                assertThat(e.lessonsRemaining()).isEqualTo(order.lessonsRemaining());
            } else if (event instanceof FundsReleased e) {
                applyRelease(e);
            } else if (event instanceof TuitionRefunded e) {
                ModelOrder order = orders.get(e.orderId());
                assertThat(e.amountFen()).as("refund within the unconsumed value").isPositive()
                        .isLessThanOrEqualTo(order.unconsumed());
                order.refunded += e.amountFen();
                post(e.postingId(), -e.amountFen(), e.balanceAfterFen(), e.occurredAt());
                assertThat(balance).as("balance after a refund").isNotNegative();
            } else if (event instanceof FundsTransferredOut e) {
                applyTransfer(e);
            } else if (event instanceof OutflowHeld e) {
                applyHold(e);
            } else if (event instanceof OutflowRejected e) {
                checkRejectionReason(e);
            } else if (event instanceof HeldOutflowApproved e) {
                assertThat(pending).containsKey(e.heldOutflowId());
                assertOutflowMayLeave("approval");
                approving = e.heldOutflowId();
            } else if (event instanceof HeldOutflowRejected e) {
                OutflowHeld held = pending.remove(e.heldOutflowId());
                assertThat(held).as("rejected a pending outflow").isNotNull();
                decided.add(e.heldOutflowId());
                if (held.outflowType() == OutflowType.RELEASE) {
                    orders.get(held.orderId()).heldRelease -= held.amountFen();
                }
                for (EarnedTake take : held.earnedFromOrders()) {
                    orders.get(take.orderId()).heldRelease -= take.amountFen();
                }
            } else if (event instanceof InterestCredited e) {
                post(e.postingId(), e.amountFen(), e.balanceAfterFen(), e.occurredAt());
            } else if (event instanceof BankFeeCharged e) {
                post(e.postingId(), -e.amountFen(), e.balanceAfterFen(), e.occurredAt());
            } else if (event instanceof AdjustmentPosted e) {
                post(e.postingId(), e.amountFen(), e.balanceAfterFen(), e.occurredAt());
            } else if (event instanceof AccountFrozen) {
                frozen = true;
            } else if (event instanceof AccountUnfrozen) {
                frozen = false;
            } else if (event instanceof SupervisionTermsChanged e) {
                assertThat(e.supervisionMode()).isEqualTo(mode);
                status = e.institutionStatus();
                policy = e.policy();
            } else if (event instanceof RefundObligationsEstablished e) {
                List<RefundObligation> expected = new ArrayList<>();
                orders.forEach((id, order) -> {
                    if (order.unconsumed() > 0) {
                        expected.add(new RefundObligation(id, order.studentRef, order.unconsumed()));
                    }
                });
                assertThat(e.obligations()).isEqualTo(expected);
                assertThat(e.totalFen()).isEqualTo(liability());
                status = InstitutionStatus.CLOSED;
            } else if (event instanceof StatementReconciled e) {
                assertThat(e.ledgerBalanceFen()).isEqualTo(balanceAtEndOf(e.statementDate()))
                        .isEqualTo(e.closingBalanceFen());
                assertThat(e.ledgerTransactionCount()).isEqualTo(postingsOn(e.statementDate()))
                        .isEqualTo(e.transactionCount());
            } else if (event instanceof StatementMismatched e) {
                assertThat(e.ledgerBalanceFen()).isEqualTo(balanceAtEndOf(e.statementDate()));
                assertThat(e.ledgerTransactionCount()).isEqualTo(postingsOn(e.statementDate()));
                assertThat(e.differenceFen()).isEqualTo(e.closingBalanceFen() - e.ledgerBalanceFen());
                assertThat(e.differenceFen() != 0 || e.transactionCount() != e.ledgerTransactionCount()).isTrue();
            } else {
                throw new AssertionError("unexpected event " + event);
            }
        }

        private void applyRelease(FundsReleased e) {
            ModelOrder order = orders.get(e.orderId());
            assertThat(order).as("released for a known order").isNotNull();
            assertOutflowMayLeave("release");
            assertThat(e.amountFen()).isPositive();
            long heldPart = 0;
            if (e.heldOutflowId() != null) {
                OutflowHeld held = pending.remove(e.heldOutflowId());
                assertThat(e.heldOutflowId()).as("paid only the outflow being approved").isEqualTo(approving);
                decided.add(e.heldOutflowId());
                assertThat(held.outflowType()).isEqualTo(OutflowType.RELEASE);
                assertThat(held.amountFen()).isEqualTo(e.amountFen());
                assertThat(held.orderId()).isEqualTo(e.orderId());
                heldPart = e.amountFen();
                approving = null;
            }
            if (mode == SupervisionMode.FULL_CUSTODY) {
                assertThat(e.amountFen()).as("release within consumed-but-unreleased value")
                        .isLessThanOrEqualTo(order.consumedValue() - order.released - (order.heldRelease - heldPart));
            }
            order.heldRelease -= heldPart;
            order.released += e.amountFen();
            post(e.postingId(), -e.amountFen(), e.balanceAfterFen(), e.occurredAt());
            assertThat(balance).as("balance after a release").isNotNegative().isGreaterThanOrEqualTo(floor());
            if (e.heldOutflowId() == null) {
                assertThat(available()).as("a release leaves what is held for pending outflows").isGreaterThanOrEqualTo(floor());
            }
        }

        private void applyTransfer(FundsTransferredOut e) {
            assertOutflowMayLeave("transfer");
            assertThat(e.amountFen()).isPositive();
            if (e.heldOutflowId() != null) {
                OutflowHeld held = pending.remove(e.heldOutflowId());
                assertThat(e.heldOutflowId()).as("paid only the outflow being approved").isEqualTo(approving);
                decided.add(e.heldOutflowId());
                assertThat(held.outflowType()).isEqualTo(OutflowType.TRANSFER_OUT);
                assertThat(held.amountFen()).isEqualTo(e.amountFen());
                assertThat(e.earnedFromOrders()).isEqualTo(held.earnedFromOrders());
                for (EarnedTake take : e.earnedFromOrders()) {
                    orders.get(take.orderId()).heldRelease -= take.amountFen();
                    orders.get(take.orderId()).released += take.amountFen();
                }
                approving = null;
            } else if (mode == SupervisionMode.FULL_CUSTODY) {
                checkEarnedTakes(e.amountFen(), e.earnedFromOrders());
                for (EarnedTake take : e.earnedFromOrders()) {
                    orders.get(take.orderId()).released += take.amountFen();
                }
            } else {
                assertThat(e.earnedFromOrders()).isEmpty();
            }
            post(e.postingId(), -e.amountFen(), e.balanceAfterFen(), e.occurredAt());
            assertThat(balance).as("balance after a transfer").isNotNegative().isGreaterThanOrEqualTo(floor());
            if (e.heldOutflowId() == null) {
                assertThat(available()).as("a transfer leaves what is held for pending outflows").isGreaterThanOrEqualTo(floor());
            }
        }

        private void applyHold(OutflowHeld e) {
            assertOutflowMayLeave("hold");
            assertThat(e.heldOutflowId()).isEqualTo(ACC + ".H" + (++heldCount));
            assertThat(e.balanceFen()).isEqualTo(balance);
            assertThat(policy.isLargeOutflow(Money.ofFen(e.amountFen()), Money.ofFen(balance)))
                    .as("only large outflows are held").isTrue();
            assertThat(e.amountFen()).isLessThanOrEqualTo(available());
            assertThat(available() - e.amountFen()).isGreaterThanOrEqualTo(floor());
            if (e.outflowType() == OutflowType.RELEASE) {
                ModelOrder order = orders.get(e.orderId());
                if (mode == SupervisionMode.FULL_CUSTODY) {
                    assertThat(e.amountFen()).isLessThanOrEqualTo(order.earnedUnreleased());
                }
                order.heldRelease += e.amountFen();
            } else {
                assertThat(e.outflowType()).isEqualTo(OutflowType.TRANSFER_OUT);
                if (mode == SupervisionMode.FULL_CUSTODY) {
                    checkEarnedTakes(e.amountFen(), e.earnedFromOrders());
                    for (EarnedTake take : e.earnedFromOrders()) {
                        orders.get(take.orderId()).heldRelease += take.amountFen();
                    }
                }
            }
            pending.put(e.heldOutflowId(), e);
        }

        /**
         * A transfer under full custody takes money backing no order first, then earned and unreleased
         * value, oldest order first, each take within its order's earned value: never more than both.
         */
        private void checkEarnedTakes(long amountFen, List<EarnedTake> takes) {
            assertThat(amountFen).as("transfer within money backing no order and earned value")
                    .isLessThanOrEqualTo(transferLimit());
            long expectedEarned = Math.max(0, amountFen - Math.max(0, unattributed()));
            assertThat(takes.stream().mapToLong(EarnedTake::amountFen).sum()).isEqualTo(expectedEarned);
            List<String> orderIds = new ArrayList<>(orders.keySet());
            int previous = -1;
            for (EarnedTake take : takes) {
                assertThat(take.amountFen()).isPositive()
                        .isLessThanOrEqualTo(orders.get(take.orderId()).earnedUnreleased());
                int position = orderIds.indexOf(take.orderId());
                assertThat(position).as("oldest order first").isGreaterThan(previous);
                for (int skipped = previous + 1; skipped < position; skipped++) {
                    assertThat(orders.get(orderIds.get(skipped)).earnedUnreleased())
                            .as("an older order with earned value is taken first").isLessThanOrEqualTo(0);
                }
                previous = position;
            }
        }

        /** Nothing but refunds leaves a frozen account, and only an active institution receives money. */
        private void assertOutflowMayLeave(String what) {
            assertThat(frozen).as(what + " from a frozen account").isFalse();
            assertThat(status).as(what + " to an institution that is not active").isEqualTo(InstitutionStatus.ACTIVE);
        }

        /** An outflow was refused: the reason given must really hold. */
        private void checkRejectionReason(OutflowRejected e) {
            ModelOrder order = e.orderId() == null ? null : orders.get(e.orderId());
            long amount = e.amountFen();
            assertThat(e.balanceFen()).isEqualTo(balance);
            switch (e.reason()) {
                case ACCOUNT_FROZEN -> assertThat(frozen).isTrue();
                case INSTITUTION_NOT_ACTIVE -> assertThat(status).isNotEqualTo(InstitutionStatus.ACTIVE);
                case UNKNOWN_ORDER -> assertThat(order).isNull();
                case EXCEEDS_REFUNDABLE -> assertThat(amount).isGreaterThan(order.unconsumed());
                case EXCEEDS_RELEASABLE -> {
                    assertThat(mode).isEqualTo(SupervisionMode.FULL_CUSTODY);
                    long limit = e.outflowType() == OutflowType.RELEASE ? order.earnedUnreleased() : transferLimit();
                    assertThat(amount).isGreaterThan(limit);
                }
                // a refund may use money reserved for held outflows, never more than the balance
                case INSUFFICIENT_FUNDS -> assertThat(amount).isGreaterThan(
                        e.outflowType() == OutflowType.REFUND ? balance : available());
                case BREACHES_FLOOR -> assertThat(available() - amount).isLessThan(floor());
                default -> throw new AssertionError("unknown reason " + e.reason());
            }
            if (e.outflowType() == OutflowType.REFUND) {
                assertThat(e.reason()).isIn(OutflowRejectionReason.UNKNOWN_ORDER,
                        OutflowRejectionReason.EXCEEDS_REFUNDABLE,
                        OutflowRejectionReason.INSUFFICIENT_FUNDS);
            }
        }

        private void post(String postingId, long signedFen, long balanceAfterFen, Instant occurredAt) {
            assertThat(postingId).isEqualTo(ACC + ".P" + (++postingCount));
            balance += signedFen;
            postingSum += signedFen;
            assertThat(balanceAfterFen).as("balance after the posting").isEqualTo(balance);
            long[] day = days.computeIfAbsent(LocalDate.ofInstant(occurredAt, EscrowAccount.LEDGER_ZONE),
                    d -> new long[2]);
            day[0] += signedFen;
            day[1]++;
        }

        // ---------------------------------------------------------------------- after every step

        void checkGlobalInvariants() {
            assertThat(approving).as("an approval without its payment").isNull();
            assertThat(reserved()).as("reserved").isNotNegative();
            assertThat(postingSum).as("sum of postings equals the balance").isEqualTo(balance);
            for (Map.Entry<String, ModelOrder> entry : orders.entrySet()) {
                ModelOrder order = entry.getValue();
                assertThat(order.unconsumed()).as("unconsumed of " + entry.getKey()).isNotNegative();
                assertThat(order.heldRelease).as("held for release of " + entry.getKey()).isNotNegative();
                if (mode == SupervisionMode.FULL_CUSTODY) {
                    assertThat(order.released + order.heldRelease).as("released and held of " + entry.getKey())
                            .isLessThanOrEqualTo(order.consumedValue());
                }
            }
        }

        void assertMatches(EscrowAccount account) {
            assertThat(account.balance().fen()).as("aggregate balance").isEqualTo(balance);
            assertThat(account.reserved().fen()).as("aggregate reserved").isEqualTo(reserved()).isNotNegative();
            assertThat(account.outstandingLiability().fen()).as("aggregate liability").isEqualTo(liability());
            assertThat(account.floor().fen()).as("aggregate floor").isEqualTo(floor());
            assertThat(account.frozen()).as("aggregate frozen").isEqualTo(frozen);
            assertThat(account.institutionStatus()).isEqualTo(status);
            assertThat(account.orderCount()).isEqualTo(orders.size());
            long releasable = mode == SupervisionMode.FULL_CUSTODY ? earnedUnreleased()
                    : Math.max(0, available() - floor());
            assertThat(account.releasable().fen()).as("aggregate releasable").isEqualTo(releasable);
            orders.forEach((id, order) -> {
                assertThat(account.lessonsRemaining(id)).as("lessons remaining of " + id)
                        .isEqualTo(order.lessonsRemaining());
                assertThat(account.unconsumedValue(id).fen()).isEqualTo(order.unconsumed());
                assertThat(account.orderConsumedValue(id).fen()).isEqualTo(order.consumedValue());
                assertThat(account.orderReleased(id).fen()).isEqualTo(order.released);
                assertThat(account.orderReleasable(id).fen()).isEqualTo(Math.max(0, order.earnedUnreleased()));
            });
        }
    }
}
