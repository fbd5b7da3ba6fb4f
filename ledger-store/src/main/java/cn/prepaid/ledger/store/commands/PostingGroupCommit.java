package cn.prepaid.ledger.store.commands;

import cn.prepaid.ledger.core.account.EscrowAccountCommand.Posting;
import cn.prepaid.ledger.core.account.PostingOutcome;
import cn.prepaid.ledger.core.idempotency.IdempotencyConflictException;
import cn.prepaid.ledger.core.rules.LedgerRuleException;
import cn.prepaid.ledger.store.commands.ApplyPostingBatch.ItemOutcome;
import cn.prepaid.ledger.store.commands.CommandDispatcher.Outcome;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Group commit for single postings: postings that arrive while the committers are busy wait together
 * and are then applied as one {@link ApplyPostingBatch}, in one transaction with one commit (one WAL
 * flush, one NOTIFY) and one load of each account, instead of a transaction each. A posting that finds
 * a committer idle is applied alone, exactly as before, so one writer sees no difference.
 *
 * <p>Each posting of a group keeps what it would have had alone: its client id is claimed and replayed
 * on its own, a refusal refuses it and no other (it gets the same exception it would have got alone),
 * postings to one account are decided in the order they arrived, and its answer comes only after the
 * group's commit, so an acknowledged posting is as durable as before. Should the group's transaction
 * fail as a whole (an unknown account, a database that went away), every posting of it is run again
 * alone: its client id makes that safe whether or not the group's commit reached the disk, and each
 * gets the answer or failure it would have had alone.
 *
 * <p>Nothing here decides across nodes: the group's transaction takes the same account locks as any
 * batch, so groups of several nodes, and their own batches, serialise per account in the database.
 */
public class PostingGroupCommit implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PostingGroupCommit.class);

    private final CommandDispatcher commands;
    private final int maxGroup;
    private final LinkedBlockingQueue<Waiting> waiting = new LinkedBlockingQueue<>();
    private final List<Thread> committers = new ArrayList<>();
    private final DistributionSummary groupSizes;
    private volatile boolean closed;

    private record Waiting(Posting posting, CompletableFuture<Outcome<PostingOutcome>> answer) {
    }

    /**
     * @param committers how many groups may be in their transaction at once (each on its own connection)
     * @param maxGroup   the most postings one transaction takes
     */
    public PostingGroupCommit(CommandDispatcher commands, MeterRegistry meters, int committers, int maxGroup) {
        if (committers < 1 || maxGroup < 1) {
            throw new IllegalArgumentException("group commit needs at least one committer and one posting per group");
        }
        this.commands = commands;
        this.maxGroup = maxGroup;
        this.groupSizes = DistributionSummary.builder("ledger.postings.group.size")
                .description("single postings committed together in one transaction").register(meters);
        for (int i = 1; i <= committers; i++) {
            Thread committer = new Thread(this::commitWhileOpen, "posting-group-commit-" + i);
            committer.setDaemon(true);
            committer.start();
            this.committers.add(committer);
        }
    }

    /**
     * Applies {@code posting} (in a group if others wait with it) and answers as
     * {@link CommandDispatcher#dispatch} would for it alone, failures included.
     */
    public Outcome<PostingOutcome> post(Posting posting) {
        if (closed || TransactionSynchronizationManager.isActualTransactionActive()) {
            return commands.dispatch(posting); // inside a caller's transaction it belongs to that transaction
        }
        Waiting entry = new Waiting(posting, new CompletableFuture<>());
        waiting.add(entry);
        if (closed && waiting.remove(entry)) {
            return commands.dispatch(posting); // closed while queueing: no committer will take it
        }
        try {
            return entry.answer().join();
        } catch (CompletionException failed) {
            throw CommandDispatcher.unchecked(failed.getCause());
        }
    }

    /** Postings waiting for a committer now (for tests and operators). */
    public int waiting() {
        return waiting.size();
    }

    private void commitWhileOpen() {
        List<Waiting> group = new ArrayList<>(maxGroup);
        while (!closed || !waiting.isEmpty()) {
            try {
                Waiting first = waiting.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                waiting.drainTo(group, maxGroup - 1);
                commit(group);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error unexpected) {
                log.error("a posting group failed outside its postings' own handling", unexpected);
                group.forEach(entry -> entry.answer().completeExceptionally(unexpected));
            } finally {
                group.clear();
            }
        }
    }

    private void commit(List<Waiting> group) {
        groupSizes.record(group.size());
        if (group.size() == 1) {
            alone(group.get(0));
            return;
        }
        List<ItemOutcome> outcomes;
        try {
            outcomes = commands.<List<ItemOutcome>>dispatch(
                    new ApplyPostingBatch(group.stream().map(Waiting::posting).toList())).payload();
        } catch (RuntimeException groupFailed) {
            log.debug("a group of {} postings failed as a whole ({}); each runs alone", group.size(),
                    groupFailed.toString());
            group.forEach(PostingGroupCommit.this::alone);
            return;
        }
        for (int i = 0; i < group.size(); i++) {
            answer(group.get(i), outcomes.get(i));
        }
    }

    private void alone(Waiting entry) {
        try {
            entry.answer().complete(commands.dispatch(entry.posting()));
        } catch (RuntimeException | Error failed) {
            entry.answer().completeExceptionally(failed);
        }
    }

    /** A batch item's fate, answered as the posting alone would have been: an outcome or the same exception. */
    private static void answer(Waiting entry, ItemOutcome item) {
        if (item.idempotencyConflict()) {
            entry.answer().completeExceptionally(new IdempotencyConflictException(entry.posting().idempotencyKey()));
        } else if (item.refusal() != null) {
            entry.answer().completeExceptionally(new LedgerRuleException(item.refusal(), item.detail()));
        } else {
            entry.answer().complete(new Outcome<>(item.outcome(), item.replayed()));
        }
    }

    /** Stops taking new groups; postings already waiting are still committed. */
    @Override
    public void close() throws InterruptedException {
        closed = true;
        for (Thread committer : committers) {
            committer.join(TimeUnit.SECONDS.toMillis(30));
        }
    }
}
