package cn.prepaid.ledger.core.account;

import cn.prepaid.ledger.core.account.EscrowAccountCommand.OpenEscrowAccount;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.AccountFrozen;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.AccountUnfrozen;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.AdjustmentPosted;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.BankFeeCharged;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.ChargeCapExceeded;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.EarnedTake;
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
import cn.prepaid.ledger.core.account.PostingOutcome.Status;
import cn.prepaid.ledger.core.ids.BankCode;
import cn.prepaid.ledger.core.ids.InstitutionId;
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
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.axonframework.test.aggregate.ResultValidator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static cn.prepaid.ledger.core.LedgerMatchers.rejection;
import static cn.prepaid.ledger.core.LedgerMatchers.satisfying;
import static cn.prepaid.ledger.core.account.AccountCommands.T1;
import static cn.prepaid.ledger.core.account.AccountCommands.adjustment;
import static cn.prepaid.ledger.core.account.AccountCommands.approve;
import static cn.prepaid.ledger.core.account.AccountCommands.closure;
import static cn.prepaid.ledger.core.account.AccountCommands.consume;
import static cn.prepaid.ledger.core.account.AccountCommands.deposit;
import static cn.prepaid.ledger.core.account.AccountCommands.fee;
import static cn.prepaid.ledger.core.account.AccountCommands.freeze;
import static cn.prepaid.ledger.core.account.AccountCommands.fullCustodyTerms;
import static cn.prepaid.ledger.core.account.AccountCommands.interest;
import static cn.prepaid.ledger.core.account.AccountCommands.refund;
import static cn.prepaid.ledger.core.account.AccountCommands.rejectHeld;
import static cn.prepaid.ledger.core.account.AccountCommands.release;
import static cn.prepaid.ledger.core.account.AccountCommands.statement;
import static cn.prepaid.ledger.core.account.AccountCommands.terms;
import static cn.prepaid.ledger.core.account.AccountCommands.transferOut;
import static cn.prepaid.ledger.core.account.AccountCommands.unfreeze;
import static cn.prepaid.ledger.core.account.AccountHistory.ACC;
import static cn.prepaid.ledger.core.account.AccountHistory.ACCOUNT;
import static cn.prepaid.ledger.core.account.AccountHistory.BANK;
import static cn.prepaid.ledger.core.account.AccountHistory.BANK_ACCOUNT_NO;
import static cn.prepaid.ledger.core.account.AccountHistory.COURSE_END;
import static cn.prepaid.ledger.core.account.AccountHistory.COURSE_START;
import static cn.prepaid.ledger.core.account.AccountHistory.INSTITUTION;
import static cn.prepaid.ledger.core.account.AccountHistory.REGION;
import static cn.prepaid.ledger.core.rules.OutflowRejectionReason.ACCOUNT_FROZEN;
import static cn.prepaid.ledger.core.rules.OutflowRejectionReason.BREACHES_FLOOR;
import static cn.prepaid.ledger.core.rules.OutflowRejectionReason.EXCEEDS_REFUNDABLE;
import static cn.prepaid.ledger.core.rules.OutflowRejectionReason.EXCEEDS_RELEASABLE;
import static cn.prepaid.ledger.core.rules.OutflowRejectionReason.INSTITUTION_NOT_ACTIVE;
import static cn.prepaid.ledger.core.rules.OutflowRejectionReason.INSUFFICIENT_FUNDS;
import static cn.prepaid.ledger.core.rules.OutflowRejectionReason.UNKNOWN_ORDER;
import static org.assertj.core.api.Assertions.assertThat;

class EscrowAccountTest {

    private static final SupervisionPolicy DEFAULTS = SupervisionPolicy.defaultsFor(SupervisionMode.FULL_CUSTODY);
    /** Full custody with a minimum balance of ¥1,000. */
    private static final SupervisionPolicy MIN_1000 = DEFAULTS.withCoreValues(Money.parse("1000.00"),
            Ratio.parse("0.20"), Money.parse("50000.00"), Ratio.parse("0.30"), Money.parse("10000.00"));
    private static final long PRICE = 80_00;   // ¥80 a lesson

