package cn.prepaid.ledger.store.commands;

import cn.prepaid.ledger.core.account.EscrowAccountCommand.DepositTuition;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.PostAdjustment;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.Posting;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.RecordBankFee;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.RecordInterest;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.RequestRefund;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.RequestRelease;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.RequestTransferOut;
import cn.prepaid.ledger.core.account.PostingOutcome;
import cn.prepaid.ledger.core.idempotency.IdempotencyConflictException;
import cn.prepaid.ledger.core.rules.LedgerRuleException;
import cn.prepaid.ledger.store.commands.ApplyPostingBatch.ItemOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.commandhandling.CommandBus;

import java.util.List;
import java.util.Map;

/**
 * The command dispatcher, counted for operators: postings by wire type and outcome ({@code ledger.postings}:
 * RECORDED, HELD, REJECTED…, REFUSED for a posting the rules refused before it was applied,
 * IDEMPOTENCY_CONFLICT for a client id used with other content; counted alike whether the posting came
 * alone, in a batch or in a group commit), answers that were idempotent replays
 * ({@code ledger.idempotent.replays}, by command) and commands run again after a lost race
 * ({@code ledger.commands.lost.races}). Each process counts what it answered; summed over processes they
 * count the ledger.
 */
public class MeteredCommandDispatcher extends CommandDispatcher {

    private static final Map<Class<?>, String> WIRE_TYPES = Map.of(DepositTuition.class, "DEPOSIT",
            RequestRelease.class, "RELEASE", RequestRefund.class, "REFUND", RequestTransferOut.class, "TRANSFER_OUT",
            RecordInterest.class, "INTEREST", RecordBankFee.class, "BANK_FEE", PostAdjustment.class, "ADJUSTMENT");

    private final MeterRegistry meters;

    public MeteredCommandDispatcher(CommandBus commandBus, MeterRegistry meters) {
        super(commandBus);
        this.meters = meters;
        Counter.builder("ledger.idempotent.replays").description("answers repeated for a client id already used")
                .tag("command", "Posting").register(meters);
        FunctionCounter.builder("ledger.commands.lost.races", this, CommandDispatcher::lostRacesRetried)
                .description("commands run again after losing a race for an aggregate to another thread or node")
                .register(meters);
    }

    @Override
    public <T> Outcome<T> dispatch(Object command) {
        Outcome<T> outcome;
        try {
            outcome = super.dispatch(command);
        } catch (LedgerRuleException | IdempotencyConflictException refused) {
            if (command instanceof Posting posting) {
                count(posting, refused instanceof LedgerRuleException ? "REFUSED" : "IDEMPOTENCY_CONFLICT", false);
            }
            throw refused;
        }
        if (command instanceof Posting posting && outcome.payload() instanceof PostingOutcome result) {
            count(posting, result.status().name(), outcome.replayed());
        } else if (command instanceof ApplyPostingBatch batch && outcome.payload() instanceof List<?> items) {
            for (int i = 0; i < items.size(); i++) {
                ItemOutcome item = (ItemOutcome) items.get(i);
                String status = item.outcome() != null ? item.outcome().status().name()
                        : item.idempotencyConflict() ? "IDEMPOTENCY_CONFLICT" : "REFUSED";
                count(batch.postings().get(i), status, item.replayed());
            }
        } else if (outcome.replayed()) {
            replayed(command.getClass().getSimpleName());
        }
        return outcome;
    }

    private void count(Posting posting, String outcome, boolean replayed) {
        if (replayed) {
            replayed("Posting");
            return;
        }
        Counter.builder("ledger.postings").description("postings applied, by wire type and outcome")
                .tag("type", wireType(posting)).tag("outcome", outcome).register(meters).increment();
    }

    private void replayed(String command) {
        Counter.builder("ledger.idempotent.replays").description("answers repeated for a client id already used")
                .tag("command", command).register(meters).increment();
    }

    private static String wireType(Posting posting) {
        return WIRE_TYPES.getOrDefault(posting.getClass(), posting.getClass().getSimpleName());
    }
}
