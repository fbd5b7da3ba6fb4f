package cn.prepaid.ledger.api.security;

import cn.prepaid.ledger.core.ids.AccountId;
import cn.prepaid.ledger.core.ids.InstitutionId;
import cn.prepaid.ledger.store.aggregates.AggregateStateReader;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The facts scope checks need: which bank holds an account, which institution and region it belongs
 * to. These never change once written, so remembering them in this JVM is safe with several nodes;
 * anything that can change (an institution's accounts) is read fresh.
 */
@Component
public class Directory {

    public record AccountFacts(String accountId, String institutionId, String bankCode, String regionCode) {
    }

    private final AggregateStateReader aggregates;
    private final Map<String, AccountFacts> accounts = new ConcurrentHashMap<>();
    private final Map<String, String> institutionRegions = new ConcurrentHashMap<>();

    public Directory(AggregateStateReader aggregates) {
        this.aggregates = aggregates;
    }

    public Optional<AccountFacts> account(AccountId id) {
        AccountFacts known = accounts.get(id.value());
        if (known != null) {
            return Optional.of(known);
        }
        Optional<AccountFacts> loaded = aggregates.account(id, account -> new AccountFacts(account.accountId(),
                account.institutionId(), account.bankCode(), account.regionCode()));
        loaded.ifPresent(facts -> accounts.put(id.value(), facts));
        return loaded;
    }

    public Optional<String> institutionRegion(InstitutionId id) {
        String known = institutionRegions.get(id.value());
        if (known != null) {
            return Optional.of(known);
        }
        Optional<String> loaded = aggregates.institution(id, institution -> institution.regionCode());
        loaded.ifPresent(region -> institutionRegions.put(id.value(), region));
        return loaded;
    }

    /** The banks holding the institution's accounts, read fresh: accounts are added over time. */
    public List<String> bankCodesOf(InstitutionId id) {
        List<String> accountIds = aggregates.institution(id, institution -> institution.accountIds()).orElse(List.of());
        return accountIds.stream().map(accountId -> account(AccountId.of(accountId)))
                .flatMap(Optional::stream).map(AccountFacts::bankCode).distinct().toList();
    }
}