    private FixtureConfiguration<EscrowAccount> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(EscrowAccount.class);
        fixture.registerInjectableResource(InstitutionFunds.SINGLE_ACCOUNT);
    }

    /** O-1: 40 lessons at ¥80 (¥3,200), 10 consumed: ¥800 releasable, ¥2,400 owed, floor ¥480. */
    private static AccountHistory tenOfFortyConsumed() {
        return AccountHistory.fullCustody().deposit("O-1", 40, PRICE).consume("O-1", 10);
    }

    private static PostingOutcome rejected(String txn, OutflowRejectionReason reason, String detail, long balanceFen) {
        return new PostingOutcome(null, txn, Status.REJECTED, null, balanceFen, reason, detail);
    }

    private static void expectRuleRejection(ResultValidator<EscrowAccount> result, LedgerRejection expected) {
        result.expectException(LedgerRuleException.class)
                .expectException(rejection(expected))
                .expectNoEvents();
    }

    // ====================================================================== opening

    @Test
    void openRecordsTheTermsTheInstitutionHad() {
        fixture.givenNoPriorActivity()
                .when(new OpenEscrowAccount(ACCOUNT, InstitutionId.of(INSTITUTION), BankCode.of(BANK), BANK_ACCOUNT_NO,
                        new SupervisionTerms(RegionCode.of(REGION), InstitutionStatus.ACTIVE,
                                SupervisionMode.FULL_CUSTODY, DEFAULTS), AccountHistory.T0))
                .expectEvents(AccountHistory.openedEvent(SupervisionMode.FULL_CUSTODY, InstitutionStatus.ACTIVE, DEFAULTS))
                .expectState(account -> {
                    assertThat(account.accountId()).isEqualTo(ACC);
                    assertThat(account.institutionId()).isEqualTo(INSTITUTION);
                    assertThat(account.regionCode()).isEqualTo(REGION);
                    assertThat(account.bankCode()).isEqualTo(BANK);
                    assertThat(account.bankAccountNo()).isEqualTo(BANK_ACCOUNT_NO);
                    assertThat(account.supervisionMode()).isEqualTo(SupervisionMode.FULL_CUSTODY);
                    assertThat(account.institutionStatus()).isEqualTo(InstitutionStatus.ACTIVE);
                    assertThat(account.policy()).isEqualTo(DEFAULTS);
                    assertThat(account.balance()).isEqualTo(Money.ZERO);
                    assertThat(account.floor()).isEqualTo(Money.ZERO);
                    assertThat(account.reserved()).isEqualTo(Money.ZERO);
                    assertThat(account.releasable()).isEqualTo(Money.ZERO);
                    assertThat(account.frozen()).isFalse();
                    assertThat(account.orderCount()).isZero();
                    assertThat(account.lessonsRemaining("O-1")).isEqualTo(-1);
                });
    }

    // ====================================================================== deposits

    @Nested
    class Deposits {

        @Test
        void depositRecordsTuitionForANewOrder() {
            fixture.given(AccountHistory.fullCustody().events())
                    .when(deposit("T-1", "O-1", 40, "80.00"))
                    .expectEvents(new TuitionDeposited(ACC, "ACC-1.P1", "T-1", "O-1", "STU-O-1", 40, 8000, 320000,
                            COURSE_START, COURSE_END, 320000, T1))
                    .expectResultMessagePayload(new PostingOutcome("ACC-1.P1", "T-1", Status.RECORDED, null, 320000,
                            null, null))
                    .expectState(account -> {
                        assertThat(account.balance()).isEqualTo(Money.parse("3200.00"));
                        assertThat(account.outstandingLiability()).isEqualTo(Money.parse("3200.00"));
                        assertThat(account.floor()).isEqualTo(Money.parse("640.00"));
                        assertThat(account.releasable()).isEqualTo(Money.ZERO);
                        assertThat(account.lessonsRemaining("O-1")).isEqualTo(40);
                        assertThat(account.unconsumedValue("O-1")).isEqualTo(Money.parse("3200.00"));
                        assertThat(account.orderCount()).isEqualTo(1);
                    });
        }

        @Test
        void depositPostingIdsFollowEarlierPostings() {
            AccountHistory history = AccountHistory.fullCustody().deposit("O-1", 40, PRICE).interest(100);
            fixture.given(history.events())
                    .when(deposit("T-9", "O-2", 10, "50.00"))
                    .expectEvents(new TuitionDeposited(ACC, "ACC-1.P3", "T-9", "O-2", "STU-O-2", 10, 5000, 50000,
                            COURSE_START, COURSE_END, 370100, T1))
                    .expectState(account -> assertThat(account.balance()).isEqualTo(Money.parse("3701.00")));
        }

        @Test
        void depositOfSixtyLessonsIsWithinTheChargeCap() {
            fixture.given(AccountHistory.fullCustody().events())
                    .when(deposit("T-1", "O-1", 60, "80.00"))
                    .expectEvents(new TuitionDeposited(ACC, "ACC-1.P1", "T-1", "O-1", "STU-O-1", 60, 8000, 480000,
                            COURSE_START, COURSE_END, 480000, T1));
        }

        @Test
        void depositOfMoreThanSixtyLessonsIsRecordedAndBreaksTheChargeCap() {
            fixture.given(AccountHistory.fullCustody().events())
                    .when(deposit("T-1", "O-1", 61, "80.00"))
                    .expectEvents(
                            new TuitionDeposited(ACC, "ACC-1.P1", "T-1", "O-1", "STU-O-1", 61, 8000, 488000,
                                    COURSE_START, COURSE_END, 488000, T1),
                            new ChargeCapExceeded(ACC, "O-1", "T-1", 61, 60, COURSE_START, COURSE_END, 3, T1))
                    .expectResultMessagePayload(new PostingOutcome("ACC-1.P1", "T-1", Status.RECORDED, null, 488000,
                            null, null))
                    .expectState(account -> {
                        assertThat(account.balance()).isEqualTo(Money.parse("4880.00"));
                        assertThat(account.lessonsRemaining("O-1")).isEqualTo(61);
                    });
        }

        @Test
        void courseEndingExactlyThreeMonthsLaterIsWithinTheChargeCap() {
            LocalDate end = LocalDate.of(2024, 6, 1);
            fixture.given(AccountHistory.fullCustody().events())
                    .when(deposit("T-1", "O-1", "1600.00", 20, "80.00", COURSE_START, end))
                    .expectEvents(new TuitionDeposited(ACC, "ACC-1.P1", "T-1", "O-1", "STU-O-1", 20, 8000, 160000,
                            COURSE_START, end, 160000, T1));
        }

        @Test
        void depositForACourseLongerThanThreeMonthsIsRecordedAndBreaksTheChargeCap() {
            LocalDate end = LocalDate.of(2024, 6, 2);
            fixture.given(AccountHistory.fullCustody().events())
                    .when(deposit("T-1", "O-1", "1600.00", 20, "80.00", COURSE_START, end))
                    .expectEvents(
                            new TuitionDeposited(ACC, "ACC-1.P1", "T-1", "O-1", "STU-O-1", 20, 8000, 160000,
                                    COURSE_START, end, 160000, T1),
                            new ChargeCapExceeded(ACC, "O-1", "T-1", 20, 60, COURSE_START, end, 3, T1))
                    .expectState(account -> assertThat(account.balance()).isEqualTo(Money.parse("1600.00")));
        }

        @Test
        void depositIsRecordedEvenWhileFrozen() {
            fixture.given(AccountHistory.fullCustody().frozen().events())
                    .when(deposit("T-1", "O-1", 10, "80.00"))
                    .expectEvents(new TuitionDeposited(ACC, "ACC-1.P1", "T-1", "O-1", "STU-O-1", 10, 8000, 80000,
                            COURSE_START, COURSE_END, 80000, T1));
        }

        @Test
        void depositWhoseAmountIsNotLessonsTimesPriceIsRejected() {
            expectRuleRejection(fixture.given(AccountHistory.fullCustody().events())
                    .when(deposit("T-1", "O-1", "3200.01", 40, "80.00", COURSE_START, COURSE_END)),
                    LedgerRejection.AMOUNT_MISMATCH);
        }

        @Test
        void depositWhosePriceTimesLessonsOverflowsIsAMismatchNotACrash() {
            expectRuleRejection(fixture.given(AccountHistory.fullCustody().events())
                    .when(deposit("T-1", "O-1", "100.00", 10, "9999999999999999.99", COURSE_START, COURSE_END)),
                    LedgerRejection.AMOUNT_MISMATCH);
        }

        @Test
        void depositOfZeroIsRejected() {
            expectRuleRejection(fixture.given(AccountHistory.fullCustody().events())
                    .when(deposit("T-1", "O-1", "0.00", 1, "80.00", COURSE_START, COURSE_END)),
                    LedgerRejection.AMOUNT_INVALID);
        }

        @Test
        void negativeDepositIsRejected() {
            expectRuleRejection(fixture.given(AccountHistory.fullCustody().events())
                    .when(deposit("T-1", "O-1", "-80.00", 1, "-80.00", COURSE_START, COURSE_END)),
                    LedgerRejection.AMOUNT_INVALID);
        }

        @Test
        void depositAboveTheLargestPostingIsRejected() {
            expectRuleRejection(fixture.given(AccountHistory.fullCustody().events())
                    .when(deposit("T-1", "O-1", "1000000000.01", 1, "1000000000.01", COURSE_START, COURSE_END)),
                    LedgerRejection.AMOUNT_INVALID);
        }

        @Test
        void depositOfTheLargestPostingIsRecorded() {
            fixture.given(AccountHistory.fullCustody().events())
                    .when(deposit("T-1", "O-1", "1000000000.00", 1, "1000000000.00", COURSE_START, COURSE_END))
                    .expectSuccessfulHandlerExecution()
                    .expectState(account -> assertThat(account.balance()).isEqualTo(Money.MAX_POSTING));
        }

        @Test
        void depositOfZeroLessonsIsRejected() {
            expectRuleRejection(fixture.given(AccountHistory.fullCustody().events())
                    .when(deposit("T-1", "O-1", "80.00", 0, "80.00", COURSE_START, COURSE_END)),
                    LedgerRejection.LESSONS_INVALID);
        }

        @Test
        void depositWithAZeroLessonPriceIsRejected() {
            expectRuleRejection(fixture.given(AccountHistory.fullCustody().events())
                    .when(deposit("T-1", "O-1", "80.00", 1, "0.00", COURSE_START, COURSE_END)),
                    LedgerRejection.AMOUNT_INVALID);
        }

        @Test
        void depositForACourseEndingBeforeItStartsIsRejected() {
            expectRuleRejection(fixture.given(AccountHistory.fullCustody().events())
                    .when(deposit("T-1", "O-1", "80.00", 1, "80.00", COURSE_START, COURSE_START.minusDays(1))),
                    LedgerRejection.COURSE_DATES_INVALID);
        }

        @Test
        void oneDayCourseIsAllowed() {
            fixture.given(AccountHistory.fullCustody().events())
                    .when(deposit("T-1", "O-1", "80.00", 1, "80.00", COURSE_START, COURSE_START))
                    .expectSuccessfulHandlerExecution()
                    .expectState(account -> assertThat(account.lessonsRemaining("O-1")).isEqualTo(1));
        }

        @Test
        void secondDepositForTheSameOrderIsRejected() {
            expectRuleRejection(fixture.given(AccountHistory.fullCustody().deposit("O-1", 40, PRICE).events())
                    .when(deposit("T-2", "O-1", 10, "80.00")),
                    LedgerRejection.ORDER_ALREADY_EXISTS);
        }
    }

    // ====================================================================== lesson consumption

    @Nested
    class Consumption {

        @Test
        void consumeLessonsMovesTuitionFromOwedToEarned() {
            fixture.given(AccountHistory.fullCustody().deposit("O-1", 40, PRICE).events())
                    .when(consume("C-1", "O-1", 10))
                    .expectEvents(new LessonsConsumed(ACC, "O-1", "C-1", 10, 10, 30, 80000, T1))
                    .expectResultMessagePayload(new ConsumptionOutcome("O-1", 10, 30, 80000))
                    .expectState(account -> {
                        assertThat(account.lessonsRemaining("O-1")).isEqualTo(30);
                        assertThat(account.outstandingLiability()).isEqualTo(Money.parse("2400.00"));
                        assertThat(account.floor()).isEqualTo(Money.parse("480.00"));
                        assertThat(account.releasable()).isEqualTo(Money.parse("800.00"));
                        assertThat(account.orderReleasable("O-1")).isEqualTo(Money.parse("800.00"));
                        assertThat(account.orderConsumedValue("O-1")).isEqualTo(Money.parse("800.00"));
                        assertThat(account.balance()).isEqualTo(Money.parse("3200.00"));
                    });
        }

        @Test
        void consumingEveryRemainingLessonIsAllowed() {
            fixture.given(tenOfFortyConsumed().events())
                    .when(consume("C-2", "O-1", 30))
                    .expectEvents(new LessonsConsumed(ACC, "O-1", "C-2", 30, 40, 0, 240000, T1))
                    .expectResultMessagePayload(new ConsumptionOutcome("O-1", 40, 0, 320000))
                    .expectState(account -> {
                        assertThat(account.outstandingLiability()).isEqualTo(Money.ZERO);
                        assertThat(account.floor()).isEqualTo(Money.ZERO);
                        assertThat(account.releasable()).isEqualTo(Money.parse("3200.00"));
                    });
        }

        @Test
        void consumingMoreLessonsThanRemainIsRejected() {
            expectRuleRejection(fixture.given(tenOfFortyConsumed().events())
                    .when(consume("C-2", "O-1", 31)),
                    LedgerRejection.LESSONS_EXCEED_REMAINING);
        }

        @Test
        void consumptionAfterAPartialRefundIsLimitedToThePaidForLessons() {
            // ¥3,100 left unconsumed covers 38 whole lessons at ¥80
            expectRuleRejection(fixture.given(AccountHistory.fullCustody().deposit("O-1", 40, PRICE)
                            .refund("O-1", 100_00).events())
                    .when(consume("C-1", "O-1", 39)),
                    LedgerRejection.LESSONS_EXCEED_REMAINING);
        }

        @Test
        void consumptionForAnUnknownOrderIsRejected() {
            expectRuleRejection(fixture.given(tenOfFortyConsumed().events())
                    .when(consume("C-2", "O-9", 1)),
                    LedgerRejection.ORDER_NOT_FOUND);
        }

        @Test
        void consumingZeroLessonsIsRejected() {
            expectRuleRejection(fixture.given(tenOfFortyConsumed().events())
                    .when(consume("C-2", "O-1", 0)),
                    LedgerRejection.LESSONS_INVALID);
        }

        @Test
        void consumingANegativeNumberOfLessonsIsRejected() {
            expectRuleRejection(fixture.given(tenOfFortyConsumed().events())
                    .when(consume("C-2", "O-1", -3)),
                    LedgerRejection.LESSONS_INVALID);
        }
    }

    // ====================================================================== releases (full custody)

    @Nested
    class Releases {

        @Test
        void releaseOfConsumedLessonsIsPaid() {
            fixture.given(tenOfFortyConsumed().events())
                    .when(release("T-2", "800.00", "O-1"))
                    .expectEvents(new FundsReleased(ACC, "ACC-1.P2", "T-2", "O-1", 80000, 240000, null, T1))
                    .expectResultMessagePayload(new PostingOutcome("ACC-1.P2", "T-2", Status.RELEASED, null, 240000,
                            null, null))
                    .expectState(account -> {
                        assertThat(account.balance()).isEqualTo(Money.parse("2400.00"));
                        assertThat(account.releasable()).isEqualTo(Money.ZERO);
                        assertThat(account.orderReleased("O-1")).isEqualTo(Money.parse("800.00"));
                        assertThat(account.outstandingLiability()).isEqualTo(Money.parse("2400.00"));
                        assertThat(account.floor()).isEqualTo(Money.parse("480.00"));
                        assertThat(account.reserved()).isEqualTo(Money.ZERO);
                    });
        }

        @Test
        void releaseBeyondConsumedLessonsIsRejected() {
            fixture.given(tenOfFortyConsumed().events())
                    .when(release("T-2", "800.01", "O-1"))
                    .expectEvents(new OutflowRejected(ACC, "T-2", OutflowType.RELEASE, "O-1", 80001, EXCEEDS_RELEASABLE,
                            "order O-1 has 800.00 releasable", 320000, T1))
                    .expectResultMessagePayload(rejected("T-2", EXCEEDS_RELEASABLE, "order O-1 has 800.00 releasable",
                            320000))
                    .expectState(account -> {
                        assertThat(account.balance()).isEqualTo(Money.parse("3200.00"));
                        assertThat(account.releasable()).isEqualTo(Money.parse("800.00"));
                    });
        }

        @Test
        void releaseBeyondWhatEarlierReleasesLeftIsRejected() {
            fixture.given(tenOfFortyConsumed().release("O-1", 300_00).events())
                    .when(release("T-3", "500.01", "O-1"))
                    .expectEvents(new OutflowRejected(ACC, "T-3", OutflowType.RELEASE, "O-1", 50001, EXCEEDS_RELEASABLE,
                            "order O-1 has 500.00 releasable", 290000, T1))
                    .expectResultMessagePayloadMatching(satisfying(PostingOutcome.class, outcome -> {
                        assertThat(outcome.status()).isEqualTo(Status.REJECTED);
                        assertThat(outcome.rejection()).isEqualTo(EXCEEDS_RELEASABLE);
                    }));
        }

        @Test
        void releaseFromAFrozenAccountIsRejected() {
            fixture.given(tenOfFortyConsumed().frozen().events())
                    .when(release("T-2", "800.00", "O-1"))
                    .expectEvents(new OutflowRejected(ACC, "T-2", OutflowType.RELEASE, "O-1", 80000, ACCOUNT_FROZEN,
                            "account is frozen", 320000, T1))
                    .expectResultMessagePayload(rejected("T-2", ACCOUNT_FROZEN, "account is frozen", 320000));
        }

        @Test
        void releaseToASuspendedInstitutionIsRejected() {
            fixture.given(tenOfFortyConsumed().suspended().events())
                    .when(release("T-2", "800.00", "O-1"))
                    .expectEvents(new OutflowRejected(ACC, "T-2", OutflowType.RELEASE, "O-1", 80000,
                            INSTITUTION_NOT_ACTIVE, "institution is SUSPENDED", 320000, T1))
                    .expectResultMessagePayload(rejected("T-2", INSTITUTION_NOT_ACTIVE, "institution is SUSPENDED",
                            320000));
        }

        @Test
        void releaseBeforeTheInstitutionIsApprovedIsRejected() {
            fixture.given(AccountHistory.opened(SupervisionMode.FULL_CUSTODY, InstitutionStatus.REGISTERED, DEFAULTS)
                            .deposit("O-1", 40, PRICE).consume("O-1", 10).events())
                    .when(release("T-2", "800.00", "O-1"))
                    .expectEvents(new OutflowRejected(ACC, "T-2", OutflowType.RELEASE, "O-1", 80000,
                            INSTITUTION_NOT_ACTIVE, "institution is REGISTERED", 320000, T1));
        }

        @Test
        void releaseForAnUnknownOrderIsRejected() {
            fixture.given(tenOfFortyConsumed().events())
                    .when(release("T-2", "1.00", "O-9"))
                    .expectEvents(new OutflowRejected(ACC, "T-2", OutflowType.RELEASE, "O-9", 100, UNKNOWN_ORDER,
                            "order O-9 is not an order of this account", 320000, T1))
                    .expectResultMessagePayload(rejected("T-2", UNKNOWN_ORDER,
                            "order O-9 is not an order of this account", 320000));
        }

        @Test
        void releaseBeyondTheBalanceIsRejectedAsInsufficientFunds() {
            AccountHistory history = AccountHistory.fullCustody().deposit("O-1", 40, PRICE).consume("O-1", 40)
                    .fee(100_00);
            fixture.given(history.events())
                    .when(release("T-3", "3200.00", "O-1"))
                    .expectEvents(new OutflowRejected(ACC, "T-3", OutflowType.RELEASE, "O-1", 320000,
                            INSUFFICIENT_FUNDS, "available 3100.00", 310000, T1))
                    .expectResultMessagePayload(rejected("T-3", INSUFFICIENT_FUNDS, "available 3100.00", 310000))
                    .expectState(account -> assertThat(account.balance()).isEqualTo(Money.parse("3100.00")));
        }

        @Test
        void releaseBelowTheMinimumBalanceIsRejected() {
            AccountHistory history = AccountHistory.opened(SupervisionMode.FULL_CUSTODY, InstitutionStatus.ACTIVE,
                    MIN_1000).deposit("O-1", 40, PRICE).consume("O-1", 40);
            fixture.given(history.events())
                    .when(release("T-2", "2200.01", "O-1"))
                    .expectEvents(new OutflowRejected(ACC, "T-2", OutflowType.RELEASE, "O-1", 220001, BREACHES_FLOOR,
                            "the institution's balance after would be below its floor of 1000.00", 320000, T1))
                    .expectResultMessagePayload(rejected("T-2", BREACHES_FLOOR,
                            "the institution's balance after would be below its floor of 1000.00", 320000));
        }

        @Test
        void releaseDownToExactlyTheFloorIsPaid() {
            AccountHistory history = AccountHistory.opened(SupervisionMode.FULL_CUSTODY, InstitutionStatus.ACTIVE,
                    MIN_1000).deposit("O-1", 40, PRICE).consume("O-1", 40);
            fixture.given(history.events())
                    .when(release("T-2", "2200.00", "O-1"))
                    .expectEvents(new FundsReleased(ACC, "ACC-1.P2", "T-2", "O-1", 220000, 100000, null, T1))
                    .expectState(account -> {
                        assertThat(account.balance()).isEqualTo(account.floor());
                        assertThat(account.balance()).isEqualTo(Money.parse("1000.00"));
                    });
        }

        @Test
        void releaseBreachingTheLiabilityFloorAfterFeesIsRejected() {
            // O-1 fully earned (¥3,200), O-2 unearned (¥3,200: floor ¥640); fees leave ¥3,400
            AccountHistory history = AccountHistory.fullCustody().deposit("O-1", 40, PRICE).consume("O-1", 40)
                    .deposit("O-2", 40, PRICE).fee(3000_00);
            fixture.given(history.events())
                    .when(release("T-9", "3200.00", "O-1"))
                    .expectEvents(new OutflowRejected(ACC, "T-9", OutflowType.RELEASE, "O-1", 320000, BREACHES_FLOOR,
                            "the institution's balance after would be below its floor of 640.00", 340000, T1))
                    .expectState(account -> assertThat(account.floor()).isEqualTo(Money.parse("640.00")));
        }

        @Test
        void releaseAfterUnfreezingIsPaid() {
            fixture.given(tenOfFortyConsumed().frozen().unfrozen().events())
                    .when(release("T-2", "800.00", "O-1"))
                    .expectEvents(new FundsReleased(ACC, "ACC-1.P2", "T-2", "O-1", 80000, 240000, null, T1));
        }
    }

    // ====================================================================== large outflows

    @Nested
    class LargeOutflows {

        /** O-1: 60 lessons at ¥1,000, 55 consumed; O-2: 60 at ¥3,000 unconsumed. Balance ¥240,000, floor ¥37,000. */
        private AccountHistory bigSchool() {
            return AccountHistory.fullCustody().deposit("O-1", 60, 1000_00).consume("O-1", 55)
                    .deposit("O-2", 60, 3000_00);
        }

        /** O-1: 50 lessons at ¥400 all consumed: ¥20,000 releasable, no floor; plus interest. */
        private AccountHistory earnedTwentyThousand(long interestFen) {
            AccountHistory history = AccountHistory.fullCustody().deposit("O-1", 50, 400_00).consume("O-1", 50);
            return interestFen > 0 ? history.interest(interestFen) : history;
        }

        @Test
        void releaseAtTheLargeThresholdIsHeld() {
            fixture.given(bigSchool().events())
                    .when(release("T-9", "50000.00", "O-1"))
                    .expectEvents(new OutflowHeld(ACC, "ACC-1.H1", "T-9", OutflowType.RELEASE, "O-1", 5000000, null,
                            null, 24000000, T1))
                    .expectResultMessagePayload(new PostingOutcome(null, "T-9", Status.HELD, "ACC-1.H1", 24000000,
                            null, null))
                    .expectState(account -> {
                        assertThat(account.balance()).isEqualTo(Money.parse("240000.00"));
                        assertThat(account.reserved()).isEqualTo(Money.parse("50000.00"));
                        assertThat(account.orderReleasable("O-1")).isEqualTo(Money.parse("5000.00"));
                        assertThat(account.orderReleased("O-1")).isEqualTo(Money.ZERO);
                        assertThat(account.floor()).isEqualTo(Money.parse("37000.00"));
                    });
        }

        @Test
        void releaseJustBelowTheLargeThresholdIsPaid() {
            fixture.given(bigSchool().events())
                    .when(release("T-9", "49999.99", "O-1"))
                    .expectEvents(new FundsReleased(ACC, "ACC-1.P3", "T-9", "O-1", 4999999, 19000001, null, T1))
                    .expectState(account -> assertThat(account.reserved()).isEqualTo(Money.ZERO));
        }

        @Test
        void releaseOfThirtyPercentOfTheBalanceFromTenThousandIsHeld() {
            // balance ¥33,333.33: 30 % is ¥9,999.999, so ¥10,000 reaches it
            fixture.given(earnedTwentyThousand(13333_33).events())
                    .when(release("T-9", "10000.00", "O-1"))
                    .expectEvents(new OutflowHeld(ACC, "ACC-1.H1", "T-9", OutflowType.RELEASE, "O-1", 1000000, null,
                            null, 3333333, T1))
                    .expectResultMessagePayload(new PostingOutcome(null, "T-9", Status.HELD, "ACC-1.H1", 3333333,
                            null, null));
        }

        @Test
        void releaseJustBelowThirtyPercentOfTheBalanceIsPaid() {
            // balance ¥33,333.34: 30 % is ¥10,000.002
            fixture.given(earnedTwentyThousand(13333_34).events())
                    .when(release("T-9", "10000.00", "O-1"))
                    .expectEvents(new FundsReleased(ACC, "ACC-1.P3", "T-9", "O-1", 1000000, 2333334, null, T1));
        }

        @Test
        void releaseJustBelowTenThousandIsPaidWhateverItsShareOfTheBalance() {
            fixture.given(earnedTwentyThousand(0).events())
                    .when(release("T-9", "9999.99", "O-1"))
                    .expectEvents(new FundsReleased(ACC, "ACC-1.P2", "T-9", "O-1", 999999, 1000001, null, T1));
        }

        @Test
        void largeTransferIsHeld() {
            fixture.given(AccountHistory.fullCustody().interest(60000_00).events())
                    .when(transferOut("T-2", "50000.00"))
                    .expectEvents(new OutflowHeld(ACC, "ACC-1.H1", "T-2", OutflowType.TRANSFER_OUT, null, 5000000,
                            "Institution basic account", "interest sweep", 6000000, T1))
                    .expectResultMessagePayload(new PostingOutcome(null, "T-2", Status.HELD, "ACC-1.H1", 6000000,
                            null, null))
                    .expectState(account -> {
                        assertThat(account.reserved()).isEqualTo(Money.parse("50000.00"));
                        assertThat(account.balance()).isEqualTo(Money.parse("60000.00"));
                    });
        }
    }

    // ====================================================================== regulator decisions on held outflows

    @Nested
    class HeldOutflows {

        /** O-1 fully earned (¥20,000) and ¥12,000 of it held as H1. */
        private AccountHistory heldTwelveThousand() {
            return AccountHistory.fullCustody().deposit("O-1", 50, 400_00).consume("O-1", 50)
                    .heldRelease("T-H1", "O-1", 12000_00);
        }

        @Test
        void approvingAHeldReleasePaysItUnderItsHeldId() {
            fixture.given(heldTwelveThousand().events())
                    .when(approve("ACC-1.H1"))
                    .expectEvents(
                            new HeldOutflowApproved(ACC, "ACC-1.H1", "regulator-1", "ok", T1),
                            new FundsReleased(ACC, "ACC-1.P2", "T-H1", "O-1", 1200000, 800000, "ACC-1.H1", T1))
                    .expectResultMessagePayload(new HeldOutflowDecision("ACC-1.H1", HeldOutflowDecision.Status.APPROVED,
                            "ACC-1.P2", 800000))
                    .expectState(account -> {
                        assertThat(account.reserved()).isEqualTo(Money.ZERO);
                        assertThat(account.balance()).isEqualTo(Money.parse("8000.00"));
                        assertThat(account.orderReleased("O-1")).isEqualTo(Money.parse("12000.00"));
                        assertThat(account.orderReleasable("O-1")).isEqualTo(Money.parse("8000.00"));
                    });
        }

        @Test
        void whileAReleaseIsHeldItsAmountCannotBeReleasedAgain() {
            fixture.given(heldTwelveThousand().events())
                    .when(release("T-9", "9000.00", "O-1"))
                    .expectEvents(new OutflowRejected(ACC, "T-9", OutflowType.RELEASE, "O-1", 900000, EXCEEDS_RELEASABLE,
                            "order O-1 has 8000.00 releasable", 2000000, T1))
                    .expectState(account -> assertThat(account.reserved()).isEqualTo(Money.parse("12000.00")));
        }

        @Test
        void aHeldOutflowIsReservedAgainstLaterOutflows() {
            // after a ¥1,000 fee only ¥7,000 is neither held nor spent
            fixture.given(heldTwelveThousand().fee(1000_00).events())
                    .when(release("T-9", "8000.00", "O-1"))
                    .expectEvents(new OutflowRejected(ACC, "T-9", OutflowType.RELEASE, "O-1", 800000,
                            INSUFFICIENT_FUNDS, "available 7000.00", 1900000, T1));
        }

        @Test
        void aReleaseMustKeepTheFloorBesideTheHeldMoney() {
            // balance ¥13,000 of which ¥12,000 is held: ¥1,000 is available, but the floor (O-2) is ¥2,000
            AccountHistory history = AccountHistory.fullCustody().deposit("O-1", 50, 400_00).consume("O-1", 50)
                    .deposit("O-2", 25, 400_00).heldRelease("T-H1", "O-1", 12000_00).fee(17000_00);
            fixture.given(history.events())
                    .when(release("T-9", "1000.00", "O-1"))
                    .expectEvents(new OutflowRejected(ACC, "T-9", OutflowType.RELEASE, "O-1", 100000, BREACHES_FLOOR,
                            "the institution's balance after would be below its floor of 2000.00", 1300000, T1));
        }

        @Test
        void rejectingAHeldReleaseFreesItsReservation() {
            fixture.given(heldTwelveThousand().events())
                    .when(rejectHeld("ACC-1.H1"))
                    .expectEvents(new HeldOutflowRejected(ACC, "ACC-1.H1", "regulator-1", "not justified", T1))
                    .expectResultMessagePayload(new HeldOutflowDecision("ACC-1.H1", HeldOutflowDecision.Status.REJECTED,
                            null, 2000000))
                    .expectState(account -> {
                        assertThat(account.reserved()).isEqualTo(Money.ZERO);
                        assertThat(account.balance()).isEqualTo(Money.parse("20000.00"));
                        assertThat(account.orderReleasable("O-1")).isEqualTo(Money.parse("20000.00"));
                        assertThat(account.orderReleased("O-1")).isEqualTo(Money.ZERO);
                    });
        }

        @Test
        void aLaterReleaseCanUseTheMoneyOfARejectedHeldRelease() {
            fixture.given(heldTwelveThousand().rejected("ACC-1.H1").events())
                    .when(release("T-9", "9000.00", "O-1"))
                    .expectEvents(new FundsReleased(ACC, "ACC-1.P2", "T-9", "O-1", 900000, 1100000, null, T1));
        }

        @Test
        void aSecondHeldOutflowGetsTheNextNumber() {
            fixture.given(heldTwelveThousand().rejected("ACC-1.H1").events())
                    .when(release("T-9", "15000.00", "O-1"))
                    .expectEvents(new OutflowHeld(ACC, "ACC-1.H2", "T-9", OutflowType.RELEASE, "O-1", 1500000, null,
                            null, 2000000, T1));
        }

        @Test
        void approvingAHeldTransferPaysItOut() {
            AccountHistory history = AccountHistory.fullCustody().interest(60000_00).heldTransfer("T-H1", 50000_00);
            fixture.given(history.events())
                    .when(approve("ACC-1.H1"))
                    .expectEvents(
                            new HeldOutflowApproved(ACC, "ACC-1.H1", "regulator-1", "ok", T1),
                            new FundsTransferredOut(ACC, "ACC-1.P2", "T-H1", 5000000, "Institution basic account",
                                    "interest sweep", 1000000, "ACC-1.H1", T1))
                    .expectResultMessagePayload(new HeldOutflowDecision("ACC-1.H1", HeldOutflowDecision.Status.APPROVED,
                            "ACC-1.P2", 1000000))
                    .expectState(account -> {
                        assertThat(account.reserved()).isEqualTo(Money.ZERO);
                        assertThat(account.balance()).isEqualTo(Money.parse("10000.00"));
                    });
        }

        @Test
        void rejectingAHeldTransferFreesItsReservation() {
            AccountHistory history = AccountHistory.fullCustody().interest(60000_00).heldTransfer("T-H1", 50000_00);
            fixture.given(history.events())
                    .when(rejectHeld("ACC-1.H1"))
                    .expectEvents(new HeldOutflowRejected(ACC, "ACC-1.H1", "regulator-1", "not justified", T1))
                    .expectState(account -> assertThat(account.reserved()).isEqualTo(Money.ZERO));
        }

        @Test
        void approvingTwiceIsRejected() {
            expectRuleRejection(fixture.given(heldTwelveThousand().approved("ACC-1.H1").events())
                    .when(approve("ACC-1.H1")),
                    LedgerRejection.HELD_OUTFLOW_ALREADY_DECIDED);
        }

        @Test
        void rejectingAnApprovedOutflowIsRejected() {
            expectRuleRejection(fixture.given(heldTwelveThousand().approved("ACC-1.H1").events())
                    .when(rejectHeld("ACC-1.H1")),
                    LedgerRejection.HELD_OUTFLOW_ALREADY_DECIDED);
        }

        @Test
        void approvingARejectedOutflowIsRejected() {
            expectRuleRejection(fixture.given(heldTwelveThousand().rejected("ACC-1.H1").events())
                    .when(approve("ACC-1.H1")),
                    LedgerRejection.HELD_OUTFLOW_ALREADY_DECIDED);
        }

        @Test
        void rejectingTwiceIsRejected() {
            expectRuleRejection(fixture.given(heldTwelveThousand().rejected("ACC-1.H1").events())
                    .when(rejectHeld("ACC-1.H1")),
                    LedgerRejection.HELD_OUTFLOW_ALREADY_DECIDED);
        }

        @Test
        void approvingAnUnknownHeldOutflowIsRejected() {
            expectRuleRejection(fixture.given(heldTwelveThousand().events())
                    .when(approve("ACC-1.H9")),
                    LedgerRejection.HELD_OUTFLOW_NOT_FOUND);
        }

        @Test
        void rejectingAnUnknownHeldOutflowIsRejected() {
            expectRuleRejection(fixture.given(heldTwelveThousand().events())
                    .when(rejectHeld("ACC-1.H2")),
                    LedgerRejection.HELD_OUTFLOW_NOT_FOUND);
        }

        @Test
        void approvalIsBlockedWhileFrozen() {
            expectRuleRejection(fixture.given(heldTwelveThousand().frozen().events())
                    .when(approve("ACC-1.H1")),
                    LedgerRejection.HELD_OUTFLOW_BLOCKED);
        }

        @Test
        void aHeldOutflowCanBeRejectedWhileFrozen() {
            fixture.given(heldTwelveThousand().frozen().events())
                    .when(rejectHeld("ACC-1.H1"))
                    .expectEvents(new HeldOutflowRejected(ACC, "ACC-1.H1", "regulator-1", "not justified", T1))
                    .expectState(account -> assertThat(account.reserved()).isEqualTo(Money.ZERO));
        }

        @Test
        void approvalIsBlockedWhenTheInstitutionIsNoLongerActive() {
            expectRuleRejection(fixture.given(heldTwelveThousand().suspended().events())
                    .when(approve("ACC-1.H1")),
                    LedgerRejection.HELD_OUTFLOW_BLOCKED);
        }

        @Test
        void approvalIsBlockedAfterClosure() {
            expectRuleRejection(fixture.given(heldTwelveThousand().closed().events())
                    .when(approve("ACC-1.H1")),
                    LedgerRejection.HELD_OUTFLOW_BLOCKED);
        }

        @Test
        void approvalIsBlockedWhenFeesLeftLessThanTheAmount() {
            expectRuleRejection(fixture.given(heldTwelveThousand().fee(9000_00).events())
                    .when(approve("ACC-1.H1")),
                    LedgerRejection.HELD_OUTFLOW_BLOCKED);
        }

        @Test
        void approvalIsBlockedWhenPayingWouldBreachTheFloor() {
            // O-2 (¥10,000 unearned) puts the floor at ¥2,000; after the fee ¥13,000 is left, ¥1,000 after paying
            AccountHistory history = AccountHistory.fullCustody().deposit("O-1", 50, 400_00).consume("O-1", 50)
                    .deposit("O-2", 25, 400_00).heldRelease("T-H1", "O-1", 12000_00).fee(17000_00);
            expectRuleRejection(fixture.given(history.events()).when(approve("ACC-1.H1")),
                    LedgerRejection.HELD_OUTFLOW_BLOCKED);
        }

        @Test
        void approvalDownToExactlyTheFloorIsPaid() {
            AccountHistory history = AccountHistory.fullCustody().deposit("O-1", 50, 400_00).consume("O-1", 50)
                    .deposit("O-2", 25, 400_00).heldRelease("T-H1", "O-1", 12000_00).fee(16000_00);
            fixture.given(history.events())
                    .when(approve("ACC-1.H1"))
                    .expectSuccessfulHandlerExecution()
                    .expectState(account -> {
                        assertThat(account.balance()).isEqualTo(Money.parse("2000.00"));
                        assertThat(account.floor()).isEqualTo(Money.parse("2000.00"));
                    });
        }
    }

    // ====================================================================== refunds

    @Nested
    class Refunds {

        @Test
        void refundOfUnconsumedTuitionIsPaid() {
            fixture.given(tenOfFortyConsumed().events())
                    .when(refund("T-2", "2400.00", "O-1"))
                    .expectEvents(new TuitionRefunded(ACC, "ACC-1.P2", "T-2", "O-1", 240000, 80000, T1))
                    .expectResultMessagePayload(new PostingOutcome("ACC-1.P2", "T-2", Status.REFUNDED, null, 80000,
                            null, null))
                    .expectState(account -> {
                        assertThat(account.balance()).isEqualTo(Money.parse("800.00"));
                        assertThat(account.outstandingLiability()).isEqualTo(Money.ZERO);
                        assertThat(account.floor()).isEqualTo(Money.ZERO);
                        assertThat(account.unconsumedValue("O-1")).isEqualTo(Money.ZERO);
                        assertThat(account.lessonsRemaining("O-1")).isZero();
                        assertThat(account.releasable()).isEqualTo(Money.parse("800.00"));
                    });
        }

        @Test
        void partialRefundLeavesTheRestProRata() {
            fixture.given(tenOfFortyConsumed().events())
                    .when(refund("T-2", "100.00", "O-1"))
                    .expectEvents(new TuitionRefunded(ACC, "ACC-1.P2", "T-2", "O-1", 10000, 310000, T1))
                    .expectState(account -> {
                        assertThat(account.unconsumedValue("O-1")).isEqualTo(Money.parse("2300.00"));
                        assertThat(account.lessonsRemaining("O-1")).isEqualTo(28);
                        assertThat(account.outstandingLiability()).isEqualTo(Money.parse("2300.00"));
                        assertThat(account.floor()).isEqualTo(Money.parse("460.00"));
                    });
        }

        @Test
        void refundBeyondTheUnconsumedValueIsRejected() {
            fixture.given(tenOfFortyConsumed().events())
                    .when(refund("T-2", "2400.01", "O-1"))
                    .expectEvents(new OutflowRejected(ACC, "T-2", OutflowType.REFUND, "O-1", 240001, EXCEEDS_REFUNDABLE,
                            "order O-1 has 2400.00 unconsumed", 320000, T1))
                    .expectResultMessagePayload(rejected("T-2", EXCEEDS_REFUNDABLE, "order O-1 has 2400.00 unconsumed",
                            320000))
                    .expectState(account -> assertThat(account.unconsumedValue("O-1"))
                            .isEqualTo(Money.parse("2400.00")));
        }

        @Test
        void refundBeyondWhatEarlierRefundsLeftIsRejected() {
            fixture.given(tenOfFortyConsumed().refund("O-1", 2000_00).events())
                    .when(refund("T-3", "400.01", "O-1"))
                    .expectEvents(new OutflowRejected(ACC, "T-3", OutflowType.REFUND, "O-1", 40001, EXCEEDS_REFUNDABLE,
                            "order O-1 has 400.00 unconsumed", 120000, T1));
        }

        @Test
        void refundForAnUnknownOrderIsRejected() {
            fixture.given(tenOfFortyConsumed().events())
                    .when(refund("T-2", "10.00", "O-9"))
                    .expectEvents(new OutflowRejected(ACC, "T-2", OutflowType.REFUND, "O-9", 1000, UNKNOWN_ORDER,
                            "order O-9 is not an order of this account", 320000, T1))
                    .expectResultMessagePayload(rejected("T-2", UNKNOWN_ORDER,
                            "order O-9 is not an order of this account", 320000));
        }

        @Test
        void refundBeyondTheBalanceIsRejected() {
            fixture.given(tenOfFortyConsumed().fee(1000_00).events())
                    .when(refund("T-3", "2400.00", "O-1"))
                    .expectEvents(new OutflowRejected(ACC, "T-3", OutflowType.REFUND, "O-1", 240000, INSUFFICIENT_FUNDS,
                            "balance 2200.00", 220000, T1))
                    .expectResultMessagePayload(rejected("T-3", INSUFFICIENT_FUNDS, "balance 2200.00", 220000));
        }

        @Test
        void aRefundMayUseMoneyReservedForAHeldOutflow() {
            // balance 19,500.00 of which 10,000.00 is reserved for a held release: families come first
            AccountHistory history = AccountHistory.fullCustody().deposit("O-1", 50, 400_00).consume("O-1", 25)
                    .heldRelease("T-H1", "O-1", 10000_00).fee(500_00);
            fixture.given(history.events())
                    .when(refund("T-R", "10000.00", "O-1"))
                    .expectEvents(new TuitionRefunded(ACC, "ACC-1.P3", "T-R", "O-1", 1000000, 950000, T1))
                    .expectState(account -> assertThat(account.reserved()).isEqualTo(Money.parse("10000.00")));
        }

        @Test
        void refundFromAFrozenAccountIsPaid() {
            fixture.given(tenOfFortyConsumed().frozen().events())
                    .when(refund("T-2", "2400.00", "O-1"))
                    .expectEvents(new TuitionRefunded(ACC, "ACC-1.P2", "T-2", "O-1", 240000, 80000, T1))
                    .expectState(account -> assertThat(account.frozen()).isTrue());
        }

        @Test
        void refundToFamiliesOfASuspendedInstitutionIsPaid() {
            fixture.given(tenOfFortyConsumed().suspended().events())
                    .when(refund("T-2", "2400.00", "O-1"))
                    .expectEvents(new TuitionRefunded(ACC, "ACC-1.P2", "T-2", "O-1", 240000, 80000, T1));
        }

        @Test
        void refundAfterClosureIsPaid() {
            fixture.given(tenOfFortyConsumed().closed().events())
                    .when(refund("T-2", "2400.00", "O-1"))
                    .expectEvents(new TuitionRefunded(ACC, "ACC-1.P2", "T-2", "O-1", 240000, 80000, T1));
        }

        @Test
        void aLargeRefundIsNeverHeld() {
            fixture.given(AccountHistory.fullCustody().deposit("O-1", 60, 1000_00).events())
                    .when(refund("T-2", "60000.00", "O-1"))
                    .expectEvents(new TuitionRefunded(ACC, "ACC-1.P2", "T-2", "O-1", 6000000, 0, T1))
                    .expectState(account -> assertThat(account.reserved()).isEqualTo(Money.ZERO));
        }
    }

    // ====================================================================== other transfers out

    @Nested
    class TransfersOut {

        @Test
        void transferOfMoneyBackingNoOrderIsPaid() {
            fixture.given(tenOfFortyConsumed().interest(500_00).events())
                    .when(transferOut("T-3", "500.00"))
                    .expectEvents(new FundsTransferredOut(ACC, "ACC-1.P3", "T-3", 50000, "Institution basic account",
                            "interest sweep", 320000, null, T1))
                    .expectResultMessagePayload(new PostingOutcome("ACC-1.P3", "T-3", Status.TRANSFERRED, null,
                            320000, null, null))
                    .expectState(account -> {
                        assertThat(account.balance()).isEqualTo(Money.parse("3200.00"));
                        assertThat(account.releasable()).isEqualTo(Money.parse("800.00"));
                    });
        }

        @Test
        void transferIntoUnearnedTuitionIsRejectedUnderFullCustody() {
            // ¥500 of interest backs no order and ¥800 is earned: one fen more would be unearned tuition
            String detail = "only 500.00 backs no order and 800.00 is earned and unreleased";
            fixture.given(tenOfFortyConsumed().interest(500_00).events())
                    .when(transferOut("T-3", "1300.01"))
                    .expectEvents(new OutflowRejected(ACC, "T-3", OutflowType.TRANSFER_OUT, null, 130001,
                            EXCEEDS_RELEASABLE, detail, 370000, T1))
                    .expectResultMessagePayload(rejected("T-3", EXCEEDS_RELEASABLE, detail, 370000));
        }

        @Test
        void transferTakesMoneyBackingNoOrderFirstThenEarnedTuitionOfTheOldestOrder() {
            // ¥500 of interest, O-1 ¥800 earned, O-2 ¥400 earned: ¥1,000 takes the interest and ¥500 of O-1
            AccountHistory history = tenOfFortyConsumed().interest(500_00).deposit("O-2", 10, PRICE)
                    .consume("O-2", 5);
            fixture.given(history.events())
                    .when(transferOut("T-9", "1000.00"))
                    .expectEvents(new FundsTransferredOut(ACC, "ACC-1.P4", "T-9", 100000, "Institution basic account",
                            "interest sweep", 350000, null, T1, List.of(new EarnedTake("O-1", 50000))))
                    .expectState(account -> {
                        assertThat(account.orderReleasable("O-1")).isEqualTo(Money.parse("300.00"));
                        assertThat(account.orderReleased("O-1")).isEqualTo(Money.parse("500.00"));
                        assertThat(account.orderReleasable("O-2")).isEqualTo(Money.parse("400.00"));
                    });
        }

        private static List<Object> followedBy(List<Object> history, Object event) {
            List<Object> events = new ArrayList<>(history);
            events.add(event);
            return events;
        }

        @Test
        void earnedTuitionATransferTookCannotBeReleasedAgain() {
            // the whole ¥800 O-1 had earned left as a transfer: its release finds nothing releasable
            AccountHistory history = tenOfFortyConsumed();
            fixture.given(followedBy(history.events(), new FundsTransferredOut(ACC, "ACC-1.P2", "T-2", 80000,
                            "Institution basic account", "fees", 240000, null, T1, List.of(new EarnedTake("O-1", 80000)))))
                    .when(release("T-3", "0.01", "O-1"))
                    .expectEvents(new OutflowRejected(ACC, "T-3", OutflowType.RELEASE, "O-1", 1, EXCEEDS_RELEASABLE,
                            "order O-1 has 0.00 releasable", 240000, T1));
        }

        @Test
        void aHeldTransferReservesTheEarnedValueItWouldTakeAndItsRejectionGivesItBack() {
            // O-1: 60 lessons at ¥1,000 all delivered; a ¥50,000 transfer is large and takes ¥50,000 of it
            AccountHistory history = AccountHistory.fullCustody().deposit("O-1", 60, 1000_00).consume("O-1", 60);
            fixture.given(history.events())
                    .when(transferOut("T-9", "50000.00"))
                    .expectEvents(new OutflowHeld(ACC, "ACC-1.H1", "T-9", OutflowType.TRANSFER_OUT, null, 5000000,
                            "Institution basic account", "interest sweep", 6000000, T1,
                            List.of(new EarnedTake("O-1", 5000000))))
                    .expectState(account -> assertThat(account.orderReleasable("O-1")).isEqualTo(Money.parse("10000.00")));
            fixture.given(followedBy(history.events(), new OutflowHeld(ACC, "ACC-1.H1", "T-9",
                            OutflowType.TRANSFER_OUT, null, 5000000, "Institution basic account", "interest sweep", 6000000,
                            T1, List.of(new EarnedTake("O-1", 5000000)))))
                    .when(rejectHeld("ACC-1.H1"))
                    .expectState(account -> assertThat(account.orderReleasable("O-1")).isEqualTo(Money.parse("60000.00")));
        }

        @Test
        void transferFromAFrozenAccountIsRejected() {
            fixture.given(tenOfFortyConsumed().interest(500_00).frozen().events())
                    .when(transferOut("T-3", "500.00"))
                    .expectEvents(new OutflowRejected(ACC, "T-3", OutflowType.TRANSFER_OUT, null, 50000,
                            ACCOUNT_FROZEN, "account is frozen", 370000, T1))
                    .expectResultMessagePayload(rejected("T-3", ACCOUNT_FROZEN, "account is frozen", 370000));
        }

        @Test
        void transferToASuspendedInstitutionIsRejected() {
            fixture.given(tenOfFortyConsumed().interest(500_00).suspended().events())
                    .when(transferOut("T-3", "500.00"))
                    .expectEvents(new OutflowRejected(ACC, "T-3", OutflowType.TRANSFER_OUT, null, 50000,
                            INSTITUTION_NOT_ACTIVE, "institution is SUSPENDED", 370000, T1));
        }

        @Test
        void transferBeyondTheBalanceIsRejectedAsInsufficientFunds() {
            fixture.given(tenOfFortyConsumed().events())
                    .when(transferOut("T-2", "3200.01"))
                    .expectEvents(new OutflowRejected(ACC, "T-2", OutflowType.TRANSFER_OUT, null, 320001,
                            INSUFFICIENT_FUNDS, "available 3200.00", 320000, T1))
                    .expectResultMessagePayload(rejected("T-2", INSUFFICIENT_FUNDS, "available 3200.00", 320000));
        }

        @Test
        void transferBelowTheMinimumBalanceIsRejected() {
            AccountHistory history = AccountHistory.opened(SupervisionMode.FULL_CUSTODY, InstitutionStatus.ACTIVE,
                    MIN_1000).interest(1500_00);
            fixture.given(history.events())
                    .when(transferOut("T-2", "500.01"))
                    .expectEvents(new OutflowRejected(ACC, "T-2", OutflowType.TRANSFER_OUT, null, 50001,
                            BREACHES_FLOOR, "the institution's balance after would be below its floor of 1000.00", 150000, T1));
        }

        @Test
        void transferDownToTheMinimumBalanceIsPaid() {
            AccountHistory history = AccountHistory.opened(SupervisionMode.FULL_CUSTODY, InstitutionStatus.ACTIVE,
                    MIN_1000).interest(1500_00);
            fixture.given(history.events())
                    .when(transferOut("T-2", "500.00"))
                    .expectEvents(new FundsTransferredOut(ACC, "ACC-1.P2", "T-2", 50000, "Institution basic account",
                            "interest sweep", 100000, null, T1));
        }

        @Test
        void transferUnderRiskReserveMayTakeEarnedTuition() {
            fixture.given(AccountHistory.riskReserve().deposit("O-1", 40, PRICE).consume("O-1", 40).events())
                    .when(transferOut("T-2", "3000.00"))
                    .expectEvents(new FundsTransferredOut(ACC, "ACC-1.P2", "T-2", 300000, "Institution basic account",
                            "interest sweep", 20000, null, T1))
                    .expectState(account -> assertThat(account.balance()).isEqualTo(Money.parse("200.00")));
        }

        @Test
        void transferUnderRiskReserveStillKeepsTheReserve() {
            fixture.given(AccountHistory.riskReserve().deposit("O-1", 40, PRICE).consume("O-1", 10).events())
                    .when(transferOut("T-2", "800.01"))
                    .expectEvents(new OutflowRejected(ACC, "T-2", OutflowType.TRANSFER_OUT, null, 80001,
                            BREACHES_FLOOR, "the institution's balance after would be below its floor of 2400.00", 320000, T1));
        }
    }

    // ====================================================================== facts the bank reports

    @Nested
    class BankFacts {

        @Test
        void interestIsRecorded() {
            fixture.given(tenOfFortyConsumed().events())
                    .when(interest("T-2", "12.34"))
                    .expectEvents(new InterestCredited(ACC, "ACC-1.P2", "T-2", 1234, "quarterly interest", 321234, T1))
                    .expectResultMessagePayload(new PostingOutcome("ACC-1.P2", "T-2", Status.RECORDED, null, 321234,
                            null, null))
                    .expectState(account -> assertThat(account.balance()).isEqualTo(Money.parse("3212.34")));
        }

        @Test
        void feeIsRecordedEvenBelowTheFloor() {
            fixture.given(tenOfFortyConsumed().events())
                    .when(fee("T-2", "3000.00"))
                    .expectEvents(new BankFeeCharged(ACC, "ACC-1.P2", "T-2", 300000, "account fee", 20000, T1))
                    .expectResultMessagePayload(new PostingOutcome("ACC-1.P2", "T-2", Status.RECORDED, null, 20000,
                            null, null))
                    .expectState(account -> {
                        assertThat(account.balance()).isEqualTo(Money.parse("200.00"));
                        assertThat(account.floor()).isEqualTo(Money.parse("480.00"));
                        assertThat(account.balance().isLessThan(account.floor())).isTrue();
                    });
        }

        @Test
        void feeIsRecordedEvenBelowZero() {
            fixture.given(AccountHistory.fullCustody().events())
                    .when(fee("T-1", "5.00"))
                    .expectEvents(new BankFeeCharged(ACC, "ACC-1.P1", "T-1", 500, "account fee", -500, T1))
                    .expectResultMessagePayload(new PostingOutcome("ACC-1.P1", "T-1", Status.RECORDED, null, -500,
                            null, null))
                    .expectState(account -> assertThat(account.balance()).isEqualTo(Money.parse("-5.00")));
        }

        @Test
        void feeAndInterestAreRecordedWhileFrozen() {
            fixture.given(tenOfFortyConsumed().frozen().events())
                    .when(fee("T-2", "1.00"))
                    .expectEvents(new BankFeeCharged(ACC, "ACC-1.P2", "T-2", 100, "account fee", 319900, T1));
        }

        @Test
        void positiveAdjustmentIsRecorded() {
            fixture.given(tenOfFortyConsumed().events())
                    .when(adjustment("T-2", "0.01"))
                    .expectEvents(new AdjustmentPosted(ACC, "ACC-1.P2", "T-2", 1, "correction", 320001, T1))
                    .expectResultMessagePayload(new PostingOutcome("ACC-1.P2", "T-2", Status.RECORDED, null, 320001,
                            null, null));
        }

        @Test
        void negativeAdjustmentIsRecordedEvenBelowZero() {
            fixture.given(tenOfFortyConsumed().events())
                    .when(adjustment("T-2", "-3300.00"))
                    .expectEvents(new AdjustmentPosted(ACC, "ACC-1.P2", "T-2", -330000, "correction", -10000, T1))
                    .expectState(account -> assertThat(account.balance()).isEqualTo(Money.parse("-100.00")));
        }

        @Test
        void adjustmentOfTheLargestPostingEitherWayIsRecorded() {
            fixture.given(AccountHistory.fullCustody().events())
                    .when(adjustment("T-1", "-1000000000.00"))
                    .expectSuccessfulHandlerExecution()
                    .expectState(account -> assertThat(account.balance()).isEqualTo(Money.MAX_POSTING.negate()));
        }

        @Test
        void zeroAdjustmentIsRejected() {
            expectRuleRejection(fixture.given(tenOfFortyConsumed().events()).when(adjustment("T-2", "0.00")),
                    LedgerRejection.AMOUNT_INVALID);
        }

        @Test
        void adjustmentAboveTheLargestPostingIsRejected() {
            expectRuleRejection(fixture.given(tenOfFortyConsumed().events())
                    .when(adjustment("T-2", "1000000000.01")), LedgerRejection.AMOUNT_INVALID);
        }

        @Test
        void adjustmentBelowMinusTheLargestPostingIsRejected() {
            expectRuleRejection(fixture.given(tenOfFortyConsumed().events())
                    .when(adjustment("T-2", "-1000000000.01")), LedgerRejection.AMOUNT_INVALID);
        }

        @Test
        void zeroInterestIsRejected() {
            expectRuleRejection(fixture.given(tenOfFortyConsumed().events()).when(interest("T-2", "0.00")),
                    LedgerRejection.AMOUNT_INVALID);
        }

        @Test
        void negativeFeeIsRejected() {
            expectRuleRejection(fixture.given(tenOfFortyConsumed().events()).when(fee("T-2", "-1.00")),
                    LedgerRejection.AMOUNT_INVALID);
        }

        @Test
        void negativeOutflowRequestsAreRejectedUnrecorded() {
            expectRuleRejection(fixture.given(tenOfFortyConsumed().events()).when(release("T-2", "-1.00", "O-1")),
                    LedgerRejection.AMOUNT_INVALID);
        }

        @Test
        void zeroRefundIsRejectedUnrecorded() {
            expectRuleRejection(fixture.given(tenOfFortyConsumed().events()).when(refund("T-2", "0.00", "O-1")),
                    LedgerRejection.AMOUNT_INVALID);
        }

        @Test
        void transferAboveTheLargestPostingIsRejectedUnrecorded() {
            expectRuleRejection(fixture.given(tenOfFortyConsumed().events())
                    .when(transferOut("T-2", "1000000000.01")), LedgerRejection.AMOUNT_INVALID);
        }
    }

    // ====================================================================== freeze

    @Nested
    class Freezing {

        @Test
        void freezeStopsOutflows() {
            fixture.given(tenOfFortyConsumed().events())
                    .when(freeze())
                    .expectEvents(new AccountFrozen(ACC, "investigation", "regulator-1", T1))
                    .expectState(account -> assertThat(account.frozen()).isTrue());
        }

        @Test
        void freezingAFrozenAccountIsRejected() {
            expectRuleRejection(fixture.given(tenOfFortyConsumed().frozen().events()).when(freeze()),
                    LedgerRejection.ACCOUNT_ALREADY_FROZEN);
        }

        @Test
        void unfreezeLiftsTheFreeze() {
            fixture.given(tenOfFortyConsumed().frozen().events())
                    .when(unfreeze())
                    .expectEvents(new AccountUnfrozen(ACC, "cleared", "regulator-1", T1))
                    .expectState(account -> assertThat(account.frozen()).isFalse());
        }

        @Test
        void unfreezingAnAccountThatIsNotFrozenIsRejected() {
            expectRuleRejection(fixture.given(tenOfFortyConsumed().events()).when(unfreeze()),
                    LedgerRejection.ACCOUNT_NOT_FROZEN);
        }

        @Test
        void unfreezingTwiceIsRejected() {
            expectRuleRejection(fixture.given(tenOfFortyConsumed().frozen().unfrozen().events()).when(unfreeze()),
                    LedgerRejection.ACCOUNT_NOT_FROZEN);
        }
    }

    // ====================================================================== daily statements

    @Nested
    class Statements {

        private static final LocalDate MARCH_1 = LocalDate.of(2024, 3, 1);
        private static final LocalDate MARCH_2 = LocalDate.of(2024, 3, 2);
        /** Shanghai midnight at the end of 1 March is 16:00 UTC on 1 March. */
        private static final Instant END_OF_MARCH_1 = Instant.parse("2024-03-01T16:00:00Z");

        /**
         * 1 March (Shanghai): deposit ¥3,200 at 10:00, a consumption, interest ¥1.00 at 23:59:59;
         * 2 March 00:00 Shanghai (still 1 March in UTC): fee ¥0.50.
         */
        private AccountHistory aroundMidnight() {
            return AccountHistory.fullCustody()
                    .deposit("O-1", 40, PRICE).consume("O-1", 5)
                    .at(Instant.parse("2024-03-01T15:59:59Z")).interest(100)
                    .at(END_OF_MARCH_1).fee(50);
        }

        @Test
        void statementMatchingTheLedgerIsReconciled() {
            fixture.given(aroundMidnight().events())
                    .when(statement("S-1", MARCH_1, "3201.00", 2))
                    .expectEvents(new StatementReconciled(ACC, "S-1", MARCH_1, 320100, 320100, 2, 2, END_OF_MARCH_1))
                    .expectResultMessagePayload(new StatementOutcome(StatementOutcome.Result.RECONCILED, 320100, 0, 2));
        }

        @Test
        void statementWithADifferentBalanceIsMismatched() {
            fixture.given(aroundMidnight().events())
                    .when(statement("S-1", MARCH_1, "3200.00", 2))
                    .expectEvents(new StatementMismatched(ACC, "S-1", MARCH_1, 320000, 320100, -100, 2, 2,
                            END_OF_MARCH_1))
                    .expectResultMessagePayload(new StatementOutcome(StatementOutcome.Result.MISMATCHED, 320100, -100,
                            2));
        }

        @Test
        void statementWithADifferentPostingCountIsMismatched() {
            fixture.given(aroundMidnight().events())
                    .when(statement("S-1", MARCH_1, "3201.00", 3))
                    .expectEvents(new StatementMismatched(ACC, "S-1", MARCH_1, 320100, 320100, 0, 3, 2,
                            END_OF_MARCH_1))
                    .expectResultMessagePayload(new StatementOutcome(StatementOutcome.Result.MISMATCHED, 320100, 0, 2));
        }

        @Test
        void postingAtShanghaiMidnightBelongsToTheNextDay() {
            fixture.given(aroundMidnight().events())
                    .when(statement("S-2", MARCH_2, "3200.50", 1))
                    .expectEvents(new StatementReconciled(ACC, "S-2", MARCH_2, 320050, 320050, 1, 1,
                            Instant.parse("2024-03-02T16:00:00Z")));
        }

        @Test
        void dayWithoutPostingsCarriesTheBalanceForward() {
            LocalDate march3 = LocalDate.of(2024, 3, 3);
            fixture.given(aroundMidnight().events())
                    .when(statement("S-3", march3, "3200.50", 0))
                    .expectEvents(new StatementReconciled(ACC, "S-3", march3, 320050, 320050, 0, 0,
                            Instant.parse("2024-03-03T16:00:00Z")));
        }

        @Test
        void statementBeforeAnyPostingExpectsZero() {
            LocalDate feb29 = LocalDate.of(2024, 2, 29);
            fixture.given(aroundMidnight().events())
                    .when(statement("S-0", feb29, "0.00", 0))
                    .expectEvents(new StatementReconciled(ACC, "S-0", feb29, 0, 0, 0, 0,
                            Instant.parse("2024-02-29T16:00:00Z")));
        }

        @Test
        void latePostingCountsOnTheDayItHappened() {
            // recorded after a 2 March deposit, but the interest happened on 1 March
            AccountHistory history = AccountHistory.fullCustody()
                    .at(Instant.parse("2024-03-02T01:00:00Z")).deposit("O-1", 40, PRICE)
                    .at(Instant.parse("2024-03-01T12:00:00Z")).interest(700);
            fixture.given(history.events())
                    .when(statement("S-1", MARCH_1, "7.00", 1))
                    .expectEvents(new StatementReconciled(ACC, "S-1", MARCH_1, 700, 700, 1, 1, END_OF_MARCH_1));
        }

        @Test
        void heldAndRejectedOutflowsAreNotPostings() {
            AccountHistory history = AccountHistory.fullCustody().deposit("O-1", 50, 400_00).consume("O-1", 50)
                    .heldRelease("T-H1", "O-1", 12000_00);
            fixture.given(history.events())
                    .when(statement("S-1", MARCH_1, "20000.00", 1))
                    .expectEvents(new StatementReconciled(ACC, "S-1", MARCH_1, 2000000, 2000000, 1, 1,
                            END_OF_MARCH_1));
        }
    }

    // ====================================================================== the institution's terms and closure

    @Nested
    class InstitutionTerms {

        @Test
        void newTermsAreRecorded() {
            fixture.given(tenOfFortyConsumed().events())
                    .when(fullCustodyTerms(InstitutionStatus.SUSPENDED))
                    .expectEvents(new SupervisionTermsChanged(ACC, InstitutionStatus.SUSPENDED,
                            SupervisionMode.FULL_CUSTODY, DEFAULTS, T1))
                    .expectState(account -> assertThat(account.institutionStatus()).isEqualTo(InstitutionStatus.SUSPENDED));
        }

        @Test
        void unchangedTermsRecordNothing() {
            fixture.given(tenOfFortyConsumed().events())
                    .when(fullCustodyTerms(InstitutionStatus.ACTIVE))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void suspensionTurnsAPaidReleaseIntoARejection() {
            fixture.given(tenOfFortyConsumed().suspended().events())
                    .when(release("T-2", "800.00", "O-1"))
                    .expectEvents(new OutflowRejected(ACC, "T-2", OutflowType.RELEASE, "O-1", 80000,
                            INSTITUTION_NOT_ACTIVE, "institution is SUSPENDED", 320000, T1));
        }

        @Test
        void reapprovalLetsReleasesFlowAgain() {
            fixture.given(tenOfFortyConsumed().suspended()
                            .terms(InstitutionStatus.ACTIVE, SupervisionMode.FULL_CUSTODY, DEFAULTS).events())
                    .when(release("T-2", "800.00", "O-1"))
                    .expectEvents(new FundsReleased(ACC, "ACC-1.P2", "T-2", "O-1", 80000, 240000, null, T1));
        }

        @Test
        void aRaisedMinimumBalanceIsRecordedAndRaisesTheFloor() {
            fixture.given(AccountHistory.fullCustody().deposit("O-1", 40, PRICE).consume("O-1", 40).events())
                    .when(terms(InstitutionStatus.ACTIVE, SupervisionMode.FULL_CUSTODY, MIN_1000))
                    .expectEvents(new SupervisionTermsChanged(ACC, InstitutionStatus.ACTIVE,
                            SupervisionMode.FULL_CUSTODY, MIN_1000, T1))
                    .expectState(account -> {
                        assertThat(account.policy()).isEqualTo(MIN_1000);
                        assertThat(account.floor()).isEqualTo(Money.parse("1000.00"));
                    });
        }

        @Test
        void aRaisedMinimumBalanceTurnsAPaidReleaseIntoAFloorBreach() {
            fixture.given(AccountHistory.fullCustody().deposit("O-1", 40, PRICE).consume("O-1", 40)
                            .terms(InstitutionStatus.ACTIVE, SupervisionMode.FULL_CUSTODY, MIN_1000).events())
                    .when(release("T-2", "3200.00", "O-1"))
                    .expectEvents(new OutflowRejected(ACC, "T-2", OutflowType.RELEASE, "O-1", 320000, BREACHES_FLOOR,
                            "the institution's balance after would be below its floor of 1000.00", 320000, T1));
        }

        @Test
        void aLoweredLargeThresholdHoldsAnOrdinaryRelease() {
            SupervisionPolicy strict = DEFAULTS.withCoreValues(Money.ZERO, Ratio.parse("0.20"), Money.parse("500.00"),
                    Ratio.parse("0.30"), Money.parse("10000.00"));
            fixture.given(tenOfFortyConsumed().terms(InstitutionStatus.ACTIVE, SupervisionMode.FULL_CUSTODY, strict)
                            .events())
                    .when(release("T-2", "800.00", "O-1"))
                    .expectEvents(new OutflowHeld(ACC, "ACC-1.H1", "T-2", OutflowType.RELEASE, "O-1", 80000, null, null,
                            320000, T1));
        }

        @Test
        void closureTurnsEveryUnconsumedOrderIntoARefundObligation() {
            AccountHistory history = AccountHistory.fullCustody()
                    .deposit("O-1", 40, PRICE).consume("O-1", 10)        // ¥2,400 unconsumed
                    .deposit("O-2", 10, 50_00).consume("O-2", 10)        // fully consumed: nothing owed
                    .deposit("O-3", 20, 60_00).refund("O-3", 200_00);    // ¥1,000 unconsumed after a refund
            fixture.given(history.events())
                    .when(closure())
                    .expectEvents(new RefundObligationsEstablished(ACC, "terminated", List.of(
                            new RefundObligation("O-1", "STU-O-1", 240000),
                            new RefundObligation("O-3", "STU-O-3", 100000)), 340000, T1))
                    .expectState(account -> {
                        assertThat(account.institutionStatus()).isEqualTo(InstitutionStatus.CLOSED);
                        assertThat(account.outstandingLiability()).isEqualTo(Money.parse("3400.00"));
                    });
        }

        @Test
        void closureOfAnAccountWithoutOrdersOwesNothing() {
            fixture.given(AccountHistory.fullCustody().interest(100).events())
                    .when(closure())
                    .expectEvents(new RefundObligationsEstablished(ACC, "terminated", List.of(), 0, T1));
        }

        @Test
        void closingTwiceRecordsNothing() {
            fixture.given(tenOfFortyConsumed().closed().events())
                    .when(closure())
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void closureBlocksReleases() {
            fixture.given(tenOfFortyConsumed().closed().events())
                    .when(release("T-2", "800.00", "O-1"))
                    .expectEvents(new OutflowRejected(ACC, "T-2", OutflowType.RELEASE, "O-1", 80000,
                            INSTITUTION_NOT_ACTIVE, "institution is CLOSED", 320000, T1))
                    .expectResultMessagePayload(rejected("T-2", INSTITUTION_NOT_ACTIVE, "institution is CLOSED",
                            320000));
        }

        @Test
        void closureBlocksTransfers() {
            fixture.given(tenOfFortyConsumed().interest(500_00).closed().events())
                    .when(transferOut("T-3", "500.00"))
                    .expectEvents(new OutflowRejected(ACC, "T-3", OutflowType.TRANSFER_OUT, null, 50000,
                            INSTITUTION_NOT_ACTIVE, "institution is CLOSED", 370000, T1));
        }
    }

    // ====================================================================== risk-reserve mode

    @Nested
    class RiskReserve {

        /** O-1 unconsumed (¥3,200, reserve ¥3,200) plus ¥1,000 interest: ¥1,000 may be released. */
        private AccountHistory reserveAndAThousand() {
            return AccountHistory.riskReserve().deposit("O-1", 40, PRICE).interest(1000_00);
        }

        @Test
        void riskReserveFloorCoversAllUnearnedTuition() {
            fixture.given(reserveAndAThousand().events())
                    .when(interest("T-3", "0.01"))
                    .expectSuccessfulHandlerExecution()
                    .expectState(account -> {
                        assertThat(account.floor()).isEqualTo(Money.parse("3200.00"));
                        assertThat(account.releasable()).isEqualTo(Money.parse("1000.01"));
                    });
        }

        @Test
        void riskReserveReleasesAnythingAboveTheFloorWithoutConsumption() {
            fixture.given(reserveAndAThousand().events())
                    .when(release("T-3", "1000.00", "O-1"))
                    .expectEvents(new FundsReleased(ACC, "ACC-1.P3", "T-3", "O-1", 100000, 320000, null, T1))
                    .expectResultMessagePayload(new PostingOutcome("ACC-1.P3", "T-3", Status.RELEASED, null, 320000,
                            null, null))
                    .expectState(account -> {
                        assertThat(account.balance()).isEqualTo(Money.parse("3200.00"));
                        assertThat(account.releasable()).isEqualTo(Money.ZERO);
                        assertThat(account.orderConsumedValue("O-1")).isEqualTo(Money.ZERO);
                    });
        }

        @Test
        void riskReserveReleaseIntoTheReserveIsRejected() {
            fixture.given(reserveAndAThousand().events())
                    .when(release("T-3", "1000.01", "O-1"))
                    .expectEvents(new OutflowRejected(ACC, "T-3", OutflowType.RELEASE, "O-1", 100001, BREACHES_FLOOR,
                            "the institution's balance after would be below its floor of 3200.00", 420000, T1))
                    .expectResultMessagePayload(rejected("T-3", BREACHES_FLOOR,
                            "the institution's balance after would be below its floor of 3200.00", 420000));
        }

        @Test
        void consumptionRaisesWhatRiskReserveMayRelease() {
            fixture.given(reserveAndAThousand().events())
                    .when(consume("C-1", "O-1", 10))
                    .expectEvents(new LessonsConsumed(ACC, "O-1", "C-1", 10, 10, 30, 80000, T1))
                    .expectResultMessagePayload(new ConsumptionOutcome("O-1", 10, 30, 180000))
                    .expectState(account -> {
                        assertThat(account.floor()).isEqualTo(Money.parse("2400.00"));
                        assertThat(account.releasable()).isEqualTo(Money.parse("1800.00"));
                    });
        }

        @Test
        void riskReserveStillNeedsAKnownOrder() {
            fixture.given(reserveAndAThousand().events())
                    .when(release("T-3", "10.00", "O-9"))
                    .expectEvents(new OutflowRejected(ACC, "T-3", OutflowType.RELEASE, "O-9", 1000, UNKNOWN_ORDER,
                            "order O-9 is not an order of this account", 420000, T1));
        }

        @Test
        void riskReserveReleaseFromAFrozenAccountIsRejected() {
            fixture.given(reserveAndAThousand().frozen().events())
                    .when(release("T-3", "10.00", "O-1"))
                    .expectEvents(new OutflowRejected(ACC, "T-3", OutflowType.RELEASE, "O-1", 1000, ACCOUNT_FROZEN,
                            "account is frozen", 420000, T1));
        }

        @Test
        void riskReserveLargeReleaseIsHeld() {
            fixture.given(AccountHistory.riskReserve().deposit("O-1", 60, 1000_00).consume("O-1", 60).events())
                    .when(release("T-9", "50000.00", "O-1"))
                    .expectEvents(new OutflowHeld(ACC, "ACC-1.H1", "T-9", OutflowType.RELEASE, "O-1", 5000000, null,
                            null, 6000000, T1));
        }
    }

    @Test
    void eachOutflowRejectionReasonIsCoveredAbove() {
        // a guard: if a reason is added, this list (and the tests above) must grow with it
        assertThat(OutflowRejectionReason.values()).containsExactlyInAnyOrder(ACCOUNT_FROZEN, INSTITUTION_NOT_ACTIVE,
                UNKNOWN_ORDER, EXCEEDS_RELEASABLE, EXCEEDS_REFUNDABLE, INSUFFICIENT_FUNDS, BREACHES_FLOOR,
                OutflowRejectionReason.ORDER_IN_DISPUTE); // the last in RefundDisputeTest
    }
}
