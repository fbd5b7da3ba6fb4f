package cn.prepaid.ledger.sim.traffic;

import java.time.Instant;

/**
 * One request of the simulated term, planned before it is sent: who sends it, what, and what the
 * ledger must answer. {@code chain} names the requests that must go one after another (an account's,
 * or an institution's during set-up); different chains may run concurrently.
 *
 * @param body               the request's model in the client generated from docs/openapi.json
 *                           ({@code RegisterInstitutionRequest}, {@code PostingRequest}…), or null for an approval
 * @param expectedBalanceFen the balance a posting's answer must show, or null
 * @param fact               what the posting means to the alert rules (see {@link RuleOracle}), or null
 */
record Action(int day, Phase phase, String chain, String principal, String method, String path,
              Object body, String institutionId, String accountId, String clientId, int expectedStatus,
              Long expectedBalanceFen, Fact fact) {

    /** Phases of a simulated day, in the order they run; each waits for the previous one to finish. */
    enum Phase {
        SETUP, REGULATOR, PLATFORM, BANK_BATCH, BANK_SINGLE, STATEMENT
    }

    /** What a request changes in the account as the alert rules see it. */
    record Fact(Kind kind, Instant occurredAt, long amountFen, boolean capBreach, long minimumBalanceFen) {
    }

    enum Kind {
        DEPOSIT, CONSUMPTION, RELEASE, REFUND, INTEREST, BANK_FEE, OUTFLOW_REJECTED, STATEMENT_MISMATCH, POLICY;

        boolean isOutflow() {
            return this == RELEASE || this == REFUND;
        }

        /** Signed effect on the balance of {@code amountFen}. */
        long signed(long amountFen) {
            return switch (this) {
                case DEPOSIT, INTEREST -> amountFen;
                case RELEASE, REFUND, BANK_FEE -> -amountFen;
                default -> 0;
            };
        }
    }

    /** The order a lesson confirmation is for, as its path ({@code …/orders/{orderId}/consumptions}) names it. */
    String orderId() {
        return path.substring(path.indexOf("/orders/") + "/orders/".length(), path.lastIndexOf('/'));
    }

    boolean batched() {
        return phase == Phase.BANK_BATCH;
    }
}
