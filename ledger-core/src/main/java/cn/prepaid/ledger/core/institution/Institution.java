package cn.prepaid.ledger.core.institution;

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
import cn.prepaid.ledger.core.policy.SupervisionMode;
import cn.prepaid.ledger.core.policy.SupervisionPolicy;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static cn.prepaid.ledger.core.rules.LedgerRejection.ACCOUNT_ALREADY_EXISTS;
import static cn.prepaid.ledger.core.rules.LedgerRejection.ILLEGAL_STATUS_TRANSITION;
import static cn.prepaid.ledger.core.rules.LedgerRejection.INSTITUTION_CANNOT_OPEN_ACCOUNTS;
import static cn.prepaid.ledger.core.rules.LedgerRejection.INSTITUTION_CLOSED;
import static cn.prepaid.ledger.core.rules.LedgerRuleException.check;
import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A training institution under supervision: its whitelist status, its supervision mode and policy,
 * and the escrow accounts banks opened for it. Status moves:
 * REGISTERED → ACTIVE ⇄ SUSPENDED (a registered one may also be suspended before approval);
 * any → BLACKLISTED; any → CLOSED (final).
 */
public class Institution {

    @AggregateIdentifier
    private String institutionId;
    private String name;
    private String regionCode;
    private InstitutionCategory category;
    private SupervisionMode mode;
    private InstitutionStatus status;
    private SupervisionPolicy policy;
    private Map<String, String> bankCodeByAccount = new LinkedHashMap<>();

    protected Institution() {
        // for Axon and snapshot deserialisation
    }

    @CommandHandler
    public Institution(RegisterInstitution cmd) {
        SupervisionPolicy initial = cmd.policy() != null ? cmd.policy() : SupervisionPolicy.defaultsFor(cmd.supervisionMode());
        apply(new InstitutionRegistered(cmd.institutionId().value(), cmd.name(), cmd.regionCode().value(),
                cmd.category(), cmd.supervisionMode(), initial, cmd.by(), cmd.at()));
    }

    @CommandHandler
    public InstitutionChange handle(ApproveInstitution cmd) {
        requireNotClosed();
        check(status == InstitutionStatus.REGISTERED || status == InstitutionStatus.SUSPENDED,
                ILLEGAL_STATUS_TRANSITION, "an institution that is " + status + " cannot be approved");
        apply(new InstitutionApproved(institutionId, cmd.by(), cmd.at()));
        return change();
    }

    @CommandHandler
    public InstitutionChange handle(SuspendInstitution cmd) {
        requireNotClosed();
        check(status == InstitutionStatus.ACTIVE || status == InstitutionStatus.REGISTERED,
                ILLEGAL_STATUS_TRANSITION, "an institution that is " + status + " cannot be suspended");
        apply(new InstitutionSuspended(institutionId, cmd.reason(), cmd.by(), cmd.at()));
        return change();
    }

    @CommandHandler
    public InstitutionChange handle(BlacklistInstitution cmd) {
        requireNotClosed();
        check(status != InstitutionStatus.BLACKLISTED, ILLEGAL_STATUS_TRANSITION, "already blacklisted");
        apply(new InstitutionBlacklisted(institutionId, cmd.reason(), cmd.by(), cmd.at()));
        return change();
    }

    @CommandHandler
    public InstitutionChange handle(CloseInstitution cmd) {
        requireNotClosed();
        apply(new InstitutionClosed(institutionId, cmd.reason(), cmd.by(), cmd.at()));
        return change();
    }

    @CommandHandler
    public InstitutionChange handle(ChangeSupervisionPolicy cmd) {
        requireNotClosed();
        apply(new SupervisionPolicyChanged(institutionId, cmd.policy(), cmd.by(), cmd.at()));
        return change();
    }

    @CommandHandler
    public SupervisionTerms handle(LinkEscrowAccount cmd) {
        check(status != InstitutionStatus.BLACKLISTED && status != InstitutionStatus.CLOSED,
                INSTITUTION_CANNOT_OPEN_ACCOUNTS, "an institution that is " + status + " cannot open accounts");
        check(!bankCodeByAccount.containsKey(cmd.accountId().value()), ACCOUNT_ALREADY_EXISTS,
                "account " + cmd.accountId() + " already exists");
        apply(new EscrowAccountLinked(institutionId, cmd.accountId().value(), cmd.bankCode().value(), cmd.at()));
        return terms();
    }

    @EventSourcingHandler
    void on(InstitutionRegistered e) {
        institutionId = e.institutionId();
        name = e.name();
        regionCode = e.regionCode();
        category = e.category();
        mode = e.supervisionMode();
        policy = e.policy();
        status = InstitutionStatus.REGISTERED;
    }

    @EventSourcingHandler
    void on(InstitutionApproved e) {
        status = InstitutionStatus.ACTIVE;
    }

    @EventSourcingHandler
    void on(InstitutionSuspended e) {
        status = InstitutionStatus.SUSPENDED;
    }

    @EventSourcingHandler
    void on(InstitutionBlacklisted e) {
        status = InstitutionStatus.BLACKLISTED;
    }

    @EventSourcingHandler
    void on(InstitutionClosed e) {
        status = InstitutionStatus.CLOSED;
    }

    @EventSourcingHandler
    void on(SupervisionPolicyChanged e) {
        policy = e.policy();
    }

    @EventSourcingHandler
    void on(EscrowAccountLinked e) {
        bankCodeByAccount.put(e.accountId(), e.bankCode());
    }

    private void requireNotClosed() {
        check(status != InstitutionStatus.CLOSED, INSTITUTION_CLOSED, "institution " + institutionId + " is closed");
    }

    private SupervisionTerms terms() {
        return new SupervisionTerms(RegionCode.of(regionCode), status, mode, policy);
    }

    private InstitutionChange change() {
        return new InstitutionChange(institutionId, terms(), List.copyOf(bankCodeByAccount.keySet()));
    }

    /**
     * The institution as answers and other modules read it: a copy, so it may be kept after the aggregate
     * is released. The aggregate itself answers only the commands it decides.
     */
    public record State(String institutionId, String name, String regionCode, InstitutionCategory category,
                        SupervisionMode supervisionMode, InstitutionStatus status, SupervisionPolicy policy,
                        List<String> accountIds) {

        public State {
            accountIds = List.copyOf(accountIds);
        }
    }

    public State state() {
        return new State(institutionId, name, regionCode, category, mode, status, policy, accountIds());
    }

    // ---------------------------------------------------------------- read access for this package's tests

    String institutionId() {
        return institutionId;
    }

    String name() {
        return name;
    }

    String regionCode() {
        return regionCode;
    }

    InstitutionCategory category() {
        return category;
    }

    SupervisionMode supervisionMode() {
        return mode;
    }

    InstitutionStatus status() {
        return status;
    }

    SupervisionPolicy policy() {
        return policy;
    }

    List<String> accountIds() {
        return new ArrayList<>(bankCodeByAccount.keySet());
    }
}
