package cn.prepaid.ledger.sim.traffic;

import cn.prepaid.ledger.sim.client.model.BankFeePosting;
import cn.prepaid.ledger.sim.client.model.ConsumptionRequest;
import cn.prepaid.ledger.sim.client.model.DailyStatementRequest;
import cn.prepaid.ledger.sim.client.model.DepositPosting;
import cn.prepaid.ledger.sim.client.model.InterestPosting;
import cn.prepaid.ledger.sim.client.model.OpenAccountRequest;
import cn.prepaid.ledger.sim.client.model.PostingRequest;
import cn.prepaid.ledger.sim.client.model.RefundPosting;
import cn.prepaid.ledger.sim.client.model.RegisterInstitutionRequest;
import cn.prepaid.ledger.sim.client.model.ReleasePosting;
import cn.prepaid.ledger.sim.client.model.SupervisionPolicyRequest;
import cn.prepaid.ledger.sim.traffic.Action.Fact;
import cn.prepaid.ledger.sim.traffic.Action.Kind;
import cn.prepaid.ledger.sim.traffic.Action.Phase;
import cn.prepaid.ledger.sim.traffic.Population.Institution;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Every request of one simulated term, planned in advance and deterministic for a seed and a calendar.
 *
 * <p>The term, in simulated days: enrolment deposits in the week before the term (days 7–13), lessons
 * from day {@value #TERM_START} to day {@value #LAST_LESSON_DAY} (12 weeks), confirmed by the platform
 * each week per order, earned money released per order after four weeks of lessons, then every two weeks and once
 * after the last lesson, a few ordinary refunds, renewals for next term in the term's seventh week (days 56–62), monthly bank fees of ¥5–¥20, quarterly
 * interest, and each account's daily statement every fourteenth day (a statement a day for every
 * account would be most of the traffic). Prices and sizes follow DOMAIN.md §3: ¥20–¥80 a
 * lesson, 1–3 lessons a week, charges within 60 lessons and 3 months. Institutions with a scenario
 * behave the same until their scenario takes over.
 *
 * <p>The plan keeps its own book of every account (balance, unearned tuition, orders, postings per
 * day) so each request carries the answer it must get, and statements carry the right closing
 * balance. Within a day requests run phase by phase, and an account's requests in plan order.
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
    /** The regulator's large-outflow threshold for the structuring scenario's institutions. */
    static final long STRUCTURING_THRESHOLD_FEN = 500_000;
    static final long MISSING_FROM_STATEMENT_FEN = 123_400;

    final Population population;
    final SimCalendar calendar;
    final List<Action> setup = new ArrayList<>();
    final List<List<Action>> days = new ArrayList<>();
    final Map<String, AccountBook> books = new LinkedHashMap<>();

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

    // ------------------------------------------------------------------ the books the plan keeps

    static final class OrderBook {
        final String orderId;
        final int lessons;
        final long priceFen;
        final int weekday;
        final int perWeek;
        final int firstLessonDay;
        final int lastLessonDay;
        final int depositDay;
        int consumed;
        long releasedFen;
        long refundedFen;
        boolean stopped;
        boolean heldBack;

        OrderBook(String orderId, int lessons, long priceFen, int weekday, int perWeek, int firstLessonDay,
                  int lastLessonDay, int depositDay) {
            this.orderId = orderId;
            this.lessons = lessons;
            this.priceFen = priceFen;
            this.weekday = weekday;
            this.perWeek = perWeek;
            this.firstLessonDay = firstLessonDay;
            this.lastLessonDay = lastLessonDay;
            this.depositDay = depositDay;
        }

        long unconsumedFen() {
            return Math.max(0, (long) lessons * priceFen - (long) consumed * priceFen - refundedFen);
        }

        int lessonsRemaining() {
            return (int) (unconsumedFen() / priceFen);
        }

        long releasableFen() {
            return (long) consumed * priceFen - releasedFen;
        }
    }

    static final class AccountBook {
        final Institution institution;
        final String accountId;
        final SplittableRandom random;
        final Map<String, OrderBook> orders = new LinkedHashMap<>();
        final Map<LocalDate, Integer> postingsOn = new HashMap<>();
        long balanceFen;
        long minimumBalanceFen;
        int txns;
        int consumptions;

        AccountBook(Institution institution, String accountId, SplittableRandom random) {
            this.institution = institution;
            this.accountId = accountId;
            this.random = random;
        }

        String nextTxn() {
            return accountId + ".T" + (++txns);
        }

        String bank() {
            return Population.bankPrincipal(institution.bankCode());
        }

        Scenario scenario() {
            return institution.scenario();
        }
    }

    // ------------------------------------------------------------------ building the term

    private void build() {
        for (Institution institution : population.institutions()) {
            planSetup(institution);
            for (String accountId : institution.accountIds()) {
                SplittableRandom random = new SplittableRandom(population.seed() * 7_919 + accountId.hashCode());
                AccountBook book = new AccountBook(institution, accountId, random);
                books.put(accountId, book);
                planOrders(book);
            }
        }
        for (int day = 0; day < DAYS; day++) {
            List<Action> today = new ArrayList<>();
            for (Phase phase : Phase.values()) {
                for (AccountBook book : books.values()) {
                    planDay(book, day, phase, today);
                }
            }
            days.add(today);
        }
    }

    private void planSetup(Institution institution) {
        String regulator = "REGULATOR:" + institution.regionCode().substring(0, 2);
        RegisterInstitutionRequest register = new RegisterInstitutionRequest().institutionId(institution.institutionId())
                .name(institution.name()).regionCode(institution.regionCode())
                .category(RegisterInstitutionRequest.CategoryEnum.fromValue(institution.category()))
                .supervisionMode(RegisterInstitutionRequest.SupervisionModeEnum.FULL_CUSTODY);
        if (structures(institution.scenario())) {
            register.policy(policy(0, STRUCTURING_THRESHOLD_FEN));
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

    static SupervisionPolicyRequest policy(long minimumBalanceFen, long largeThresholdFen) {
        return new SupervisionPolicyRequest().minimumBalance(Wire.money(minimumBalanceFen)).liabilityRatio("0.20")
                .largeTransferThreshold(Wire.money(largeThresholdFen)).largeTransferRatio("0.30")
                .largeTransferRatioFrom("10000.00");
    }

    /** The term's orders of one account, decided up front (their deposits are planned on their days). */
    private void planOrders(AccountBook book) {
        SplittableRandom random = book.random;
        Scenario scenario = book.scenario();
        if (scenario == Scenario.CROSS_ACCOUNT_RUN && book.accountId.endsWith("-A1")) {
            // the second account holds only next term's prepayments, taken at enrolment: old money
            for (int i = 0; i < CROSS_ACCOUNT_PREPAYMENTS; i++) {
                OrderBook prepaid = nextTermOrder(book, "N", 60, PREMIUM_PRICE_FEN, 7 + i);
                prepaid.heldBack = true;
            }
            return;
        }
        int count = switch (scenario) {
            case STRUCTURING, STRUCTURING_OUT_OF_ORDER -> 12;
            case REFUND_SURGE -> 14 + random.nextInt(5);
            case RAPID_DRAIN -> 5 + random.nextInt(4);
            default -> 2 + random.nextInt(3);
        };
        for (int i = 0; i < count; i++) {
            int depositDay = 7 + random.nextInt(7);
            int perWeek = structures(scenario) ? 5 : 1 + random.nextInt(3);
            long price = structures(scenario) ? PREMIUM_PRICE_FEN
                    : LESSON_PRICES_FEN[random.nextInt(LESSON_PRICES_FEN.length)];
            addOrder(book, i, depositDay, perWeek, price);
        }
        if (scenario == Scenario.OVER_CAP) {
            for (int i = 0; i < 3; i++) {
                addOrder(book, count + i, 7 + random.nextInt(7), 6, LESSON_PRICES_FEN[random.nextInt(3)]);
            }
        }
        if (structures(scenario)) {
            book.orders.values().stream().limit(3).forEach(order -> order.heldBack = true);
        }
    }

    private static boolean structures(Scenario scenario) {
        return scenario == Scenario.STRUCTURING || scenario == Scenario.STRUCTURING_OUT_OF_ORDER;
    }

    /** Next term's prepayments of the cross-account run's second account: 60 lessons at ¥80 each. */
    static final int CROSS_ACCOUNT_PREPAYMENTS = 4;
    /** The days the cross-account run's first account takes its promotion (60 lessons at ¥80 each). */
    static final List<Integer> CROSS_ACCOUNT_PROMOTION_DAYS = List.of(76, 80, 84);
    /** The days the second account releases what fake confirmations on day 89 made releasable. */
    static final List<Integer> CROSS_ACCOUNT_DRAIN_DAYS = List.of(90, 92, 94);
    /** Lessons confirmed falsely per prepaid order: 3 × 32 × ¥80 = ¥7,680, over half the ¥14,400 promotion. */
    static final int CROSS_ACCOUNT_FAKE_LESSONS = 32;

    private static void addOrder(AccountBook book, int index, int depositDay, int perWeek, long priceFen) {
        int weekday = book.random.nextInt(7);
        int first = Math.max(TERM_START, depositDay + 1);
        while (first % 7 != weekday) {
            first++;
        }
        int weeks = (LAST_LESSON_DAY - first) / 7 + 1;
        String orderId = book.accountId + ".O" + index;
        book.orders.put(orderId, new OrderBook(orderId, perWeek * weeks, priceFen, weekday, perWeek, first,
                first + 7 * (weeks - 1), depositDay));
    }

    // ------------------------------------------------------------------ one account's day, phase by phase

    private void planDay(AccountBook book, int day, Phase phase, List<Action> out) {
        switch (phase) {
            case REGULATOR -> regulatorPhase(book, day, out);
            case PLATFORM -> platformPhase(book, day, out);
            case BANK_BATCH -> batchPhase(book, day, out);
            case BANK_SINGLE -> singlePhase(book, day, out);
            case STATEMENT -> statementPhase(book, day, out);
            default -> {
            }
        }
    }

    private void regulatorPhase(AccountBook book, int day, List<Action> out) {
        if (book.scenario() == Scenario.FEES_BELOW_FLOOR && day == 42) {
            // a minimum balance the account holds 1.3 times over
            long minimum = book.balanceFen * 10 / 13 / 100 * 100;
            book.minimumBalanceFen = minimum;
            String id = book.institution.institutionId();
            out.add(new Action(day, Phase.REGULATOR, book.accountId,
                    "REGULATOR:" + book.institution.regionCode().substring(0, 2), "PUT",
                    "/api/v1/institutions/" + id + "/policy", policy(minimum, 5_000_000), id, book.accountId, null,
                    200, null, new Fact(Kind.POLICY, calendar.at(day, 9 * 60), 0, false, minimum)));
        }
    }

    private boolean consumptionStopped(AccountBook book, int day) {
        return book.scenario() == Scenario.CONSUMPTION_STALL && day >= 35;
    }

    private void platformPhase(AccountBook book, int day, List<Action> out) {
        Scenario scenario = book.scenario();
        List<OrderBook> orders = new ArrayList<>(book.orders.values());
        for (OrderBook order : orders) {
            boolean lessonDay = day >= order.firstLessonDay && day <= order.lastLessonDay && day % 7 == order.weekday;
            if (lessonDay && !order.stopped && !consumptionStopped(book, day) && order.lessonsRemaining() > 0) {
                consume(book, order, day, 18 * 60 + book.random.nextInt(180),
                        Math.min(order.perWeek, order.lessonsRemaining()), out);
            }
        }
        // lessons confirmed that were never given
        if (scenario == Scenario.COLLECT_AND_RUN && day == 53) {
            for (OrderBook order : promotionOrders(book)) {
                consume(book, order, day, 8 * 60 + book.random.nextInt(60), 33, out);
            }
        } else if (scenario == Scenario.RAPID_DRAIN && day == 56) {
            for (OrderBook order : orders) {
                if (order.lessonsRemaining() > 0) {
                    consume(book, order, day, 8 * 60 + book.random.nextInt(60), order.lessonsRemaining(), out);
                }
                order.stopped = true;
            }
        } else if (scenario == Scenario.CROSS_ACCOUNT_RUN && day == 89 && book.accountId.endsWith("-A1")) {
            List<OrderBook> prepaid = new ArrayList<>(orders);
            for (int i = 0; i < CROSS_ACCOUNT_DRAIN_DAYS.size(); i++) {
                consume(book, prepaid.get(i), day, 8 * 60 + 10 * i, CROSS_ACCOUNT_FAKE_LESSONS, out);
            }
        } else if (structures(scenario) && day == 49) {
            for (OrderBook order : orders) {
                if (order.heldBack) {
                    consume(book, order, day, 8 * 60 + book.random.nextInt(60), order.lessonsRemaining(), out);
                    order.stopped = true;
                }
            }
        }
    }

    private void batchPhase(AccountBook book, int day, List<Action> out) {
        Scenario scenario = book.scenario();
        for (OrderBook order : new ArrayList<>(book.orders.values())) {
            if (order.depositDay == day) {
                deposit(book, order, day, out);
            }
        }
        if (renews(book) && day >= RENEWAL_FROM && day <= RENEWAL_TO) {
            renewals(book, day, out);
        }
        if (scenario == Scenario.COLLECT_AND_RUN && day >= 35 && day <= 46) {
            int today = 1 + book.random.nextInt(2);
            for (int i = 0; i < today; i++) {
                OrderBook promo = nextTermOrder(book, "P", 60, PREMIUM_PRICE_FEN, day);
                deposit(book, promo, day, out);
            }
        }
        if (scenario == Scenario.CROSS_ACCOUNT_RUN && book.accountId.endsWith("-A0")
                && CROSS_ACCOUNT_PROMOTION_DAYS.contains(day)) {
            deposit(book, nextTermOrder(book, "P", 60, PREMIUM_PRICE_FEN, day), day, out);
        }
        if (scenario == Scenario.CONSUMPTION_STALL && (day == 45 || day == 52 || day == 59 || day == 66)) {
            addOrder(book, book.orders.size(), day, 1 + book.random.nextInt(2),
                    LESSON_PRICES_FEN[book.random.nextInt(LESSON_PRICES_FEN.length)]);
            OrderBook late = last(book);
            deposit(book, late, day, out);
        }
        if (day == 30 || day == 60 || day == 90) {
            fee(book, day, 500 + book.random.nextInt(1_501), out);
        }
        if (day == 91 && book.balanceFen > 0) {
            // quarterly interest at 0.35 % a year
            interest(book, day, Math.max(1, book.balanceFen * 35 * 91 / 10_000 / 365), out);
        }
        if (scenario == Scenario.FEES_BELOW_FLOOR && (day == 49 || day == 56)) {
            // first to 110 % of the minimum balance, then to 95 % of it
            long target = day == 49 ? -Math.floorDiv(-book.minimumBalanceFen * 11, 10) : book.minimumBalanceFen * 95 / 100;
            if (book.balanceFen > target) {
                fee(book, day, book.balanceFen - target, out);
            }
        }
    }

    private boolean renews(AccountBook book) {
        return switch (book.scenario()) {
            case BENIGN, STRUCTURING, STRUCTURING_OUT_OF_ORDER, REFUND_SURGE, OVER_CAP, STATEMENT_MISMATCH,
                 EARLY_RELEASE -> true;
            default -> false;
        };
    }

    /** Most families renew for next term: at least 60 % of the account's orders, each on its own day. */
    private void renewals(AccountBook book, int day, List<Action> out) {
        List<OrderBook> term = book.orders.values().stream().filter(o -> o.depositDay <= ENROLMENT_END).toList();
        int mustRenew = (int) Math.ceil(term.size() * 0.6);
        for (int i = 0; i < term.size(); i++) {
            OrderBook order = term.get(i);
            // the renewal day and whether it happens are fixed by the order's id, not by the day's draws
            long hash = Math.abs((order.orderId + population.seed()).hashCode());
            int renewalDay = RENEWAL_FROM + (int) (hash % (RENEWAL_TO - RENEWAL_FROM + 1));
            boolean renews = i < mustRenew || hash % 2 == 0;
            if (renews && renewalDay == day && !order.stopped) {
                OrderBook next = nextTermOrder(book, "R", order.perWeek * 12, order.priceFen, day);
                deposit(book, next, day, out);
            }
        }
    }

    /** An order for next term: deposited now, its lessons after the simulated term. */
    private OrderBook nextTermOrder(AccountBook book, String kind, int lessons, long priceFen, int day) {
        String orderId = book.accountId + "." + kind + book.orders.size();
        OrderBook order = new OrderBook(orderId, lessons, priceFen, 0, 0, DAYS + 7, DAYS + 7 + 77, day);
        book.orders.put(orderId, order);
        return order;
    }

    private static OrderBook last(AccountBook book) {
        OrderBook last = null;
        for (OrderBook order : book.orders.values()) {
            last = order;
        }
        return last;
    }

    private static List<OrderBook> promotionOrders(AccountBook book) {
        return book.orders.values().stream().filter(o -> o.orderId.contains(".P")).toList();
    }

    private boolean releasesStopped(AccountBook book, int day) {
        return switch (book.scenario()) {
            case CONSUMPTION_STALL -> day >= 35;
            case FEES_BELOW_FLOOR -> day >= 42;
            default -> false;
        };
    }

    private void singlePhase(AccountBook book, int day, List<Action> out) {
        Scenario scenario = book.scenario();
        if (!releasesStopped(book, day)) {
            for (OrderBook order : new ArrayList<>(book.orders.values())) {
                // after four weeks of lessons, then every two weeks, and a few days after the last lesson:
                // a new account releases nothing while its enrolment is the whole of its history
                int firstRelease = order.firstLessonDay + 22;
                boolean due = day >= firstRelease && (day - firstRelease) % 14 == 0
                        || day == order.lastLessonDay + 1 + Math.abs(order.orderId.hashCode()) % 5;
                if (due && !order.heldBack && order.releasableFen() > 0) {
                    release(book, order, day, 10 * 60 + book.random.nextInt(360), order.releasableFen(), out);
                }
            }
        }
        if (scenario == Scenario.BENIGN || scenario == Scenario.OVER_CAP || scenario == Scenario.STATEMENT_MISMATCH
                || scenario == Scenario.EARLY_RELEASE) {
            for (OrderBook order : new ArrayList<>(book.orders.values())) {
                long draw = Math.abs((order.orderId + "refund" + population.seed()).hashCode());
                int refundDay = order.firstLessonDay + 14 + (int) (draw / 100 % 40);
                // an ordinary refund is a small share of the account (larger ones are the refund surge's) and
                // comes before renewal week
                if (draw % 100 < 3 && refundDay == day && !order.stopped && order.unconsumedFen() > 0
                        && refundDay <= 50 && order.unconsumedFen() * 5 < book.balanceFen) {
                    refund(book, order, day, 11 * 60 + book.random.nextInt(300), out);
                }
            }
        }
        switch (scenario) {
            case COLLECT_AND_RUN -> {
                if (day >= 53 && day <= 55) {
                    List<OrderBook> promos = promotionOrders(book);
                    for (int i = 0; i < promos.size(); i++) {
                        if (i % 3 == day - 53 && promos.get(i).releasableFen() > 0) {
                            release(book, promos.get(i), day, 9 * 60 + 20 * i, promos.get(i).releasableFen(), out);
                        }
                    }
                }
            }
            case RAPID_DRAIN -> {
                if (day == 56) {
                    int minute = 9 * 60;
                    for (OrderBook order : book.orders.values()) {
                        // all of it but the odd tenth, which the fees of the following months eat into
                        long amount = order.releasableFen() - order.releasableFen() / 10;
                        order.heldBack = true;
                        if (amount > 0) {
                            release(book, order, day, minute, amount, out);
                            minute += 15;
                        }
                    }
                }
            }
            case STRUCTURING -> {
                List<OrderBook> held = book.orders.values().stream().filter(o -> o.heldBack).toList();
                if (day == 49) {
                    release(book, held.get(0), day, 10 * 60, held.get(0).releasableFen(), out);
                    release(book, held.get(1), day, 15 * 60, held.get(1).releasableFen(), out);
                } else if (day == 50) {
                    release(book, held.get(2), day, 11 * 60, held.get(2).releasableFen(), out);
                }
            }
            case STRUCTURING_OUT_OF_ORDER -> {
                // the bank posts the day's three releases newest first: the last to arrive happened first
                if (day == 50) {
                    List<OrderBook> held = book.orders.values().stream().filter(o -> o.heldBack).toList();
                    int[] minutes = {17 * 60, 13 * 60, 9 * 60};
                    for (int i = 0; i < minutes.length; i++) {
                        release(book, held.get(i), day, minutes[i], held.get(i).releasableFen(), out);
                    }
                }
            }
            case CROSS_ACCOUNT_RUN -> {
                int drain = CROSS_ACCOUNT_DRAIN_DAYS.indexOf(day);
                if (drain >= 0 && book.accountId.endsWith("-A1")) {
                    OrderBook prepaid = new ArrayList<>(book.orders.values()).get(drain);
                    release(book, prepaid, day, 10 * 60, prepaid.releasableFen(), out);
                }
            }
            case REFUND_SURGE -> {
                int[] refundDays = {55, 56, 57, 58, 60};
                List<OrderBook> orders = new ArrayList<>(book.orders.values());
                for (int i = 0; i < refundDays.length; i++) {
                    if (refundDays[i] == day && orders.get(i).unconsumedFen() > 0) {
                        refund(book, orders.get(i), day, 11 * 60 + 30 * i, out);
                    }
                }
            }
            case EARLY_RELEASE -> {
                if (day == 30) {
                    OrderBook order = book.orders.values().iterator().next();
                    long wholeOrder = (long) order.lessons * order.priceFen;
                    ReleasePosting release = new ReleasePosting().bankTxnId(book.nextTxn())
                            .type(ReleasePosting.TypeEnum.RELEASE).amount(Wire.money(wholeOrder))
                            .currency(ReleasePosting.CurrencyEnum.CNY).occurredAt(onTheWire(calendar.at(day, 14 * 60)))
                            .orderId(order.orderId);
                    out.add(new Action(day, Phase.BANK_SINGLE, book.accountId, book.bank(), "POST",
                            "/api/v1/accounts/" + book.accountId + "/transactions", new PostingRequest(release),
                            book.institution.institutionId(), book.accountId, release.getBankTxnId(), 422,
                            null, new Fact(Kind.OUTFLOW_REJECTED, calendar.at(day, 14 * 60), wholeOrder, false, 0)));
                }
            }
            default -> {
            }
        }
    }

    private void statementPhase(AccountBook book, int day, List<Action> out) {
        if (day % STATEMENT_EVERY_DAYS != STATEMENT_EVERY_DAYS - 1) {
            return;
        }
        LocalDate date = calendar.date(day);
        boolean wrong = book.scenario() == Scenario.STATEMENT_MISMATCH && day == 55;
        long closing = book.balanceFen - (wrong ? MISSING_FROM_STATEMENT_FEN : 0);
        String statementId = book.accountId + ".S" + date;
        DailyStatementRequest body = new DailyStatementRequest().statementId(statementId)
                .statementDate(date.toString()).closingBalance(Wire.money(closing))
                .transactionCount(book.postingsOn.getOrDefault(date, 0));
        out.add(new Action(day, Phase.STATEMENT, book.accountId, book.bank(), "POST",
                "/api/v1/accounts/" + book.accountId + "/statements", body, book.institution.institutionId(),
                book.accountId, statementId, 200, null,
                wrong ? new Fact(Kind.STATEMENT_MISMATCH, calendar.at(day + 1, 0), MISSING_FROM_STATEMENT_FEN, false, 0)
                        : null));
    }

    // ------------------------------------------------------------------ the requests, each updating the book

    /** An instant as a bank writes it, in China Standard Time. */
    private static OffsetDateTime onTheWire(Instant at) {
        return OffsetDateTime.ofInstant(at, Wire.SHANGHAI);
    }

    private void booked(AccountBook book, int day, Phase phase, PostingRequest body, String bankTxnId, Kind kind,
                        long amountFen, Instant at, boolean capBreach, List<Action> out) {
        book.balanceFen += kind.signed(amountFen);
        book.postingsOn.merge(calendar.date(day), 1, Integer::sum);
        String path = phase == Phase.BANK_BATCH ? "/api/v1/transactions/batch"
                : "/api/v1/accounts/" + book.accountId + "/transactions";
        out.add(new Action(day, phase, book.accountId, book.bank(), "POST", path, body,
                book.institution.institutionId(), book.accountId, bankTxnId, 201,
                book.balanceFen, new Fact(kind, at, amountFen, capBreach, 0)));
    }

    private void deposit(AccountBook book, OrderBook order, int day, List<Action> out) {
        Instant at = calendar.at(day, 9 * 60 + book.random.nextInt(9 * 60));
        long amount = (long) order.lessons * order.priceFen;
        LocalDate start = calendar.date(order.firstLessonDay);
        LocalDate end = calendar.date(order.lastLessonDay);
        long hash = Math.abs((order.orderId + population.seed()).hashCode());
        // now and then a half-year package slips through even at an ordinary institution
        boolean halfYear = order.depositDay <= ENROLMENT_END && book.scenario() == Scenario.BENIGN && hash % 150 == 7
                || book.scenario() == Scenario.OVER_CAP && order.perWeek == 6 && hash % 3 == 0;
        if (halfYear) {
            end = start.plusMonths(6);
        }
        DepositPosting deposit = new DepositPosting().accountId(book.accountId).bankTxnId(book.nextTxn())
                .type(DepositPosting.TypeEnum.DEPOSIT).amount(Wire.money(amount))
                .currency(DepositPosting.CurrencyEnum.CNY).occurredAt(onTheWire(at)).orderId(order.orderId)
                .studentRef("stu-" + Long.toString(hash, 36)).lessons(order.lessons)
                .lessonPrice(Wire.money(order.priceFen)).courseStart(start).courseEnd(end);
        boolean capBreach = order.lessons > 60 || end.isAfter(start.plusMonths(3));
        booked(book, day, Phase.BANK_BATCH, new PostingRequest(deposit), deposit.getBankTxnId(), Kind.DEPOSIT, amount,
                at, capBreach, out);
    }

    private void consume(AccountBook book, OrderBook order, int day, int minute, int lessons, List<Action> out) {
        order.consumed += lessons;
        Instant at = calendar.at(day, minute);
        String consumptionId = book.accountId + ".C" + (++book.consumptions);
        ConsumptionRequest body = new ConsumptionRequest().consumptionId(consumptionId).lessons(lessons)
                .occurredAt(Wire.instant(at));
        out.add(new Action(day, Phase.PLATFORM, book.accountId, "PLATFORM", "POST",
                "/api/v1/accounts/" + book.accountId + "/orders/" + order.orderId + "/consumptions", body,
                book.institution.institutionId(), book.accountId, consumptionId, 201, null,
                new Fact(Kind.CONSUMPTION, at, lessons * order.priceFen, false, 0)));
    }

    private void release(AccountBook book, OrderBook order, int day, int minute, long amountFen, List<Action> out) {
        Instant at = calendar.at(day, minute);
        ReleasePosting release = new ReleasePosting().bankTxnId(book.nextTxn()).type(ReleasePosting.TypeEnum.RELEASE)
                .amount(Wire.money(amountFen)).currency(ReleasePosting.CurrencyEnum.CNY).occurredAt(onTheWire(at))
                .orderId(order.orderId);
        order.releasedFen += amountFen;
        booked(book, day, Phase.BANK_SINGLE, new PostingRequest(release), release.getBankTxnId(), Kind.RELEASE,
                amountFen, at, false, out);
    }

    private void refund(AccountBook book, OrderBook order, int day, int minute, List<Action> out) {
        Instant at = calendar.at(day, minute);
        long amount = order.unconsumedFen();
        RefundPosting refund = new RefundPosting().bankTxnId(book.nextTxn()).type(RefundPosting.TypeEnum.REFUND)
                .amount(Wire.money(amount)).currency(RefundPosting.CurrencyEnum.CNY).occurredAt(onTheWire(at))
                .orderId(order.orderId);
        order.refundedFen += amount;
        order.stopped = true;
        booked(book, day, Phase.BANK_SINGLE, new PostingRequest(refund), refund.getBankTxnId(), Kind.REFUND, amount, at,
                false, out);
    }

    private void fee(AccountBook book, int day, long amountFen, List<Action> out) {
        Instant at = calendar.at(day, 8 * 60);
        BankFeePosting fee = new BankFeePosting().accountId(book.accountId).bankTxnId(book.nextTxn())
                .type(BankFeePosting.TypeEnum.BANK_FEE).amount(Wire.money(amountFen))
                .currency(BankFeePosting.CurrencyEnum.CNY).occurredAt(onTheWire(at)).memo("account management fee");
        booked(book, day, Phase.BANK_BATCH, new PostingRequest(fee), fee.getBankTxnId(), Kind.BANK_FEE, amountFen, at,
                false, out);
    }

    private void interest(AccountBook book, int day, long amountFen, List<Action> out) {
        Instant at = calendar.at(day, 8 * 60 + 30);
        InterestPosting interest = new InterestPosting().accountId(book.accountId).bankTxnId(book.nextTxn())
                .type(InterestPosting.TypeEnum.INTEREST).amount(Wire.money(amountFen))
                .currency(InterestPosting.CurrencyEnum.CNY).occurredAt(onTheWire(at)).memo("quarterly interest");
        booked(book, day, Phase.BANK_BATCH, new PostingRequest(interest), interest.getBankTxnId(), Kind.INTEREST,
                amountFen, at, false, out);
    }
}
