package cn.prepaid.ledger.api.http.accounts;

import cn.prepaid.ledger.api.http.ApiProblem;
import cn.prepaid.ledger.api.http.DomainProblems;
import cn.prepaid.ledger.core.account.PostingOutcome;
import cn.prepaid.ledger.core.idempotency.IdempotencyConflictException;
import cn.prepaid.ledger.core.money.Money;
import cn.prepaid.ledger.core.rules.LedgerRuleException;
import cn.prepaid.ledger.store.commands.ApplyPostingBatch.ItemOutcome;
import cn.prepaid.ledger.store.commands.CommandDispatcher.Outcome;
import org.axonframework.modelling.command.ConcurrencyException;
import org.springframework.http.HttpStatus;

import java.util.LinkedHashMap;
import java.util.Map;

/** How a posting's outcome is answered: the same for a single posting and for a batch item. */
final class PostingAnswers {

    static final String REPLAY_HEADER = "Idempotent-Replay";

    private PostingAnswers() {
    }

    record Answer(int status, Object body, boolean replayed) {
    }

    static Answer of(Outcome<PostingOutcome> outcome) {
        PostingOutcome posting = outcome.payload();
        return switch (posting.status()) {
            case HELD -> new Answer(HttpStatus.ACCEPTED.value(), AccountViews.Posting.of(posting), outcome.replayed());
            case REJECTED -> {
                Map<String, Object> more = new LinkedHashMap<>();
                more.put("bankTxnId", posting.bankTxnId());
                more.put("balance", Money.ofFen(posting.balanceFen()).toWire());
                ApiProblem refused = ApiProblem.refused("OUTFLOW_REJECTED", posting.rejection().name(),
                        posting.detail(), more);
                yield new Answer(refused.status().value(), refused.body(), outcome.replayed());
            }
            default -> new Answer(HttpStatus.CREATED.value(), AccountViews.Posting.of(posting), outcome.replayed());
        };
    }

    static Answer of(ItemOutcome item) {
        if (item.idempotencyConflict()) {
            return answer(ApiProblem.idempotencyConflict());
        }
        if (item.refusal() != null) {
            return answer(DomainProblems.of(item.refusal(), item.detail()));
        }
        return of(new Outcome<>(item.outcome(), item.replayed()));
    }

    /** A batch item's failure as the single endpoint would have answered it; anything else is not an item's fault. */
    static Answer failure(RuntimeException failure) {
        ApiProblem problem;
        if (failure instanceof ApiProblem apiProblem) {
            problem = apiProblem;
        } else if (failure instanceof LedgerRuleException refused) {
            problem = DomainProblems.of(refused);
        } else if (failure instanceof IdempotencyConflictException) {
            problem = ApiProblem.idempotencyConflict();
        } else if (failure instanceof ConcurrencyException) {
            problem = ApiProblem.busy();
        } else {
            throw failure;
        }
        return answer(problem);
    }

    private static Answer answer(ApiProblem problem) {
        return new Answer(problem.status().value(), problem.body(), false);
    }
}
