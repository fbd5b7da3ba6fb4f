package cn.prepaid.ledger.sim.traffic;

import cn.prepaid.ledger.sim.client.model.BankFeePosting;
import cn.prepaid.ledger.sim.client.model.ConsumptionRequest;
import cn.prepaid.ledger.sim.client.model.DailyStatementRequest;
import cn.prepaid.ledger.sim.client.model.DepositPosting;
import cn.prepaid.ledger.sim.client.model.InterestPosting;
import cn.prepaid.ledger.sim.client.model.PostingRequest;
import cn.prepaid.ledger.sim.client.model.RefundPosting;
import cn.prepaid.ledger.sim.client.model.ReleasePosting;
import cn.prepaid.ledger.sim.traffic.Action.Fact;
import cn.prepaid.ledger.sim.traffic.Action.Kind;
import cn.prepaid.ledger.sim.traffic.Action.Phase;
import cn.prepaid.ledger.sim.traffic.Population.Institution;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * One account's term as the plan keeps it (its orders, balance and postings per day) and the requests
 * that make it, each updating the book as the ledger will, so every request carries the answer it must
 * get. The ordinary term ({@link TermPlan}) and the scenarios ({@link ScenarioPlan}) plan through it.
 */
final class AccountPlan {

    /** The ledger's large-outflow threshold, kept when the regulator sets only a minimum balance. */
    static final long DEFAULT_LARGE_THRESHOLD_FEN = 5_000_000;

    final Institution institution;
    final String accountId;
    /** Every draw of this account's term, in plan order: the same seed gives the same term. */
    final SplittableRandom random;
    long balanceFen;
    /** The minimum balance the regulator set during the term, 0 while there is none. */
    long minimumBalanceFen;

    private final Map<String, OrderBook> orders = new LinkedHashMap<>();
    private final Map<LocalDate, Integer> postingsOn = new HashMap<>();
    private final SimCalendar calendar;
    private final long seed;
    private final Consumer<Action> planned;
    private int bankTxns;
    private int consumptions;

    AccountPlan(Institution institution, String accountId, SimCalendar calendar, long seed,
                Consumer<Action> planned) {
        this.institution = institution;
        this.accountId = accountId;
        this.random = new SplittableRandom(seed * 7_919 + accountId.hashCode());
        this.calendar = calendar;
        this.seed = seed;
        this.planned = planned;
    }

    ScenarioPlan scenario() {
        return institution.scenario().plan();
    }

    /** The account's orders as they stand, in the order they were taken. */
    List<OrderBook> orders() {
        return List.copyOf(orders.values());
    }

    /**
     * A draw fixed by the order's id, a purpose and the seed rather than by the account's sequence of
     * draws, so it stays put whatever else the account draws before it.
     */
    long fixedDraw(OrderBook order, String purpose) {
        return Math.abs((order.orderId + purpose + seed).hashCode());
    }

    // ------------------------------------------------------------------ orders

    /** Ordinary enrolment: {@code count} orders of this term, paid in the week before it. */
    void takeOrdinaryOrders(int count) {
        for (int i = 0; i < count; i++) {
            int depositDay = 7 + random.nextInt(7);
            int lessonsPerWeek = 1 + random.nextInt(3);
            long priceFen = TermPlan.LESSON_PRICES_FEN[random.nextInt(TermPlan.LESSON_PRICES_FEN.length)];
            takeOrder(depositDay, lessonsPerWeek, priceFen);
        }
    }

    /** An order of this term, paid on {@code depositDay}, its lessons weekly on a drawn weekday up to the last lesson day. */
    OrderBook takeOrder(int depositDay, int lessonsPerWeek, long priceFen) {
        int weekday = random.nextInt(7);
        int first = Math.max(TermPlan.TERM_START, depositDay + 1);
        while (first % 7 != weekday) {
            first++;
        }
        int weeks = (TermPlan.LAST_LESSON_DAY - first) / 7 + 1;
        String orderId = accountId + ".O" + orders.size();
        OrderBook order = new OrderBook(orderId, lessonsPerWeek * weeks, priceFen, weekday, lessonsPerWeek, first,
                first + 7 * (weeks - 1), depositDay);
        orders.put(orderId, order);
        return order;
    }

