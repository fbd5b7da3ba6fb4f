package cn.prepaid.ledger.core.account;

/** The net balance change and number of postings booked on one Asia/Shanghai day, by occurredAt. */
record DayTotals(long netFen, int postings) {

    DayTotals add(long amountFen) {
        return new DayTotals(Math.addExact(netFen, amountFen), postings + 1);
    }
}
