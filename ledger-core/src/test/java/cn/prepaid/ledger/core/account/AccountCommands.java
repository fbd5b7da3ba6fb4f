package cn.prepaid.ledger.core.account;

import cn.prepaid.ledger.core.account.EscrowAccountCommand.ApplyInstitutionClosure;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.ApplySupervisionTerms;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.ApproveHeldOutflow;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.ConsumeLessons;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.DepositTuition;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.FreezeAccount;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.PostAdjustment;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.ReconcileStatement;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.RecordBankFee;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.RecordInterest;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.RejectHeldOutflow;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.RequestRefund;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.RequestRelease;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.RequestTransferOut;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.UnfreezeAccount;
import cn.prepaid.ledger.core.ids.BankTxnId;
import cn.prepaid.ledger.core.ids.ConsumptionId;
import cn.prepaid.ledger.core.ids.HeldOutflowId;
import cn.prepaid.ledger.core.ids.OrderId;
import cn.prepaid.ledger.core.ids.RegionCode;
import cn.prepaid.ledger.core.institution.InstitutionStatus;
import cn.prepaid.ledger.core.institution.SupervisionTerms;
import cn.prepaid.ledger.core.money.Money;
import cn.prepaid.ledger.core.policy.SupervisionMode;
import cn.prepaid.ledger.core.policy.SupervisionPolicy;

import java.time.Instant;
import java.time.LocalDate;

import static cn.prepaid.ledger.core.account.AccountHistory.ACCOUNT;
import static cn.prepaid.ledger.core.account.AccountHistory.COURSE_END;
import static cn.prepaid.ledger.core.account.AccountHistory.COURSE_START;
import static cn.prepaid.ledger.core.account.AccountHistory.REGION;
import static cn.prepaid.ledger.core.account.AccountHistory.T0;

/** Commands to the account under test ({@link AccountHistory#ACCOUNT}), sent at {@link #T1} unless told. */
final class AccountCommands {

    /** An hour after the given history: 11:00 on 1 March 2024 in Shanghai. */
    static final Instant T1 = T0.plusSeconds(3600);

    private AccountCommands() {
    }

    static DepositTuition deposit(String txn, String order, int lessons, String price) {
        Money amount = Money.parse(price).times(lessons);
        return deposit(txn, order, amount.toWire(), lessons, price, COURSE_START, COURSE_END);
    }

    static DepositTuition deposit(String txn, String order, String amount, int lessons, String price,
                                  LocalDate start, LocalDate end) {
        return new DepositTuition(ACCOUNT, BankTxnId.of(txn), Money.parse(amount), OrderId.of(order), "STU-" + order,
                lessons, Money.parse(price), start, end, T1);
    }

    static ConsumeLessons consume(String consumptionId, String order, int lessons) {
        return new ConsumeLessons(ACCOUNT, OrderId.of(order), ConsumptionId.of(consumptionId), lessons, T1);
    }

    static RequestRelease release(String txn, String amount, String order) {
        return new RequestRelease(ACCOUNT, BankTxnId.of(txn), Money.parse(amount), OrderId.of(order), T1);
    }

    static RequestRefund refund(String txn, String amount, String order) {
        return new RequestRefund(ACCOUNT, BankTxnId.of(txn), Money.parse(amount), OrderId.of(order), T1);
    }

    static RequestTransferOut transferOut(String txn, String amount) {
        return new RequestTransferOut(ACCOUNT, BankTxnId.of(txn), Money.parse(amount), "Institution basic account",
                "interest sweep", T1);
    }

    static RecordInterest interest(String txn, String amount) {
        return new RecordInterest(ACCOUNT, BankTxnId.of(txn), Money.parse(amount), "quarterly interest", T1);
    }

    static RecordBankFee fee(String txn, String amount) {
        return new RecordBankFee(ACCOUNT, BankTxnId.of(txn), Money.parse(amount), "account fee", T1);
    }

    static PostAdjustment adjustment(String txn, String amount) {
        return new PostAdjustment(ACCOUNT, BankTxnId.of(txn), Money.parse(amount), "correction", T1);
    }

    static ApproveHeldOutflow approve(String heldOutflowId) {
        return new ApproveHeldOutflow(ACCOUNT, HeldOutflowId.of(heldOutflowId), "regulator-1", "ok", T1);
    }

    static RejectHeldOutflow rejectHeld(String heldOutflowId) {
        return new RejectHeldOutflow(ACCOUNT, HeldOutflowId.of(heldOutflowId), "regulator-1", "not justified", T1);
    }

    static FreezeAccount freeze() {
        return new FreezeAccount(ACCOUNT, "investigation", "regulator-1", T1);
    }

    static UnfreezeAccount unfreeze() {
        return new UnfreezeAccount(ACCOUNT, "cleared", "regulator-1", T1);
    }

    static ReconcileStatement statement(String statementId, LocalDate date, String closingBalance, int count) {
        return new ReconcileStatement(ACCOUNT, statementId, date, Money.parse(closingBalance), count);
    }

    static ApplySupervisionTerms terms(InstitutionStatus status, SupervisionMode mode, SupervisionPolicy policy) {
        return new ApplySupervisionTerms(ACCOUNT, new SupervisionTerms(RegionCode.of(REGION), status, mode, policy), T1);
    }

    static ApplySupervisionTerms fullCustodyTerms(InstitutionStatus status) {
        return terms(status, SupervisionMode.FULL_CUSTODY, SupervisionPolicy.defaultsFor(SupervisionMode.FULL_CUSTODY));
    }

    static ApplyInstitutionClosure closure() {
        return new ApplyInstitutionClosure(ACCOUNT, "terminated", T1);
    }
}