    /** An order for next term, paid on {@code depositDay}: its lessons come after the simulated term. */
    OrderBook takeNextTermOrder(String kind, int lessons, long priceFen, int depositDay) {
        String orderId = accountId + "." + kind + orders.size();
        OrderBook order = new OrderBook(orderId, lessons, priceFen, 0, 0, TermPlan.DAYS + 7, TermPlan.DAYS + 7 + 77,
                depositDay);
        orders.put(orderId, order);
        return order;
    }

    // ------------------------------------------------------------------ the requests

    void deposit(OrderBook order, int day) {
        Instant at = calendar.at(day, 9 * 60 + random.nextInt(9 * 60));
        long amountFen = order.paidFen();
        LocalDate start = calendar.date(order.firstLessonDay);
        LocalDate end = calendar.date(order.lastLessonDay);
        long studentDraw = fixedDraw(order, "");
        if (scenario().sellsHalfYearPackage(order, studentDraw)) {
            end = start.plusMonths(6);
        }
        DepositPosting deposit = new DepositPosting().accountId(accountId).bankTxnId(nextBankTxnId())
                .type(DepositPosting.TypeEnum.DEPOSIT).amount(Wire.money(amountFen))
                .currency(DepositPosting.CurrencyEnum.CNY).occurredAt(onTheWire(at)).orderId(order.orderId)
                .studentRef("stu-" + Long.toString(studentDraw, 36)).lessons(order.lessons)
                .lessonPrice(Wire.money(order.priceFen)).courseStart(start).courseEnd(end);
        boolean capBreach = order.lessons > 60 || end.isAfter(start.plusMonths(3));
        booked(day, Phase.BANK_BATCH, new PostingRequest(deposit), deposit.getBankTxnId(), Kind.DEPOSIT, amountFen,
                at, capBreach);
    }

    /** The platform confirms {@code lessons} lessons of the order as given. */
    void confirmLessons(OrderBook order, int day, int minute, int lessons) {
        order.consumed += lessons;
        Instant at = calendar.at(day, minute);
        String consumptionId = accountId + ".C" + (++consumptions);
        ConsumptionRequest body = new ConsumptionRequest().consumptionId(consumptionId).lessons(lessons)
                .occurredAt(Wire.instant(at));
        planned.accept(new Action(day, Phase.PLATFORM, accountId, "PLATFORM", "POST",
                "/api/v1/accounts/" + accountId + "/orders/" + order.orderId + "/consumptions", body,
                institution.institutionId(), accountId, consumptionId, 201, null,
                new Fact(Kind.CONSUMPTION, at, lessons * order.priceFen, false, 0)));
    }

    void release(OrderBook order, int day, int minute, long amountFen) {
        Instant at = calendar.at(day, minute);
        ReleasePosting release = releasePosting(order, at, amountFen);
        order.releasedFen += amountFen;
        booked(day, Phase.BANK_SINGLE, new PostingRequest(release), release.getBankTxnId(), Kind.RELEASE, amountFen,
                at, false);
    }

    /** A release the ledger must refuse (422): nothing is booked, the refusal is a fact for the alert rules. */
    void refusedRelease(OrderBook order, int day, int minute, long amountFen) {
        Instant at = calendar.at(day, minute);
        ReleasePosting release = releasePosting(order, at, amountFen);
        planned.accept(new Action(day, Phase.BANK_SINGLE, accountId, bank(), "POST", singlePostingsPath(),
                new PostingRequest(release), institution.institutionId(), accountId, release.getBankTxnId(), 422,
                null, new Fact(Kind.OUTFLOW_REJECTED, at, amountFen, false, 0)));
    }

    private ReleasePosting releasePosting(OrderBook order, Instant at, long amountFen) {
        return new ReleasePosting().bankTxnId(nextBankTxnId()).type(ReleasePosting.TypeEnum.RELEASE)
                .amount(Wire.money(amountFen)).currency(ReleasePosting.CurrencyEnum.CNY).occurredAt(onTheWire(at))
                .orderId(order.orderId);
    }

    /** The family takes back everything not yet consumed; the order has no more lessons. */
    void refundTheRest(OrderBook order, int day, int minute) {
        Instant at = calendar.at(day, minute);
        long amountFen = order.unconsumedFen();
        RefundPosting refund = new RefundPosting().bankTxnId(nextBankTxnId()).type(RefundPosting.TypeEnum.REFUND)
                .amount(Wire.money(amountFen)).currency(RefundPosting.CurrencyEnum.CNY).occurredAt(onTheWire(at))
                .orderId(order.orderId);
        order.refundedFen += amountFen;
        order.stopped = true;
        booked(day, Phase.BANK_SINGLE, new PostingRequest(refund), refund.getBankTxnId(), Kind.REFUND, amountFen, at,
                false);
    }

