package cn.prepaid.ledger.store.support;

import cn.prepaid.ledger.core.account.EscrowAccountCommand.DepositTuition;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.RecordInterest;
import cn.prepaid.ledger.core.ids.AccountId;
import cn.prepaid.ledger.core.ids.BankCode;
import cn.prepaid.ledger.core.ids.BankTxnId;
import cn.prepaid.ledger.core.ids.InstitutionId;
import cn.prepaid.ledger.core.ids.OrderId;
import cn.prepaid.ledger.core.ids.RegionCode;
import cn.prepaid.ledger.core.institution.InstitutionCategory;
import cn.prepaid.ledger.core.institution.InstitutionCommand.ApproveInstitution;
import cn.prepaid.ledger.core.institution.InstitutionCommand.RegisterInstitution;
import cn.prepaid.ledger.core.money.Money;
import cn.prepaid.ledger.core.policy.SupervisionMode;
import cn.prepaid.ledger.core.policy.SupervisionPolicy;
import cn.prepaid.ledger.core.supervision.SupervisionService;
import cn.prepaid.ledger.store.commands.CommandDispatcher;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Short ways to set up institutions and accounts in integration tests; unique ids per call. */
public final class TestLedger {

    private static final AtomicInteger SEQUENCE = new AtomicInteger((int) (System.nanoTime() % 1_000_000));

    private final CommandDispatcher dispatcher;
    private final SupervisionService supervision;
    private final JdbcTemplate jdbc;

    public TestLedger(CommandDispatcher dispatcher, SupervisionService supervision, JdbcTemplate jdbc) {
        this.dispatcher = dispatcher;
        this.supervision = supervision;
        this.jdbc = jdbc;
    }

    public static InstitutionId newInstitutionId() {
        return InstitutionId.withCheckCharacter("91330106" + String.format("MA%07d", SEQUENCE.incrementAndGet()));
    }

    public static String unique(String prefix) {
        return prefix + "-" + SEQUENCE.incrementAndGet();
    }

    /** A registered, approved FULL_CUSTODY institution with one account at bank "ICBC-HZ". */
    public AccountId activeAccount() {
        InstitutionId institution = newInstitutionId();
        dispatcher.dispatch(new RegisterInstitution(institution, "Test school", RegionCode.of("330106"),
                InstitutionCategory.NON_SUBJECT, SupervisionMode.FULL_CUSTODY, null, "test", Instant.now()));
        supervision.change(new ApproveInstitution(institution, "test", Instant.now()));
        AccountId account = AccountId.of(unique("ACC"));
        supervision.openAccount(account, institution, BankCode.of("ICBC-HZ"), "6222000011112222", Instant.now());
        return account;
    }

    /** A registered, approved FULL_CUSTODY institution under {@code policy} with {@code count} accounts at "ICBC-HZ". */
    public List<AccountId> institutionWithAccounts(SupervisionPolicy policy, int count) {
        InstitutionId institution = newInstitutionId();
        dispatcher.dispatch(new RegisterInstitution(institution, "Test school", RegionCode.of("330106"),
                InstitutionCategory.NON_SUBJECT, SupervisionMode.FULL_CUSTODY, policy, "test", Instant.now()));
        supervision.change(new ApproveInstitution(institution, "test", Instant.now()));
        List<AccountId> accounts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            AccountId account = AccountId.of(unique("ACC"));
            supervision.openAccount(account, institution, BankCode.of("ICBC-HZ"), "6222000011112222", Instant.now());
            accounts.add(account);
        }
        return accounts;
    }

    public static DepositTuition deposit(AccountId account, String bankTxnId, int lessons, String lessonPrice) {
        Money price = Money.parse(lessonPrice);
        return new DepositTuition(account, BankTxnId.of(bankTxnId), price.times(lessons),
                OrderId.of("ORD-" + bankTxnId), "stu-" + bankTxnId, lessons, price, LocalDate.of(2026, 3, 1),
                LocalDate.of(2026, 5, 31), Instant.parse("2026-03-01T01:30:00Z"));
    }

    public static RecordInterest interest(AccountId account, String bankTxnId, String amount) {
        return new RecordInterest(account, BankTxnId.of(bankTxnId), Money.parse(amount), "interest",
                Instant.parse("2026-03-21T01:30:00Z"));
    }

    public long eventCount(String aggregateId) {
        return jdbc.queryForObject("select count(*) from domain_event_entry where aggregate_identifier = ?",
                Long.class, aggregateId);
    }

    /** The institution an account was opened for, from its opening event. */
    public InstitutionId institutionOf(AccountId account) {
        return InstitutionId.of(jdbc.queryForObject("select convert_from(payload, 'UTF8')::jsonb ->> 'institutionId' "
                + "from domain_event_entry where aggregate_identifier = ? and sequence_number = 0", String.class,
                account.value()));
    }
}
