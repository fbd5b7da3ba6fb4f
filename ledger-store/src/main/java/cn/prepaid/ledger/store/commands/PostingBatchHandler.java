package cn.prepaid.ledger.store.commands;

import cn.prepaid.ledger.core.account.EscrowAccount;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.FloorJudgedOutflow;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.Posting;
import cn.prepaid.ledger.core.account.InstitutionFunds;
import cn.prepaid.ledger.core.account.PostingOutcome;
import cn.prepaid.ledger.core.idempotency.IdempotencyConflictException;
import cn.prepaid.ledger.core.ids.AccountId;
import cn.prepaid.ledger.core.rules.LedgerRuleException;
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
 * <p>Accounts are loaded, and so locked, in identifier order, so two batches sharing accounts cannot
 * wait for each other in a circle. A race lost to another node on any account undoes the whole
 * transaction and the command runs again ({@link CommandDispatcher}).
 */
public class PostingBatchHandler {

    private final Configuration axon;
    private final IdempotencyStore idempotency;
    private final CommittedInstitutionFunds institutionFunds;

    public PostingBatchHandler(Configuration axon, IdempotencyStore idempotency,
                               CommittedInstitutionFunds institutionFunds) {
        this.axon = axon;
        this.idempotency = idempotency;
        this.institutionFunds = institutionFunds;
    }

    @CommandHandler
    public List<ItemOutcome> handle(ApplyPostingBatch batch) {
        Map<AccountId, Aggregate<EscrowAccount>> accounts = new TreeMap<>(Comparator.comparing(AccountId::value));
        batch.postings().forEach(posting -> accounts.put(posting.accountId(), null));
        accounts.replaceAll((id, none) -> axon.repository(EscrowAccount.class).load(id.value()));
        lockOutflowsInInstitutionOrder(batch, accounts);
        InstitutionFunds funds = withinBatch(accounts);
        // All keys are claimed in one statement; outcomes and released claims are written in one round trip each.
        IdempotencyStore.BatchClaims claims = idempotency.claimAll(batch.postings());
        Map<String, Posting> firstClaimed = new LinkedHashMap<>();
        batch.postings().stream().filter(posting -> claims.claimed().contains(posting.idempotencyKey()))
                .forEach(posting -> firstClaimed.putIfAbsent(posting.idempotencyKey(), posting));
        Set<Posting> bookedElsewhere = new HashSet<>(idempotency.claimBankTxnIds(List.copyOf(firstClaimed.values())));
        List<Posting> storedNothing = new ArrayList<>();
        Map<String, Object> completed = new LinkedHashMap<>();
        List<String> released = new ArrayList<>();
        Map<String, Posting> firstOfKey = new HashMap<>();
        Map<String, ItemOutcome> firstAnswers = new HashMap<>();
        List<ItemOutcome> outcomes = new ArrayList<>(batch.postings().size());
        for (Posting posting : batch.postings()) {
            String key = posting.idempotencyKey();
            Posting first = firstOfKey.putIfAbsent(key, posting);
            if (first == null && bookedElsewhere.contains(posting)) {
                released.add(key);
                outcomes.add(ItemOutcome.conflict());
            } else if (first == null && claims.claimed().contains(key)) {
                try {
                    PostingOutcome outcome = accounts.get(posting.accountId())
                            .invoke(state -> posting.decideOn(state, funds));
                    completed.put(key, outcome);
                    outcomes.add(ItemOutcome.applied(outcome, false));
                } catch (LedgerRuleException refused) {
                    released.add(key);
                    storedNothing.add(posting);
                    outcomes.add(ItemOutcome.refused(refused.rejection(), refused.getMessage()));
                }
            } else if (first == null) {
                try {
                    IdempotencyStore.Replay replay = idempotency.replayOf(posting, claims.existing().get(key));
                    outcomes.add(ItemOutcome.applied((PostingOutcome) replay.outcome(), true));
                } catch (IdempotencyConflictException conflict) {
                    outcomes.add(ItemOutcome.conflict());
                }
            } else {
                outcomes.add(repeatWithinBatch(posting, first, firstAnswers.get(key)));
                continue;
            }
            firstAnswers.put(key, outcomes.get(outcomes.size() - 1));
        }
        idempotency.completeAll(completed);
        idempotency.releaseAll(released);
        idempotency.releaseBankTxnIds(storedNothing);
        return outcomes;
    }

    /**
     * The same client id twice in one batch: the second gets the first's answer again (as a replay when
     * it was applied), or a conflict when the two differ. Nothing is applied twice.
     */
    private static ItemOutcome repeatWithinBatch(Posting posting, Posting first, ItemOutcome firstAnswer) {
        if (!posting.equals(first) || firstAnswer.idempotencyConflict()) {
            return ItemOutcome.conflict();
        }
        if (firstAnswer.outcome() != null) {
            return ItemOutcome.applied(firstAnswer.outcome(), true);
        }
        return firstAnswer;
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
