package cn.prepaid.ledger.core.institution;

import cn.prepaid.ledger.core.ids.AccountId;
import cn.prepaid.ledger.core.ids.BankCode;
import cn.prepaid.ledger.core.ids.InstitutionId;
import cn.prepaid.ledger.core.ids.RegionCode;
import cn.prepaid.ledger.core.institution.InstitutionCommand.ApproveInstitution;
import cn.prepaid.ledger.core.institution.InstitutionCommand.BlacklistInstitution;
import cn.prepaid.ledger.core.institution.InstitutionCommand.ChangeSupervisionPolicy;
import cn.prepaid.ledger.core.institution.InstitutionCommand.CloseInstitution;
import cn.prepaid.ledger.core.institution.InstitutionCommand.LinkEscrowAccount;
import cn.prepaid.ledger.core.institution.InstitutionCommand.RegisterInstitution;
import cn.prepaid.ledger.core.institution.InstitutionCommand.SuspendInstitution;
import cn.prepaid.ledger.core.institution.InstitutionEvent.EscrowAccountLinked;
import cn.prepaid.ledger.core.institution.InstitutionEvent.InstitutionApproved;
import cn.prepaid.ledger.core.institution.InstitutionEvent.InstitutionBlacklisted;
import cn.prepaid.ledger.core.institution.InstitutionEvent.InstitutionClosed;
import cn.prepaid.ledger.core.institution.InstitutionEvent.InstitutionRegistered;
import cn.prepaid.ledger.core.institution.InstitutionEvent.InstitutionSuspended;
import cn.prepaid.ledger.core.institution.InstitutionEvent.SupervisionPolicyChanged;
import cn.prepaid.ledger.core.money.Money;
import cn.prepaid.ledger.core.money.Ratio;
import cn.prepaid.ledger.core.policy.SupervisionMode;
import cn.prepaid.ledger.core.policy.SupervisionPolicy;
import cn.prepaid.ledger.core.rules.LedgerRejection;
import cn.prepaid.ledger.core.rules.LedgerRuleException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static cn.prepaid.ledger.core.LedgerMatchers.rejection;
import static cn.prepaid.ledger.core.LedgerMatchers.satisfying;
import static org.assertj.core.api.Assertions.assertThat;

class InstitutionTest {

    private static final String ID = "91350100M000100Y43";
    private static final InstitutionId INSTITUTION = InstitutionId.of(ID);
    private static final String REGION = "350100";
    private static final Instant T0 = Instant.parse("2024-03-01T02:00:00Z");
    private static final Instant T1 = T0.plusSeconds(3600);
    private static final SupervisionPolicy FULL_CUSTODY_DEFAULTS = SupervisionPolicy.defaultsFor(SupervisionMode.FULL_CUSTODY);
    private static final SupervisionPolicy SHANGHAI = FULL_CUSTODY_DEFAULTS.withCoreValues(Money.parse("100000.00"),
            Ratio.parse("0.10"), Money.parse("50000.00"), Ratio.parse("0.30"), Money.parse("10000.00"));

