package cn.prepaid.ledger.core.supervision;

import cn.prepaid.ledger.core.account.EscrowAccountCommand.ApplyInstitutionClosure;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.ApplySupervisionTerms;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.OpenEscrowAccount;
import cn.prepaid.ledger.core.ids.AccountId;
import cn.prepaid.ledger.core.ids.BankCode;
import cn.prepaid.ledger.core.ids.InstitutionId;
import cn.prepaid.ledger.core.institution.InstitutionChange;
import cn.prepaid.ledger.core.institution.InstitutionCommand;
import cn.prepaid.ledger.core.institution.InstitutionCommand.CloseInstitution;
import cn.prepaid.ledger.core.institution.InstitutionCommand.LinkEscrowAccount;
import cn.prepaid.ledger.core.institution.SupervisionTerms;
import org.axonframework.commandhandling.gateway.CommandGateway;

import java.time.Instant;
import java.util.TreeSet;

/**
 * The commands that span an institution and its accounts. Each account keeps a copy of the terms it
 * decides by (status, mode, policy), so a change to the institution reaches every account in the
 * same transaction: no account ever authorises under terms its institution no longer has, and the
 * account's own stream shows auditors which terms governed each decision.
 */
public class SupervisionService {

    private final CommandGateway commands;
    private final AtomicWork atomically;

    public SupervisionService(CommandGateway commands, AtomicWork atomically) {
        this.commands = commands;
        this.atomically = atomically;
    }

    /**
     * Applies a status or policy change and passes the resulting terms (or the closure) to every account,
     * in identifier order: the order batches take accounts in, so the two never wait for each other in a circle.
     */
    public InstitutionChange change(InstitutionCommand command) {
        return atomically.run(() -> {
            InstitutionChange change = commands.sendAndWait(command);
            Instant at = Instant.now();
            for (String accountId : new TreeSet<>(change.accountIds())) {
                Object toAccount = command instanceof CloseInstitution close
                        ? new ApplyInstitutionClosure(AccountId.of(accountId), close.reason(), at)
                        : new ApplySupervisionTerms(AccountId.of(accountId), change.terms(), at);
                commands.sendAndWait(toAccount);
            }
            return change;
        });
    }

    /** Links a new account to its institution and opens it under the institution's current terms. */
    public void openAccount(AccountId accountId, InstitutionId institutionId, BankCode bankCode, String bankAccountNo,
                            Instant at) {
        atomically.run(() -> {
            SupervisionTerms terms = commands.sendAndWait(new LinkEscrowAccount(institutionId, accountId, bankCode, at));
            commands.sendAndWait(new OpenEscrowAccount(accountId, institutionId, bankCode, bankAccountNo, terms, at));
            return null;
        });
    }
}
