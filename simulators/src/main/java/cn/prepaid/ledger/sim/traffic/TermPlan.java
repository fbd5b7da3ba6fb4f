package cn.prepaid.ledger.sim.traffic;

import cn.prepaid.ledger.sim.client.model.OpenAccountRequest;
import cn.prepaid.ledger.sim.client.model.RegisterInstitutionRequest;
import cn.prepaid.ledger.sim.client.model.SupervisionPolicyRequest;
import cn.prepaid.ledger.sim.traffic.Action.Phase;
import cn.prepaid.ledger.sim.traffic.Population.Institution;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every request of one simulated term, planned in advance and deterministic for a seed and a calendar.
 *
 * <p>The ordinary term, in simulated days: enrolment deposits in the week before the term (days 7–13),
 * lessons from day {@value #TERM_START} to day {@value #LAST_LESSON_DAY} (12 weeks), confirmed by the
 * platform each week per order, earned money released per order after four weeks of lessons, then every
 * two weeks and once after the last lesson, a few ordinary refunds, renewals for next term in the term's
 * seventh week (days 56–62), monthly bank fees of ¥5–¥20, quarterly interest, and each account's daily
 * statement every fourteenth day (a statement a day for every account would be most of the traffic).
 * Prices and sizes stay within the charge cap of docs/domain.md: ¥20–¥80 a lesson, 1–3 lessons a week,
 * within 60 lessons and 3 months. Each institution's {@link Scenario} changes what it says it changes
 * and adds its own requests ({@link ScenarioPlan}); until then it behaves as an ordinary one.
 *
 * <p>Each account keeps its own book ({@link AccountPlan}) so each request carries the answer it must
 * get. Within a day requests run phase by phase, and an account's requests in plan order.
 */
final class TermPlan {

    static final int DAYS = 105;
    static final int TERM_START = 14;
    static final int ENROLMENT_END = 13;
    static final int LAST_LESSON_DAY = 97;
    static final int RENEWAL_FROM = 56;
    static final int RENEWAL_TO = 62;
    static final int STATEMENT_EVERY_DAYS = 14;
    static final long[] LESSON_PRICES_FEN = {2_000, 2_500, 3_000, 3_500, 4_500, 6_000, 8_000};
    static final long PREMIUM_PRICE_FEN = 8_000;
    private static final List<Integer> BANK_FEE_DAYS = List.of(30, 60, 90);
    private static final int INTEREST_DAY = 91;

    final Population population;
    final SimCalendar calendar;
    final List<Action> setup = new ArrayList<>();
    final List<List<Action>> days = new ArrayList<>();
    final Map<String, AccountPlan> accounts = new LinkedHashMap<>();

    private TermPlan(Population population, SimCalendar calendar) {
        this.population = population;
        this.calendar = calendar;
    }

    static TermPlan of(Population population, LocalDate today) {
        TermPlan plan = new TermPlan(population, SimCalendar.endingBefore(today, DAYS));
        plan.build();
        return plan;
    }

    int actionCount() {
        return setup.size() + days.stream().mapToInt(List::size).sum();
    }

    List<Action> all() {
        List<Action> all = new ArrayList<>(setup);
        days.forEach(all::addAll);
        return all;
    }

    static SupervisionPolicyRequest policy(long minimumBalanceFen, long largeThresholdFen) {
        return new SupervisionPolicyRequest().minimumBalance(Wire.money(minimumBalanceFen)).liabilityRatio("0.20")
                .largeTransferThreshold(Wire.money(largeThresholdFen)).largeTransferRatio("0.30")
                .largeTransferRatioFrom("10000.00");
    }

    // ------------------------------------------------------------------ building the term

    private void build() {
        for (int day = 0; day < DAYS; day++) {
            days.add(new ArrayList<>());
        }
        for (Institution institution : population.institutions()) {
            planSetup(institution);
            for (String accountId : institution.accountIds()) {
                AccountPlan account = new AccountPlan(institution, accountId, calendar, population.seed(),
                        action -> days.get(action.day()).add(action));
                accounts.put(accountId, account);
                account.scenario().enrol(account);
            }
        }
        for (int day = 0; day < DAYS; day++) {
            for (Phase phase : Phase.values()) {
                for (AccountPlan account : accounts.values()) {
                    planDay(account, day, phase);
                }
            }
        }
    }

    private void planSetup(Institution institution) {
        String regulator = Population.regulatorPrincipal(institution.regionCode());
        RegisterInstitutionRequest register = new RegisterInstitutionRequest().institutionId(institution.institutionId())
                .name(institution.name()).regionCode(institution.regionCode())
                .category(RegisterInstitutionRequest.CategoryEnum.fromValue(institution.category()))
                .supervisionMode(RegisterInstitutionRequest.SupervisionModeEnum.FULL_CUSTODY);
        SupervisionPolicyRequest policy = institution.scenario().plan().policyAtRegistration();
        if (policy != null) {
            register.policy(policy);
        }
        String id = institution.institutionId();
        setup.add(new Action(-1, Phase.SETUP, id, regulator, "POST", "/api/v1/institutions", register, id, null,
                null, 201, null, null));
        setup.add(new Action(-1, Phase.SETUP, id, regulator, "POST", "/api/v1/institutions/" + id + "/approve",
                null, id, null, null, 200, null, null));
        for (String accountId : institution.accountIds()) {
            OpenAccountRequest open = new OpenAccountRequest().accountId(accountId).institutionId(id)
                    .bankAccountNo("6222" + String.format("%012d", Math.abs((long) accountId.hashCode())));
            setup.add(new Action(-1, Phase.SETUP, id, Population.bankPrincipal(institution.bankCode()), "POST",
                    "/api/v1/accounts", open, id, accountId, null, 201, null, null));
        }
    }

    // ------------------------------------------------------------------ one account's day, phase by phase

    private void planDay(AccountPlan account, int day, Phase phase) {
        ScenarioPlan scenario = account.scenario();
        switch (phase) {
            case SETUP -> {
            }
            case REGULATOR -> scenario.regulator(day, account);
            case PLATFORM -> {
                ordinaryLessons(account, day);
                scenario.platform(day, account);
            }
            case BANK_BATCH -> {
                ordinaryBankFacts(account, day);
                scenario.bankBatch(day, account);
            }
            case BANK_SINGLE -> {
                ordinaryOutflows(account, day);
                scenario.bankSingle(day, account);
            }
            case STATEMENT -> {
                if (day % STATEMENT_EVERY_DAYS == STATEMENT_EVERY_DAYS - 1) {
                    account.statement(day, scenario.statementShortfallFen(day));
                }
            }
        }
    }

    /** The week's lessons of every order whose weekday it is, confirmed in the evening. */
    private static void ordinaryLessons(AccountPlan account, int day) {
        if (!account.scenario().lessonsGoOn(day)) {
            return;
        }
        for (OrderBook order : account.orders()) {
            boolean lessonDay = day >= order.firstLessonDay && day <= order.lastLessonDay && day % 7 == order.weekday;
            if (lessonDay && !order.stopped && order.lessonsRemaining() > 0) {
                account.confirmLessons(order, day, 18 * 60 + account.random.nextInt(180),
                        Math.min(order.lessonsPerWeek, order.lessonsRemaining()));
            }
        }
    }

    /** Deposits of the orders paid today, renewals, the monthly fee and the quarterly interest. */
    private static void ordinaryBankFacts(AccountPlan account, int day) {
        for (OrderBook order : account.orders()) {
            if (order.depositDay == day) {
                account.deposit(order, day);
            }
        }
        if (account.scenario().families().renew() && day >= RENEWAL_FROM && day <= RENEWAL_TO) {
            renewals(account, day);
        }
        if (BANK_FEE_DAYS.contains(day)) {
            account.bankFee(day, 500 + account.random.nextInt(1_501));
        }
        if (day == INTEREST_DAY && account.balanceFen > 0) {
            // quarterly interest at 0.35 % a year
            account.interest(day, Math.max(1, account.balanceFen * 35 * 91 / 10_000 / 365));
        }
    }

    /** Most families renew for next term: at least 60 % of the account's orders, each on its own day. */
    private static void renewals(AccountPlan account, int day) {
        List<OrderBook> term = account.orders().stream().filter(o -> o.depositDay <= ENROLMENT_END).toList();
        int mustRenew = (int) Math.ceil(term.size() * 0.6);
        for (int i = 0; i < term.size(); i++) {
            OrderBook order = term.get(i);
            // the renewal day and whether it happens are fixed by the order's id, not by the day's draws
            long draw = account.fixedDraw(order, "");
            int renewalDay = RENEWAL_FROM + (int) (draw % (RENEWAL_TO - RENEWAL_FROM + 1));
            boolean renews = i < mustRenew || draw % 2 == 0;
            if (renews && renewalDay == day && !order.stopped) {
                OrderBook next = account.takeNextTermOrder("R", order.lessonsPerWeek * 12, order.priceFen, day);
                account.deposit(next, day);
            }
        }
    }

    /** Releases of earned money on the ordinary schedule, and the odd refund. */
    private static void ordinaryOutflows(AccountPlan account, int day) {
        ScenarioPlan scenario = account.scenario();
        if (scenario.ordinaryReleasesGoOn(day)) {
            for (OrderBook order : account.orders()) {
                // after four weeks of lessons, then every two weeks, and a few days after the last lesson:
                // a new account releases nothing while its enrolment is the whole of its history
                int firstRelease = order.firstLessonDay + 22;
                boolean due = day >= firstRelease && (day - firstRelease) % 14 == 0
                        || day == order.lastLessonDay + 1 + Math.abs(order.orderId.hashCode()) % 5;
                if (due && !order.heldBack && order.releasableFen() > 0) {
                    account.release(order, day, 10 * 60 + account.random.nextInt(360), order.releasableFen());
                }
            }
        }
        if (scenario.families().refundNowAndThen()) {
            for (OrderBook order : account.orders()) {
                long draw = account.fixedDraw(order, "refund");
                int refundDay = order.firstLessonDay + 14 + (int) (draw / 100 % 40);
                // an ordinary refund is a small share of the account (larger ones are the refund surge's) and
                // comes before renewal week
                if (draw % 100 < 3 && refundDay == day && !order.stopped && order.unconsumedFen() > 0
                        && refundDay <= 50 && order.unconsumedFen() * 5 < account.balanceFen) {
                    account.refundTheRest(order, day, 11 * 60 + account.random.nextInt(300));
                }
            }
        }
    }
}