    private FixtureConfiguration<Institution> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Institution.class);
    }

    private static InstitutionRegistered registered() {
        return new InstitutionRegistered(ID, "Xihu Art School", REGION, InstitutionCategory.NON_SUBJECT,
                SupervisionMode.FULL_CUSTODY, FULL_CUSTODY_DEFAULTS, "regulator-1", T0);
    }

    private static InstitutionApproved approved() {
        return new InstitutionApproved(ID, "regulator-1", T0);
    }

    private static InstitutionSuspended suspended() {
        return new InstitutionSuspended(ID, "complaints", "regulator-1", T0);
    }

    private static InstitutionBlacklisted blacklisted() {
        return new InstitutionBlacklisted(ID, "collect and run", "regulator-1", T0);
    }

    private static InstitutionClosed closed() {
        return new InstitutionClosed(ID, "terminated", "regulator-1", T0);
    }

    private static EscrowAccountLinked linked(String account) {
        return new EscrowAccountLinked(ID, account, "ICBC-3501", T0);
    }

    private static SupervisionTerms terms(InstitutionStatus status, SupervisionPolicy policy) {
        return new SupervisionTerms(RegionCode.of(REGION), status, SupervisionMode.FULL_CUSTODY, policy);
    }

    // ------------------------------------------------------------------ register

    @Test
    void registerWithoutPolicyAppliesTheModeDefaults() {
        fixture.givenNoPriorActivity()
                .when(new RegisterInstitution(INSTITUTION, "Xihu Art School", RegionCode.of(REGION),
                        InstitutionCategory.NON_SUBJECT, SupervisionMode.FULL_CUSTODY, null, "regulator-1", T0))
                .expectEvents(registered())
                .expectState(institution -> {
                    assertThat(institution.institutionId()).isEqualTo(ID);
                    assertThat(institution.name()).isEqualTo("Xihu Art School");
                    assertThat(institution.regionCode()).isEqualTo(REGION);
                    assertThat(institution.category()).isEqualTo(InstitutionCategory.NON_SUBJECT);
                    assertThat(institution.supervisionMode()).isEqualTo(SupervisionMode.FULL_CUSTODY);
                    assertThat(institution.status()).isEqualTo(InstitutionStatus.REGISTERED);
                    assertThat(institution.policy().liabilityRatio()).isEqualTo(Ratio.parse("0.20"));
                    assertThat(institution.accountIds()).isEmpty();
                });
    }

    @Test
    void registerUnderRiskReserveDefaultsToAFullLiabilityRatio() {
        fixture.givenNoPriorActivity()
                .when(new RegisterInstitution(INSTITUTION, "Binjiang Chess", RegionCode.of("330108"),
                        InstitutionCategory.SUBJECT, SupervisionMode.RISK_RESERVE, null, "regulator-2", T0))
                .expectEvents(new InstitutionRegistered(ID, "Binjiang Chess", "330108", InstitutionCategory.SUBJECT,
                        SupervisionMode.RISK_RESERVE, SupervisionPolicy.defaultsFor(SupervisionMode.RISK_RESERVE),
                        "regulator-2", T0))
                .expectState(institution -> assertThat(institution.policy().liabilityRatio()).isEqualTo(Ratio.parse("1")));
    }

    @Test
    void registerWithAPolicyKeepsThatPolicy() {
        fixture.givenNoPriorActivity()
                .when(new RegisterInstitution(INSTITUTION, "Xihu Art School", RegionCode.of(REGION),
                        InstitutionCategory.NON_SUBJECT, SupervisionMode.FULL_CUSTODY, SHANGHAI, "regulator-1", T0))
                .expectEvents(new InstitutionRegistered(ID, "Xihu Art School", REGION, InstitutionCategory.NON_SUBJECT,
                        SupervisionMode.FULL_CUSTODY, SHANGHAI, "regulator-1", T0))
                .expectState(institution -> assertThat(institution.policy().minimumBalance())
                        .isEqualTo(Money.parse("100000.00")));
    }

    // ------------------------------------------------------------------ approve

    @Test
    void approveWhitelistsARegisteredInstitution() {
        fixture.given(registered(), linked("ACC-1"))
                .when(new ApproveInstitution(INSTITUTION, "regulator-1", T1))
                .expectEvents(new InstitutionApproved(ID, "regulator-1", T1))
                .expectResultMessagePayload(new InstitutionChange(ID,
                        terms(InstitutionStatus.ACTIVE, FULL_CUSTODY_DEFAULTS), List.of("ACC-1")))
                .expectState(institution -> assertThat(institution.status()).isEqualTo(InstitutionStatus.ACTIVE));
    }

    @Test
    void approveReactivatesASuspendedInstitution() {
        fixture.given(registered(), approved(), suspended())
                .when(new ApproveInstitution(INSTITUTION, "regulator-1", T1))
                .expectEvents(new InstitutionApproved(ID, "regulator-1", T1))
                .expectState(institution -> assertThat(institution.status()).isEqualTo(InstitutionStatus.ACTIVE));
    }

    @Test
    void approvingAnActiveInstitutionIsAnIllegalTransition() {
        fixture.given(registered(), approved())
                .when(new ApproveInstitution(INSTITUTION, "regulator-1", T1))
                .expectException(LedgerRuleException.class)
                .expectException(rejection(LedgerRejection.ILLEGAL_STATUS_TRANSITION))
                .expectNoEvents();
    }

    @Test
    void approvingABlacklistedInstitutionIsAnIllegalTransition() {
        fixture.given(registered(), approved(), blacklisted())
                .when(new ApproveInstitution(INSTITUTION, "regulator-1", T1))
                .expectException(LedgerRuleException.class)
                .expectException(rejection(LedgerRejection.ILLEGAL_STATUS_TRANSITION))
                .expectNoEvents();
    }

    @Test
    void approvingAClosedInstitutionIsRejectedAsClosed() {
        fixture.given(registered(), closed())
                .when(new ApproveInstitution(INSTITUTION, "regulator-1", T1))
                .expectException(LedgerRuleException.class)
                .expectException(rejection(LedgerRejection.INSTITUTION_CLOSED))
                .expectNoEvents();
    }

    // ------------------------------------------------------------------ suspend

    @Test
    void suspendStopsAnActiveInstitution() {
        fixture.given(registered(), approved(), linked("ACC-1"), linked("ACC-2"))
                .when(new SuspendInstitution(INSTITUTION, "complaints", "regulator-1", T1))
                .expectEvents(new InstitutionSuspended(ID, "complaints", "regulator-1", T1))
                .expectResultMessagePayload(new InstitutionChange(ID,
                        terms(InstitutionStatus.SUSPENDED, FULL_CUSTODY_DEFAULTS), List.of("ACC-1", "ACC-2")))
                .expectState(institution -> assertThat(institution.status()).isEqualTo(InstitutionStatus.SUSPENDED));
    }

    @Test
    void suspendIsAllowedBeforeApproval() {
        fixture.given(registered())
                .when(new SuspendInstitution(INSTITUTION, "incomplete filing", "regulator-1", T1))
                .expectEvents(new InstitutionSuspended(ID, "incomplete filing", "regulator-1", T1));
    }

    @Test
    void suspendingASuspendedInstitutionIsAnIllegalTransition() {
        fixture.given(registered(), approved(), suspended())
                .when(new SuspendInstitution(INSTITUTION, "again", "regulator-1", T1))
                .expectException(LedgerRuleException.class)
                .expectException(rejection(LedgerRejection.ILLEGAL_STATUS_TRANSITION))
                .expectNoEvents();
    }

    @Test
    void suspendingABlacklistedInstitutionIsAnIllegalTransition() {
        fixture.given(registered(), blacklisted())
                .when(new SuspendInstitution(INSTITUTION, "again", "regulator-1", T1))
                .expectException(LedgerRuleException.class)
                .expectException(rejection(LedgerRejection.ILLEGAL_STATUS_TRANSITION))
                .expectNoEvents();
    }

    @Test
    void suspendingAClosedInstitutionIsRejectedAsClosed() {
        fixture.given(registered(), approved(), closed())
                .when(new SuspendInstitution(INSTITUTION, "late", "regulator-1", T1))
                .expectException(LedgerRuleException.class)
                .expectException(rejection(LedgerRejection.INSTITUTION_CLOSED))
                .expectNoEvents();
    }

    // ------------------------------------------------------------------ blacklist

    @Test
    void blacklistAnActiveInstitution() {
        fixture.given(registered(), approved())
                .when(new BlacklistInstitution(INSTITUTION, "collect and run", "regulator-1", T1))
                .expectEvents(new InstitutionBlacklisted(ID, "collect and run", "regulator-1", T1))
                .expectResultMessagePayloadMatching(satisfying(InstitutionChange.class, change ->
                        assertThat(change.terms().status()).isEqualTo(InstitutionStatus.BLACKLISTED)))
                .expectState(institution -> assertThat(institution.status()).isEqualTo(InstitutionStatus.BLACKLISTED));
    }

    @Test
    void blacklistASuspendedInstitution() {
        fixture.given(registered(), approved(), suspended())
                .when(new BlacklistInstitution(INSTITUTION, "repeat offender", "regulator-1", T1))
                .expectEvents(new InstitutionBlacklisted(ID, "repeat offender", "regulator-1", T1));
    }

    @Test
    void blacklistingTwiceIsAnIllegalTransition() {
        fixture.given(registered(), blacklisted())
                .when(new BlacklistInstitution(INSTITUTION, "again", "regulator-1", T1))
                .expectException(LedgerRuleException.class)
                .expectException(rejection(LedgerRejection.ILLEGAL_STATUS_TRANSITION))
                .expectNoEvents();
    }

    @Test
    void blacklistingAClosedInstitutionIsRejectedAsClosed() {
        fixture.given(registered(), closed())
                .when(new BlacklistInstitution(INSTITUTION, "late", "regulator-1", T1))
                .expectException(LedgerRuleException.class)
                .expectException(rejection(LedgerRejection.INSTITUTION_CLOSED))
                .expectNoEvents();
    }

    // ------------------------------------------------------------------ close

    @Test
    void closeEndsTheInstitutionAndNamesItsAccounts() {
        fixture.given(registered(), approved(), linked("ACC-1"))
                .when(new CloseInstitution(INSTITUTION, "terminated", "regulator-1", T1))
                .expectEvents(new InstitutionClosed(ID, "terminated", "regulator-1", T1))
                .expectResultMessagePayload(new InstitutionChange(ID,
                        terms(InstitutionStatus.CLOSED, FULL_CUSTODY_DEFAULTS), List.of("ACC-1")))
                .expectState(institution -> assertThat(institution.status()).isEqualTo(InstitutionStatus.CLOSED));
    }

    @Test
    void closeABlacklistedInstitution() {
        fixture.given(registered(), blacklisted())
                .when(new CloseInstitution(INSTITUTION, "terminated", "regulator-1", T1))
                .expectEvents(new InstitutionClosed(ID, "terminated", "regulator-1", T1));
    }

    @Test
    void closingTwiceIsRejectedAsClosed() {
        fixture.given(registered(), closed())
                .when(new CloseInstitution(INSTITUTION, "again", "regulator-1", T1))
                .expectException(LedgerRuleException.class)
                .expectException(rejection(LedgerRejection.INSTITUTION_CLOSED))
                .expectNoEvents();
    }

    // ------------------------------------------------------------------ policy

    @Test
    void changePolicyReplacesThePolicyAndAnswersTheNewTerms() {
        fixture.given(registered(), approved(), linked("ACC-1"))
                .when(new ChangeSupervisionPolicy(INSTITUTION, SHANGHAI, "regulator-1", T1))
                .expectEvents(new SupervisionPolicyChanged(ID, SHANGHAI, "regulator-1", T1))
                .expectResultMessagePayload(new InstitutionChange(ID, terms(InstitutionStatus.ACTIVE, SHANGHAI),
                        List.of("ACC-1")))
                .expectState(institution -> {
                    assertThat(institution.policy()).isEqualTo(SHANGHAI);
                    assertThat(institution.status()).isEqualTo(InstitutionStatus.ACTIVE);
                });
    }

    @Test
    void changingThePolicyOfAClosedInstitutionIsRejectedAsClosed() {
        fixture.given(registered(), closed())
                .when(new ChangeSupervisionPolicy(INSTITUTION, SHANGHAI, "regulator-1", T1))
                .expectException(LedgerRuleException.class)
                .expectException(rejection(LedgerRejection.INSTITUTION_CLOSED))
                .expectNoEvents();
    }

    // ------------------------------------------------------------------ link escrow account

    @Test
    void linkAnAccountAnswersTheTermsItOpensUnder() {
        fixture.given(registered(), approved())
                .when(new LinkEscrowAccount(INSTITUTION, AccountId.of("ACC-1"), BankCode.of("ICBC-3501"), T1))
                .expectEvents(new EscrowAccountLinked(ID, "ACC-1", "ICBC-3501", T1))
                .expectResultMessagePayload(terms(InstitutionStatus.ACTIVE, FULL_CUSTODY_DEFAULTS))
                .expectState(institution -> assertThat(institution.accountIds()).containsExactly("ACC-1"));
    }

    @Test
    void linkAnAccountBeforeApprovalOpensItUnderRegisteredTerms() {
        fixture.given(registered())
                .when(new LinkEscrowAccount(INSTITUTION, AccountId.of("ACC-1"), BankCode.of("ICBC-3501"), T1))
                .expectResultMessagePayload(terms(InstitutionStatus.REGISTERED, FULL_CUSTODY_DEFAULTS));
    }

    @Test
    void linkASecondAccountAtAnotherBank() {
        fixture.given(registered(), approved(), linked("ACC-1"))
                .when(new LinkEscrowAccount(INSTITUTION, AccountId.of("ACC-2"), BankCode.of("BOC-3501"), T1))
                .expectEvents(new EscrowAccountLinked(ID, "ACC-2", "BOC-3501", T1))
                .expectState(institution -> assertThat(institution.accountIds()).containsExactly("ACC-1", "ACC-2"));
    }

    @Test
    void linkingTheSameAccountTwiceIsRejected() {
        fixture.given(registered(), approved(), linked("ACC-1"))
                .when(new LinkEscrowAccount(INSTITUTION, AccountId.of("ACC-1"), BankCode.of("BOC-3501"), T1))
                .expectException(LedgerRuleException.class)
                .expectException(rejection(LedgerRejection.ACCOUNT_ALREADY_EXISTS))
                .expectNoEvents();
    }

    @Test
    void aBlacklistedInstitutionCannotOpenAccounts() {
        fixture.given(registered(), blacklisted())
                .when(new LinkEscrowAccount(INSTITUTION, AccountId.of("ACC-1"), BankCode.of("ICBC-3501"), T1))
                .expectException(LedgerRuleException.class)
                .expectException(rejection(LedgerRejection.INSTITUTION_CANNOT_OPEN_ACCOUNTS))
                .expectNoEvents();
    }

    @Test
    void aClosedInstitutionCannotOpenAccounts() {
        fixture.given(registered(), closed())
                .when(new LinkEscrowAccount(INSTITUTION, AccountId.of("ACC-1"), BankCode.of("ICBC-3501"), T1))
                .expectException(LedgerRuleException.class)
                .expectException(rejection(LedgerRejection.INSTITUTION_CANNOT_OPEN_ACCOUNTS))
                .expectNoEvents();
    }
}
