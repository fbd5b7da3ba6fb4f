package cn.prepaid.ledger.projections.alerts;

import java.time.Instant;

/** One fact in an account's history as the rules look back over it. */
public record Activity(long sequence, Instant occurredAt, Kind kind, long amountFen, long signedFen) {

    public enum Kind {
        DEPOSIT, RELEASE, REFUND, TRANSFER_OUT, INTEREST, BANK_FEE, ADJUSTMENT, CONSUMPTION, OUTFLOW_REJECTED;

        /** Money the institution's side takes out of escrow: releases, refunds and transfers (not bank fees). */
        public boolean isOutflow() {
            return this == RELEASE || this == REFUND || this == TRANSFER_OUT;
        }
    }
}