    void bankFee(int day, long amountFen) {
        Instant at = calendar.at(day, 8 * 60);
        BankFeePosting fee = new BankFeePosting().accountId(accountId).bankTxnId(nextBankTxnId())
                .type(BankFeePosting.TypeEnum.BANK_FEE).amount(Wire.money(amountFen))
                .currency(BankFeePosting.CurrencyEnum.CNY).occurredAt(onTheWire(at)).memo("account management fee");
        booked(day, Phase.BANK_BATCH, new PostingRequest(fee), fee.getBankTxnId(), Kind.BANK_FEE, amountFen, at,
                false);
    }

    void interest(int day, long amountFen) {
        Instant at = calendar.at(day, 8 * 60 + 30);
        InterestPosting interest = new InterestPosting().accountId(accountId).bankTxnId(nextBankTxnId())
                .type(InterestPosting.TypeEnum.INTEREST).amount(Wire.money(amountFen))
                .currency(InterestPosting.CurrencyEnum.CNY).occurredAt(onTheWire(at)).memo("quarterly interest");
        booked(day, Phase.BANK_BATCH, new PostingRequest(interest), interest.getBankTxnId(), Kind.INTEREST, amountFen,
                at, false);
    }

    /** The regional regulator sets the institution's minimum balance (the large threshold stays the default). */
    void regulatorSetsMinimumBalance(int day, long minimumFen) {
        minimumBalanceFen = minimumFen;
        String institutionId = institution.institutionId();
        planned.accept(new Action(day, Phase.REGULATOR, accountId, Population.regulatorPrincipal(institution.regionCode()),
                "PUT", "/api/v1/institutions/" + institutionId + "/policy",
                TermPlan.policy(minimumFen, DEFAULT_LARGE_THRESHOLD_FEN), institutionId, accountId, null, 200, null,
                new Fact(Kind.POLICY, calendar.at(day, 9 * 60), 0, false, minimumFen)));
    }

    /** The bank's daily statement of the day, its closing balance {@code shortfallFen} below the book's. */
    void statement(int day, long shortfallFen) {
        LocalDate date = calendar.date(day);
        String statementId = accountId + ".S" + date;
        DailyStatementRequest body = new DailyStatementRequest().statementId(statementId)
                .statementDate(date.toString()).closingBalance(Wire.money(balanceFen - shortfallFen))
                .transactionCount(postingsOn.getOrDefault(date, 0));
        // the ledger sees a mismatch once the statement's day is over
        Fact mismatch = shortfallFen == 0 ? null
                : new Fact(Kind.STATEMENT_MISMATCH, calendar.at(day + 1, 0), shortfallFen, false, 0);
        planned.accept(new Action(day, Phase.STATEMENT, accountId, bank(), "POST",
                "/api/v1/accounts/" + accountId + "/statements", body, institution.institutionId(), accountId,
                statementId, 200, null, mismatch));
    }

    private void booked(int day, Phase phase, PostingRequest body, String bankTxnId, Kind kind, long amountFen,
                        Instant at, boolean capBreach) {
        balanceFen += kind.signed(amountFen);
        postingsOn.merge(calendar.date(day), 1, Integer::sum);
        String path = phase == Phase.BANK_BATCH ? "/api/v1/transactions/batch" : singlePostingsPath();
        planned.accept(new Action(day, phase, accountId, bank(), "POST", path, body, institution.institutionId(),
                accountId, bankTxnId, 201, balanceFen, new Fact(kind, at, amountFen, capBreach, 0)));
    }

    private String singlePostingsPath() {
        return "/api/v1/accounts/" + accountId + "/transactions";
    }

    private String bank() {
        return Population.bankPrincipal(institution.bankCode());
    }

    private String nextBankTxnId() {
        return accountId + ".T" + (++bankTxns);
    }

    /** An instant as a bank writes it, in China Standard Time. */
    private static OffsetDateTime onTheWire(Instant at) {
        return OffsetDateTime.ofInstant(at, Wire.SHANGHAI);
    }
}
