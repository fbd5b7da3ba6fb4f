package cn.prepaid.ledger.api.security;

import cn.prepaid.ledger.api.http.ApiProblem;
import cn.prepaid.ledger.api.security.Directory.AccountFacts;
import cn.prepaid.ledger.core.ids.AccountId;
import cn.prepaid.ledger.core.ids.InstitutionId;
import org.springframework.stereotype.Component;

/**
 * Scope within a role: a bank reaches only the accounts it holds, a regulator only institutions and
 * accounts whose region starts with its prefix; platforms and auditors read everything. Each check
 * answers the target's facts, 404 when it does not exist, or 403 when it lies outside the caller's scope.
 */
@Component
public class Scope {

    private final Directory directory;

    public Scope(Directory directory) {
        this.directory = directory;
    }

    public AccountFacts toRead(ApiPrincipal principal, AccountId accountId) {
        AccountFacts account = existing(accountId);
        boolean inScope = switch (principal.role()) {
            case BANK -> account.bankCode().equals(principal.bankCode());
            case REGULATOR -> principal.supervisesRegion(account.regionCode());
            case PLATFORM, AUDITOR -> principal.reaches(account.institutionId(), account.regionCode());
        };
        return require(inScope, account, "account " + accountId + " is outside this principal's scope");
    }

    /** A bank writing to an account: only one it holds. */
    public AccountFacts bankAccount(ApiPrincipal principal, AccountId accountId) {
        AccountFacts account = existing(accountId);
        return require(principal.is(Role.BANK) && account.bankCode().equals(principal.bankCode()), account,
                "account " + accountId + " is held at another bank");
    }

    public AccountFacts regulatedAccount(ApiPrincipal principal, AccountId accountId) {
        AccountFacts account = existing(accountId);
        return require(principal.supervisesRegion(account.regionCode()), account,
                "account " + accountId + " lies outside this regulator's region");
    }

    public AccountFacts platformAccount(ApiPrincipal principal, AccountId accountId) {
        AccountFacts account = existing(accountId);
        require(principal.is(Role.PLATFORM), account, "only the platform confirms consumption");
        return require(principal.reaches(account.institutionId(), account.regionCode()), account,
                "account " + accountId + " is outside this platform's institutions");
    }

    public void toReadInstitution(ApiPrincipal principal, InstitutionId institutionId) {
        String region = existingRegion(institutionId);
        boolean inScope = switch (principal.role()) {
            case REGULATOR -> principal.supervisesRegion(region);
            case BANK -> directory.bankCodesOf(institutionId).contains(principal.bankCode());
            case PLATFORM, AUDITOR -> principal.reaches(institutionId.value(), region);
        };
        require(inScope, region, "institution " + institutionId + " is outside this principal's scope");
    }

    public void regulatedInstitution(ApiPrincipal principal, InstitutionId institutionId) {
        String region = existingRegion(institutionId);
        require(principal.supervisesRegion(region), region,
                "institution " + institutionId + " lies outside this regulator's region");
    }

    /** A regulator registering an institution in a region. */
    public void regulatedRegion(ApiPrincipal principal, String regionCode) {
        require(principal.supervisesRegion(regionCode), regionCode,
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

    private static <T> T require(boolean inScope, T target, String detail) {
        if (!inScope) {
            throw ApiProblem.forbidden(detail);
        }
        return target;
    }
}
