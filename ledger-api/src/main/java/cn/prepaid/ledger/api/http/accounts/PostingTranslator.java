package cn.prepaid.ledger.api.http.accounts;

import cn.prepaid.ledger.api.http.ApiProblem;
import cn.prepaid.ledger.api.http.WireFields;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.DepositTuition;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.PostAdjustment;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.Posting;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.RecordBankFee;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.RecordInterest;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.RequestRefund;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.RequestRelease;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.RequestTransferOut;
import cn.prepaid.ledger.core.ids.AccountId;
import cn.prepaid.ledger.core.ids.BankTxnId;
import cn.prepaid.ledger.core.ids.ClientIds;
import cn.prepaid.ledger.core.ids.OrderId;
import cn.prepaid.ledger.core.money.Money;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Reads one bank posting off the wire into its command, or refuses it with every field problem at
 * once. Fields that belong to another posting type are refused too: a misplaced orderId on a fee
 * is a bank bug worth hearing about.
 */
public final class PostingTranslator {

    public enum Type { DEPOSIT, RELEASE, REFUND, TRANSFER_OUT, INTEREST, BANK_FEE, ADJUSTMENT }

    static final int MAX_LESSONS_PER_ORDER = 10_000;
    private static final int MAX_TEXT = 200;

    private final Clock clock;

    public PostingTranslator(Clock clock) {
        this.clock = clock;
    }

    /**
     * @param prefix field-name prefix for problems ("" for a single posting, "transactions[3]." in a batch)
     */
    public Posting toCommand(AccountId account, AccountRequests.Posting body, String prefix) {
        WireFields fields = new WireFields(prefix, clock);
        String bankTxnId = fields.clientId("bankTxnId", body.bankTxnId());
        Type type = fields.oneOf("type", body.type(), Type.class);
        Money amount = fields.amount("amount", body.amount(), type == Type.ADJUSTMENT);
        fields.currency("currency", body.currency());
        Instant occurredAt = fields.occurredAt("occurredAt", body.occurredAt());
        if (type == null) {
            fields.throwIfInvalid();
        }
        String notForThisType = "is not a field of a " + type + " posting";
        boolean orderPosting = type == Type.DEPOSIT || type == Type.RELEASE || type == Type.REFUND;
        String orderId = orderPosting ? fields.clientId("orderId", body.orderId()) : null;
        if (!orderPosting) {
            fields.absent("orderId", body.orderId(), notForThisType);
        }
        if (type != Type.DEPOSIT) {
            fields.absent("studentRef", body.studentRef(), notForThisType);
            fields.absent("lessons", body.lessons(), notForThisType);
            fields.absent("lessonPrice", body.lessonPrice(), notForThisType);
            fields.absent("courseStart", body.courseStart(), notForThisType);
            fields.absent("courseEnd", body.courseEnd(), notForThisType);
        }
        if (type != Type.TRANSFER_OUT) {
            fields.absent("counterparty", body.counterparty(), notForThisType);
            fields.absent("purpose", body.purpose(), notForThisType);
        }
        if (type != Type.INTEREST && type != Type.BANK_FEE && type != Type.ADJUSTMENT) {
            fields.absent("memo", body.memo(), notForThisType);
        }

        Posting command = switch (type) {
            case DEPOSIT -> deposit(account, body, fields, bankTxnId, amount, orderId, occurredAt);
            case RELEASE -> fields.valid() ? new RequestRelease(account, BankTxnId.of(bankTxnId), amount,
                    OrderId.of(orderId), occurredAt) : null;
            case REFUND -> fields.valid() ? new RequestRefund(account, BankTxnId.of(bankTxnId), amount,
                    OrderId.of(orderId), occurredAt) : null;
            case TRANSFER_OUT -> {
                String counterparty = fields.text("counterparty", body.counterparty(), MAX_TEXT);
                String purpose = fields.text("purpose", body.purpose(), MAX_TEXT);
                yield fields.valid() ? new RequestTransferOut(account, BankTxnId.of(bankTxnId), amount, counterparty,
                        purpose, occurredAt) : null;
            }
            case INTEREST -> {
                String memo = fields.optionalText("memo", body.memo(), MAX_TEXT);
                yield fields.valid() ? new RecordInterest(account, BankTxnId.of(bankTxnId), amount, memo, occurredAt)
                        : null;
            }
            case BANK_FEE -> {
                String memo = fields.optionalText("memo", body.memo(), MAX_TEXT);
                yield fields.valid() ? new RecordBankFee(account, BankTxnId.of(bankTxnId), amount, memo, occurredAt)
                        : null;
            }
            case ADJUSTMENT -> {
                String memo = fields.optionalText("memo", body.memo(), MAX_TEXT);
                yield fields.valid() ? new PostAdjustment(account, BankTxnId.of(bankTxnId), amount, memo, occurredAt)
                        : null;
            }
        };
        fields.throwIfInvalid();
        return command;
    }

    private static DepositTuition deposit(AccountId account, AccountRequests.Posting body, WireFields fields,
                                          String bankTxnId, Money amount, String orderId, Instant occurredAt) {
        String studentRef = fields.text("studentRef", body.studentRef(), 64);
        Integer lessons = fields.positiveInt("lessons", body.lessons(), MAX_LESSONS_PER_ORDER);
        Money lessonPrice = fields.amount("lessonPrice", body.lessonPrice(), false);
        LocalDate courseStart = fields.date("courseStart", body.courseStart());
        LocalDate courseEnd = fields.date("courseEnd", body.courseEnd());
        if (amount != null && lessons != null && lessonPrice != null
                && !DepositTuition.amountMatches(amount, lessons, lessonPrice)) {
            fields.problem("amount", "must equal lessons x lessonPrice = " + lessonPrice.times(lessons),
                    "AMOUNT_MISMATCH");
        }
        if (courseStart != null && courseEnd != null && courseEnd.isBefore(courseStart)) {
            fields.problem("courseEnd", "is before courseStart", "VALIDATION_FAILED");
        }
        if (!fields.valid()) {
            return null;
        }
        return new DepositTuition(account, BankTxnId.of(bankTxnId), amount, OrderId.of(orderId), studentRef, lessons,
                lessonPrice, courseStart, courseEnd, occurredAt);
    }

    /** The account a batch item names, or a 400 for that item. */
    public static AccountId batchAccount(AccountRequests.Posting body, String prefix) {
        if (body.accountId() == null || body.accountId().isBlank()) {
            throw ApiProblem.invalid(prefix + "accountId", "is required in a batch item", "VALIDATION_FAILED");
        }
        if (!ClientIds.isValid(body.accountId())) {
            throw ApiProblem.notFound("ACCOUNT_NOT_FOUND", "no account " + body.accountId());
        }
        return AccountId.of(body.accountId());
    }
}
