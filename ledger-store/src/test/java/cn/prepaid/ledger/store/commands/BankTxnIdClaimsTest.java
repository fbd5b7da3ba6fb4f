package cn.prepaid.ledger.store.commands;

import cn.prepaid.ledger.core.account.PostingOutcome;
import cn.prepaid.ledger.core.idempotency.IdempotencyConflictException;
import cn.prepaid.ledger.core.ids.AccountId;
import cn.prepaid.ledger.core.ids.BankCode;
import cn.prepaid.ledger.core.supervision.SupervisionService;
import cn.prepaid.ledger.store.support.StoreIntegrationTest;
import cn.prepaid.ledger.store.support.TestLedger;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A bank transaction id is booked on one of the bank's accounts; each account's bank is read from its
 * opening event once, not for every posting.
 */
@StoreIntegrationTest
class BankTxnIdClaimsTest {

    @Autowired
    CommandDispatcher dispatcher;
    @Autowired
    SupervisionService supervision;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    IdempotencyStore idempotency;

    @Test
    void anAccountsBankIsReadOnceAndItsIdsStayItsOwn() {
        TestLedger ledger = new TestLedger(dispatcher, supervision, jdbc);
        List<AccountId> accounts = ledger.institutionWithAccounts(null, 2);
        AccountId first = accounts.get(0);
        AccountId second = accounts.get(1);
        String txn = TestLedger.unique("TXN");

        long before = idempotency.banksRead();
        dispatcher.<PostingOutcome>dispatch(TestLedger.deposit(first, txn, 10, "80.00"));
        dispatcher.<PostingOutcome>dispatch(TestLedger.deposit(first, TestLedger.unique("TXN"), 10, "80.00"));
        dispatcher.<PostingOutcome>dispatch(TestLedger.deposit(first, TestLedger.unique("TXN"), 10, "80.00"));
        assertThat(idempotency.banksRead() - before).as("the first posting read the bank, the others knew it")
                .isEqualTo(1);

        // the same bank's other account cannot book the id again...
        assertThatThrownBy(() -> dispatcher.dispatch(TestLedger.deposit(second, txn, 10, "90.00")))
                .isInstanceOf(IdempotencyConflictException.class);
        assertThat(ledger.eventCount(second.value())).as("nothing booked on the second account").isEqualTo(1);
        assertThat(jdbc.queryForObject("select bank_code || ' ' || account_id from bank_transaction "
                + "where bank_txn_id = ?", String.class, txn)).isEqualTo("ICBC-HZ " + first.value());

        // ...and another bank's account may use it
        AccountId elsewhere = AccountId.of(TestLedger.unique("ACC"));
        supervision.openAccount(elsewhere, ledger.institutionOf(first), BankCode.of("ABC-BJ"), "103300",
                Instant.now());
        PostingOutcome booked = dispatcher.<PostingOutcome>dispatch(TestLedger.deposit(elsewhere, txn, 10, "80.00"))
                .payload();
        assertThat(booked.balanceFen()).isEqualTo(80_000L);
        assertThat(jdbc.queryForList("select bank_code from bank_transaction where bank_txn_id = ? order by 1",
                String.class, txn)).containsExactly("ABC-BJ", "ICBC-HZ");
    }

    @Test
    void anAccountNotYetOpenedIsLookedUpAgainOnceItIs() {
        TestLedger ledger = new TestLedger(dispatcher, supervision, jdbc);
        AccountId existing = ledger.activeAccount();
        AccountId later = AccountId.of(TestLedger.unique("ACC"));
        String txn = TestLedger.unique("TXN");

        assertThatThrownBy(() -> dispatcher.dispatch(TestLedger.deposit(later, txn, 10, "80.00")))
                .isInstanceOf(AggregateNotFoundException.class);
        supervision.openAccount(later, ledger.institutionOf(existing), BankCode.of("ICBC-HZ"), "6222000011112222",
                Instant.now());

        assertThat(dispatcher.<PostingOutcome>dispatch(TestLedger.deposit(later, txn, 10, "80.00")).payload()
                .balanceFen()).isEqualTo(80_000L);
        assertThat(jdbc.queryForObject("select account_id from bank_transaction where bank_code = 'ICBC-HZ' "
                + "and bank_txn_id = ?", String.class, txn)).isEqualTo(later.value());
    }
}
