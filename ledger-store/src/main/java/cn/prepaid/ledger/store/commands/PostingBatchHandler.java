package cn.prepaid.ledger.store.commands;

import cn.prepaid.ledger.core.account.EscrowAccount;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.FloorJudgedOutflow;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.Posting;
import cn.prepaid.ledger.core.account.InstitutionFunds;
import cn.prepaid.ledger.core.account.PostingOutcome;
import cn.prepaid.ledger.core.idempotency.IdempotencyConflictException;
import cn.prepaid.ledger.core.ids.AccountId;
import cn.prepaid.ledger.core.rules.LedgerRuleException;
import cn.prepaid.ledger.store.aggregates.AggregateLocks;
import cn.prepaid.ledger.store.aggregates.CommittedInstitutionFunds;
import cn.prepaid.ledger.store.commands.ApplyPostingBatch.ItemOutcome;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.config.Configuration;
import org.axonframework.modelling.command.Aggregate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Applies a batch of postings, for any number of accounts: each account's aggregate is loaded once,
 * each posting goes through the aggregate's own command handler (the same rules as a single
 * posting), and all events and idempotency records commit in this command's one transaction: one
 * commit (and one flush to disk) for the whole batch instead of one per account. A posting the rules
 * refuse without recording gives its claim back, so it stores nothing, as when posted alone.
 *
 * <p>Locks are taken in the order every command takes them: the client ids first (one statement, as a
 * single posting claims its id before loading its account), then the accounts in identifier order (all
 * their locks across nodes in one statement, with where their stored events end in one more: see
 * {@link AggregateLocks}; then each one's lock in this JVM as it is loaded), then the outflow locks of
 * the institutions, so no two transactions, batches or single postings, wait for each other in a
 * circle. (With the accounts first, a batch holding an account waited for a client id that a single
 * posting had claimed before waiting for that account in this JVM: a circle PostgreSQL cannot see.) A race lost to another node on any account undoes the whole
 * transaction and the command runs again ({@link CommandDispatcher}).
 */
public class PostingBatchHandler {

    private final Configuration axon;
    private final IdempotencyStore idempotency;
    private final AggregateLocks locks;
    private final CommittedInstitutionFunds institutionFunds;

    public PostingBatchHandler(Configuration axon, IdempotencyStore idempotency, AggregateLocks locks,
                               CommittedInstitutionFunds institutionFunds) {
        this.axon = axon;
        this.idempotency = idempotency;
        this.locks = locks;
        this.institutionFunds = institutionFunds;
    }

    @CommandHandler
    public List<ItemOutcome> handle(ApplyPostingBatch batch) {
        // Client ids first, as a single posting claims its id before it loads its account: every transaction
        // takes claims, then account locks, then institutions' outflow locks, so none waits in a circle. All keys
        // are claimed in one statement; outcomes and released claims are written in one round trip each.
        IdempotencyStore.BatchClaims claims = idempotency.claimAll(batch.postings());
        Map<String, Posting> firstClaimed = new LinkedHashMap<>();
        batch.postings().stream().filter(posting -> claims.claimed().contains(posting.idempotencyKey()))
                .forEach(posting -> firstClaimed.putIfAbsent(posting.idempotencyKey(), posting));
        Set<Posting> bookedElsewhere = new HashSet<>(idempotency.claimBankTxnIds(List.copyOf(firstClaimed.values())));
        Map<AccountId, Aggregate<EscrowAccount>> accounts = new TreeMap<>(Comparator.comparing(AccountId::value));
        batch.postings().forEach(posting -> accounts.put(posting.accountId(), null));
        locks.lockAll(accounts.keySet().stream().map(AccountId::value).toList());
        accounts.replaceAll((id, none) -> axon.repository(EscrowAccount.class).load(id.value()));
        lockOutflowsInInstitutionOrder(batch, accounts);
        InstitutionFunds funds = withinBatch(accounts);
        Map<String, Posting> storedNothing = new LinkedHashMap<>();
        Map<String, IdempotencyStore.Completion> completed = new LinkedHashMap<>();
        Set<String> released = new LinkedHashSet<>();
        Map<String, Answered> latestOfKey = new HashMap<>();
        List<ItemOutcome> outcomes = new ArrayList<>(batch.postings().size());
        for (Posting posting : batch.postings()) {
            String key = posting.idempotencyKey();
            Answered earlier = latestOfKey.get(key);
            ItemOutcome answer;
            if (earlier == null && bookedElsewhere.contains(posting)) {
                released.add(key);
                answer = ItemOutcome.conflict();
            } else if ((earlier == null && claims.claimed().contains(key)) || storedNothing.containsKey(key)) {
                // claimed by this batch; or an earlier item of the same id was refused, which (as when posted
                // alone) left nothing behind, so this one is decided afresh and, if applied, holds the claim
                answer = decide(posting, accounts, funds);
                if (answer.outcome() != null) {
                    completed.put(key, new IdempotencyStore.Completion(answer.outcome(), earlier == null ? null : posting));
                    released.remove(key);
                    storedNothing.remove(key);
                } else {
                    released.add(key);
                    storedNothing.put(key, posting);
                }
            } else if (earlier == null) {
                answer = replay(posting, claims.existing().get(key));
            } else {
                outcomes.add(repeatWithinBatch(posting, earlier));
                continue;
            }
            outcomes.add(answer);
            latestOfKey.put(key, new Answered(posting, answer));
        }
        idempotency.completeAll(completed);
        idempotency.releaseAll(List.copyOf(released));
        idempotency.releaseBankTxnIds(List.copyOf(storedNothing.values()));
        return outcomes;
    }

    /** The posting decided on its account: an outcome, or a refusal that stores nothing. */
    private static ItemOutcome decide(Posting posting, Map<AccountId, Aggregate<EscrowAccount>> accounts,
                                      InstitutionFunds funds) {
        try {
            return ItemOutcome.applied(accounts.get(posting.accountId()).invoke(state -> posting.decideOn(state, funds)),
                    false);
        } catch (LedgerRuleException refused) {
            return ItemOutcome.refused(refused.rejection(), refused.getMessage());
        }
    }

    private ItemOutcome replay(Posting posting, IdempotencyStore.StoredClaim stored) {
        try {
            return ItemOutcome.applied((PostingOutcome) idempotency.replayOf(posting, stored).outcome(), true);
        } catch (IdempotencyConflictException conflict) {
            return ItemOutcome.conflict();
        }
    }

    /** The item that last decided a client id in this batch, and what it was answered. */
    private record Answered(Posting posting, ItemOutcome answer) {
    }

    /**
     * The same client id again in one batch, after an item that was applied or answered a conflict: the
     * earlier answer again (as a replay) when the two are the same posting, a conflict otherwise. Nothing
     * is applied twice. (A repeat of a refused item is decided afresh instead, as it would be alone.)
     */
    private static ItemOutcome repeatWithinBatch(Posting posting, Answered earlier) {
        if (posting.equals(earlier.posting()) && earlier.answer().outcome() != null) {
            return ItemOutcome.applied(earlier.answer().outcome(), true);
        }
        return ItemOutcome.conflict();
    }

    /**
     * Takes the outflow locks of every institution this batch asks an outflow of, in identifier order,
     * before deciding any: two batches with outflows of the same institutions cannot wait for each other
     * in a circle.
     */
    private void lockOutflowsInInstitutionOrder(ApplyPostingBatch batch,
                                                Map<AccountId, Aggregate<EscrowAccount>> accounts) {
        TreeSet<String> institutions = new TreeSet<>();
        for (Posting posting : batch.postings()) {
            if (posting instanceof FloorJudgedOutflow) {
                institutions.add(accounts.get(posting.accountId()).invoke(EscrowAccount::institutionId));
            }
        }
        institutions.forEach(institutionFunds::lockOutflowsOf);
    }

    /**
     * The institution's other accounts as committed, except those this batch holds: for them their state
     * in this batch, which includes the batch's own earlier outflows not yet committed.
     */
    private InstitutionFunds withinBatch(Map<AccountId, Aggregate<EscrowAccount>> accounts) {
        return (institutionId, accountId) -> institutionFunds.otherAccounts(institutionId, accountId).stream()
                .map(other -> {
                    Aggregate<EscrowAccount> held = accounts.get(AccountId.of(other.accountId()));
                    return held == null ? other : held.invoke(EscrowAccount::funds);
                })
                .toList();
    }
}
