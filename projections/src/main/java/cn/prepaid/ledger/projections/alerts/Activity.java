package cn.prepaid.ledger.projections.alerts;

import cn.prepaid.ledger.core.account.EscrowAccountEvent;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.AdjustmentPosted;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.BankFeeCharged;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.FundsReleased;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.FundsTransferredOut;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.InterestCredited;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.LessonsConsumed;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.OutflowRejected;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.TuitionDeposited;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.TuitionRefunded;

import java.time.Instant;
import java.util.Optional;

/** One fact in an account's history as the rules look back over it. */
public record Activity(long sequence, Instant occurredAt, Kind kind, long amountFen, long signedFen) {

    public enum Kind {
        DEPOSIT, RELEASE, REFUND, TRANSFER_OUT, INTEREST, BANK_FEE, ADJUSTMENT, CONSUMPTION, OUTFLOW_REJECTED;

        /** Money the institution's side takes out of escrow: releases, refunds and transfers (not bank fees). */
        public boolean isOutflow() {
            return this == RELEASE || this == REFUND || this == TRANSFER_OUT;
        }
    }

    /** The fact an event adds to the account's history; empty for events the rules do not look back over. */
    public static Optional<Activity> of(EscrowAccountEvent event, long sequence) {
        Instant at = event.occurredAt();
        Activity activity = null;
        if (event instanceof TuitionDeposited e) {
            activity = new Activity(sequence, at, Kind.DEPOSIT, e.amountFen(), e.amountFen());
        } else if (event instanceof FundsReleased e) {
            activity = new Activity(sequence, at, Kind.RELEASE, e.amountFen(), -e.amountFen());
        } else if (event instanceof TuitionRefunded e) {
            activity = new Activity(sequence, at, Kind.REFUND, e.amountFen(), -e.amountFen());
        } else if (event instanceof FundsTransferredOut e) {
            activity = new Activity(sequence, at, Kind.TRANSFER_OUT, e.amountFen(), -e.amountFen());
        } else if (event instanceof InterestCredited e) {
            activity = new Activity(sequence, at, Kind.INTEREST, e.amountFen(), e.amountFen());
        } else if (event instanceof BankFeeCharged e) {
            activity = new Activity(sequence, at, Kind.BANK_FEE, e.amountFen(), -e.amountFen());
        } else if (event instanceof AdjustmentPosted e) {
            activity = new Activity(sequence, at, Kind.ADJUSTMENT, Math.abs(e.amountFen()), e.amountFen());
        } else if (event instanceof LessonsConsumed e) {
            activity = new Activity(sequence, at, Kind.CONSUMPTION, e.consumedValueFen(), 0);
        } else if (event instanceof OutflowRejected e) {
            activity = new Activity(sequence, at, Kind.OUTFLOW_REJECTED, e.amountFen(), 0);
        }
        return Optional.ofNullable(activity);
    }

    /** The kind of fact an event adds to the history, if any. */
    public static Optional<Kind> kindOf(EscrowAccountEvent event) {
        return of(event, 0).map(Activity::kind);
    }
}
