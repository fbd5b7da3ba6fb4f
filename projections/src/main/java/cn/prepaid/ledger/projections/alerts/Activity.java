package cn.prepaid.ledger.projections.alerts;

import cn.prepaid.ledger.core.account.EscrowAccountEvent;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.AdjustmentPosted;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.BankFeeCharged;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.BookedOutflow;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.FundsReleased;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.FundsTransferredOut;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.InterestCredited;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.LessonsConsumed;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.MoneyMovement;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.OutflowRejected;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.TuitionDeposited;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.TuitionRefunded;

import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** One fact in an account's history as the rules look back over it. */
public record Activity(long sequence, Instant occurredAt, Kind kind, long amountFen, long signedFen) {

    /**
     * The kinds of fact, each the history of one event type; the names are stored in {@code alert_activity}.
     * Every {@link MoneyMovement} must have its kind (a movement without one fails loudly when it arrives,
     * and {@code EventClassificationTest} fails first); whether a kind moves money or is an outflow is its event
     * type's answer.
     */
    public enum Kind {
        DEPOSIT(TuitionDeposited.class),
        RELEASE(FundsReleased.class),
        REFUND(TuitionRefunded.class),
        TRANSFER_OUT(FundsTransferredOut.class),
        INTEREST(InterestCredited.class),
        BANK_FEE(BankFeeCharged.class),
        ADJUSTMENT(AdjustmentPosted.class),
        CONSUMPTION(LessonsConsumed.class),
        OUTFLOW_REJECTED(OutflowRejected.class);

        private static final Map<Class<?>, Kind> BY_EVENT_TYPE = Arrays.stream(values())
                .collect(Collectors.toUnmodifiableMap(kind -> kind.eventType, Function.identity()));

        private final Class<? extends EscrowAccountEvent> eventType;

        Kind(Class<? extends EscrowAccountEvent> eventType) {
            this.eventType = eventType;
        }

        public Class<? extends EscrowAccountEvent> eventType() {
            return eventType;
        }

        /** Money the institution's side takes out of escrow: a {@link BookedOutflow}. */
        public boolean isOutflow() {
            return BookedOutflow.class.isAssignableFrom(eventType);
        }

        /** A fact that moved the balance: a {@link MoneyMovement}. */
        public boolean movesMoney() {
            return MoneyMovement.class.isAssignableFrom(eventType);
        }
    }

    /** The fact an event adds to the account's history; empty for events the rules do not look back over. */
    public static Optional<Activity> of(EscrowAccountEvent event, long sequence) {
        Kind kind = Kind.BY_EVENT_TYPE.get(event.getClass());
        if (event instanceof MoneyMovement moved) {
            if (kind == null) {
                throw new IllegalStateException(event.getClass().getSimpleName() + " moves money but has no "
                        + "Activity.Kind: the rules would not see it");
            }
            return Optional.of(new Activity(sequence, event.occurredAt(), kind, Math.abs(moved.signedFen()),
                    moved.signedFen()));
        } else if (event instanceof LessonsConsumed consumed) {
            return Optional.of(new Activity(sequence, event.occurredAt(), kind, consumed.consumedValueFen(), 0));
        } else if (event instanceof OutflowRejected rejected) {
            return Optional.of(new Activity(sequence, event.occurredAt(), kind, rejected.amountFen(), 0));
        }
        return Optional.empty();
    }

    /** The kind of fact an event adds to the history, if any. */
    public static Optional<Kind> kindOf(EscrowAccountEvent event) {
        return of(event, 0).map(Activity::kind);
    }
}
