package cn.prepaid.ledger.store.commands;

import cn.prepaid.ledger.core.account.EscrowAccountCommand.Posting;
import cn.prepaid.ledger.core.account.PostingOutcome;
import cn.prepaid.ledger.core.rules.LedgerRejection;

import java.util.List;

/**
 * Postings for one or more accounts, applied in one transaction with one load per account. Each keeps
 * its own idempotency and its own outcome, exactly as if it had been posted alone.
 */
public record ApplyPostingBatch(List<Posting> postings) {

    /** One posting's fate: an outcome (perhaps replayed), a refusal that stored nothing, or an id conflict. */
    public record ItemOutcome(PostingOutcome outcome, boolean replayed, LedgerRejection refusal, String detail,
                              boolean idempotencyConflict) {

        static ItemOutcome applied(PostingOutcome outcome, boolean replayed) {
            return new ItemOutcome(outcome, replayed, null, null, false);
        }

        static ItemOutcome refused(LedgerRejection refusal, String detail) {
            return new ItemOutcome(null, false, refusal, detail, false);
        }

        static ItemOutcome conflict() {
            return new ItemOutcome(null, false, null, null, true);
        }
    }
}
