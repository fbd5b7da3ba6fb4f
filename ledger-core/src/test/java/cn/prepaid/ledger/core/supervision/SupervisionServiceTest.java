package cn.prepaid.ledger.core.supervision;

import cn.prepaid.ledger.core.account.EscrowAccountCommand.ApplyInstitutionClosure;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.ApplySupervisionTerms;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.OpenEscrowAccount;
import cn.prepaid.ledger.core.ids.AccountId;
import cn.prepaid.ledger.core.ids.BankCode;
import cn.prepaid.ledger.core.ids.InstitutionId;
import cn.prepaid.ledger.core.ids.RegionCode;
import cn.prepaid.ledger.core.institution.InstitutionChange;
import cn.prepaid.ledger.core.institution.InstitutionCommand.CloseInstitution;
import cn.prepaid.ledger.core.institution.InstitutionCommand.LinkEscrowAccount;
import cn.prepaid.ledger.core.institution.InstitutionCommand.SuspendInstitution;
import cn.prepaid.ledger.core.institution.InstitutionStatus;
import cn.prepaid.ledger.core.institution.SupervisionTerms;
import cn.prepaid.ledger.core.policy.SupervisionMode;
import cn.prepaid.ledger.core.policy.SupervisionPolicy;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SupervisionServiceTest {

    private static final InstitutionId INSTITUTION = InstitutionId.of("91350100M000100Y43");
    private static final Instant AT = Instant.parse("2024-03-01T02:00:00Z");
    private static final SupervisionPolicy DEFAULTS = SupervisionPolicy.defaultsFor(SupervisionMode.FULL_CUSTODY);

    /** Commands sent, and whether each was sent inside the atomic unit. */
    private final List<Object> sent = new ArrayList<>();
    private final List<Boolean> insideUnit = new ArrayList<>();
    private boolean inUnit;
    private int units;

    private final AtomicWork atomically = new AtomicWork() {
        @Override
        public <T> T run(Supplier<T> work) {
            units++;
            inUnit = true;
            try {
                return work.get();
            } finally {
                inUnit = false;
            }
        }
    };

    private CommandGateway gateway(Function<Object, Object> answers) {
        return (CommandGateway) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{CommandGateway.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("sendAndWait") || args.length != 1) {
                        throw new UnsupportedOperationException(method.toString());
                    }
                    sent.add(args[0]);
                    insideUnit.add(inUnit);
                    return answers.apply(args[0]);
                });
    }

    private static SupervisionTerms terms(InstitutionStatus status) {
        return new SupervisionTerms(RegionCode.of("350100"), status, SupervisionMode.FULL_CUSTODY, DEFAULTS);
    }

    @Test
    void aStatusChangeReachesEveryLinkedAccountInOneUnit() {
        InstitutionChange change = new InstitutionChange(INSTITUTION.value(), terms(InstitutionStatus.SUSPENDED),
                List.of("ACC-1", "ACC-2"));
        SuspendInstitution suspend = new SuspendInstitution(INSTITUTION, "complaints", "regulator-1", AT);
        SupervisionService service = new SupervisionService(gateway(command -> command == suspend ? change : null),
                atomically);

        InstitutionChange answer = service.change(suspend);

        assertThat(answer).isSameAs(change);
        assertThat(units).isEqualTo(1);
        assertThat(insideUnit).containsOnly(true);
        assertThat(sent).hasSize(3);
        assertThat(sent.get(0)).isSameAs(suspend);
        assertThat(sent.subList(1, 3)).allSatisfy(command -> {
            assertThat(command).isInstanceOf(ApplySupervisionTerms.class);
            assertThat(((ApplySupervisionTerms) command).terms()).isEqualTo(terms(InstitutionStatus.SUSPENDED));
        });
        assertThat(sent.subList(1, 3)).extracting(command -> ((ApplySupervisionTerms) command).accountId())
                .containsExactly(AccountId.of("ACC-1"), AccountId.of("ACC-2"));
    }

    @Test
    void closureSendsTheClosureWithItsReasonInsteadOfTerms() {
        InstitutionChange change = new InstitutionChange(INSTITUTION.value(), terms(InstitutionStatus.CLOSED),
                List.of("ACC-1"));
        CloseInstitution close = new CloseInstitution(INSTITUTION, "terminated", "regulator-1", AT);
        SupervisionService service = new SupervisionService(gateway(command -> command == close ? change : null),
                atomically);

        service.change(close);

        assertThat(sent).hasSize(2);
        assertThat(sent.get(1)).isInstanceOfSatisfying(ApplyInstitutionClosure.class, closure -> {
            assertThat(closure.accountId()).isEqualTo(AccountId.of("ACC-1"));
            assertThat(closure.reason()).isEqualTo("terminated");
        });
    }

    @Test
    void aChangeWithoutAccountsSendsOnlyTheInstitutionCommand() {
        SuspendInstitution suspend = new SuspendInstitution(INSTITUTION, "complaints", "regulator-1", AT);
        SupervisionService service = new SupervisionService(gateway(command ->
                new InstitutionChange(INSTITUTION.value(), terms(InstitutionStatus.SUSPENDED), List.of())), atomically);

        service.change(suspend);

        assertThat(sent).containsExactly(suspend);
    }

    @Test
    void aRefusedInstitutionCommandSendsNothingToAccounts() {
        SuspendInstitution suspend = new SuspendInstitution(INSTITUTION, "complaints", "regulator-1", AT);
        SupervisionService service = new SupervisionService(gateway(command -> {
            throw new IllegalStateException("refused");
        }), atomically);

        assertThatThrownBy(() -> service.change(suspend)).hasMessage("refused");
        assertThat(sent).containsExactly(suspend);
    }

    @Test
    void openingAnAccountLinksItThenOpensItUnderTheAnsweredTerms() {
        SupervisionService service = new SupervisionService(gateway(command ->
                command instanceof LinkEscrowAccount ? terms(InstitutionStatus.ACTIVE) : null), atomically);

        service.openAccount(AccountId.of("ACC-1"), INSTITUTION, BankCode.of("ICBC-3501"), "6222020200112233", AT);

        assertThat(units).isEqualTo(1);
        assertThat(insideUnit).containsExactly(true, true);
        assertThat(sent.get(0)).isEqualTo(new LinkEscrowAccount(INSTITUTION, AccountId.of("ACC-1"),
                BankCode.of("ICBC-3501"), AT));
        assertThat(sent.get(1)).isEqualTo(new OpenEscrowAccount(AccountId.of("ACC-1"), INSTITUTION,
                BankCode.of("ICBC-3501"), "6222020200112233", terms(InstitutionStatus.ACTIVE), AT));
    }
}
