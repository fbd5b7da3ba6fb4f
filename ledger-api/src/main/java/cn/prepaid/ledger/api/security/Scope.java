package cn.prepaid.ledger.api.security;

import cn.prepaid.ledger.api.http.ApiProblem;
import cn.prepaid.ledger.api.security.Directory.AccountFacts;
import cn.prepaid.ledger.api.security.SecurityAudit.Action;
import cn.prepaid.ledger.api.security.SecurityAudit.Outcome;
import cn.prepaid.ledger.core.ids.AccountId;
import cn.prepaid.ledger.core.ids.InstitutionId;
import org.springframework.stereotype.Component;

import java.util.Map;

/**
 * Scope within a role: a bank reaches only the accounts it holds, a regulator only institutions and
 * accounts whose region starts with its prefix; platforms and auditors reach everything unless the
 * principals file binds them to a region and/or institutions. Each check
 * answers the target's facts, 404 when it does not exist, or 403 when it lies outside the caller's scope.
 */
@Component
public class Scope {

    private final Directory directory;
    private final SecurityAudit audit;

    public Scope(Directory directory, SecurityAudit audit) {
        this.directory = directory;
        this.audit = audit;
    }

    public AccountFacts toRead(ApiPrincipal principal, AccountId accountId) {
        AccountFacts account = existing(accountId);
        boolean inScope = switch (principal.role()) {
            case BANK -> account.bankCode().equals(principal.bankCode());
            case REGULATOR -> principal.supervisesRegion(account.regionCode());
            case PLATFORM, AUDITOR -> principal.reaches(account.institutionId(), account.regionCode());
        };
        return require(principal, inScope, account, "account " + accountId + " is outside this principal's scope");
    }

    /** A bank writing to an account: only one it holds. */
    public AccountFacts bankAccount(ApiPrincipal principal, AccountId accountId) {
        AccountFacts account = existing(accountId);
        boolean held = principal.is(Role.BANK) && account.bankCode().equals(principal.bankCode());
        return require(principal, held, account, "account " + accountId + " is held at another bank");
    }

    public AccountFacts regulatedAccount(ApiPrincipal principal, AccountId accountId) {
        AccountFacts account = existing(accountId);
        return require(principal, principal.supervisesRegion(account.regionCode()), account,
                "account " + accountId + " lies outside this regulator's region");
    }

    public AccountFacts platformAccount(ApiPrincipal principal, AccountId accountId) {
        AccountFacts account = existing(accountId);
        require(principal, principal.is(Role.PLATFORM), account, "only the platform confirms consumption");
        return require(principal, principal.reaches(account.institutionId(), account.regionCode()), account,
                "account " + accountId + " is outside this platform's institutions");
    }

    public void toReadInstitution(ApiPrincipal principal, InstitutionId institutionId) {
        String region = existingRegion(institutionId);
        boolean inScope = switch (principal.role()) {
            case REGULATOR -> principal.supervisesRegion(region);
            case BANK -> directory.bankCodesOf(institutionId).contains(principal.bankCode());
            case PLATFORM, AUDITOR -> principal.reaches(institutionId.value(), region);
        };
        require(principal, inScope, region, "institution " + institutionId + " is outside this principal's scope");
    }

    public void regulatedInstitution(ApiPrincipal principal, InstitutionId institutionId) {
        String region = existingRegion(institutionId);
        require(principal, principal.supervisesRegion(region), region,
                "institution " + institutionId + " lies outside this regulator's region");
    }

    /** A regulator registering an institution in a region. */
    public void regulatedRegion(ApiPrincipal principal, String regionCode) {
        require(principal, principal.supervisesRegion(regionCode), regionCode,
                "region " + regionCode + " lies outside this regulator's region");
    }

    private AccountFacts existing(AccountId accountId) {
        return directory.account(accountId).orElseThrow(
                () -> ApiProblem.notFound("ACCOUNT_NOT_FOUND", "no account " + accountId));
    }

    private String existingRegion(InstitutionId institutionId) {
        return directory.institutionRegion(institutionId).orElseThrow(
                () -> ApiProblem.notFound("INSTITUTION_NOT_FOUND", "no institution " + institutionId));
    }

    /** The target if it lies in the principal's scope; a refusal is answered 403 and audited. */
    private <T> T require(ApiPrincipal principal, boolean inScope, T target, String detail) {
        if (!inScope) {
            audit.recordInRequest(Action.ACCESS_REFUSED, principal, Outcome.REFUSED,
                    Map.of("reason", "scope", "detail", detail));
            throw ApiProblem.forbidden(detail);
        }
        return target;
    }
}
