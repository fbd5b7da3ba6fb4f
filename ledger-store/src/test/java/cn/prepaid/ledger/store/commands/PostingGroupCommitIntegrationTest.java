package cn.prepaid.ledger.store.commands;

import cn.prepaid.ledger.core.account.EscrowAccountCommand.DepositTuition;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.Posting;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.RecordBankFee;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.RequestRefund;
import cn.prepaid.ledger.core.account.EscrowAccountCommand.RequestRelease;
import cn.prepaid.ledger.core.account.PostingOutcome;
import cn.prepaid.ledger.core.idempotency.IdempotencyConflictException;
import cn.prepaid.ledger.core.ids.AccountId;
import cn.prepaid.ledger.core.ids.BankTxnId;
import cn.prepaid.ledger.core.ids.OrderId;
import cn.prepaid.ledger.core.money.Money;
import cn.prepaid.ledger.core.rules.LedgerRejection;
import cn.prepaid.ledger.core.rules.LedgerRuleException;
import cn.prepaid.ledger.core.supervision.SupervisionService;
import cn.prepaid.ledger.store.commands.ApplyPostingBatch.ItemOutcome;
import cn.prepaid.ledger.store.commands.CommandDispatcher.Outcome;
import cn.prepaid.ledger.store.support.HeldAggregateLock;
import cn.prepaid.ledger.store.support.StoreIntegrationTest;
import cn.prepaid.ledger.store.support.TestLedger;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static cn.prepaid.ledger.store.events.StoreSchema.IDEMPOTENCY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Single postings that wait together commit in one transaction, and each still gets exactly what it
 * would have got alone. The committer is held on a first posting whose client id an open transaction of
 * the test has claimed, so the postings after it are known to wait together and form one group.
 */
@StoreIntegrationTest
class PostingGroupCommitIntegrationTest {

    private static final Instant AT = Instant.parse("2026-03-02T01:30:00Z");

    @Autowired
    CommandDispatcher dispatcher;
    @Autowired
    SupervisionService supervision;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    DataSource dataSource;
    @Autowired
    IdempotencyStore idempotency;
    TestLedger ledger;
    SimpleMeterRegistry meters;
    PostingGroupCommit groups;

    @BeforeEach
    void setUp() {
        ledger = new TestLedger(dispatcher, supervision, jdbc);
        meters = new SimpleMeterRegistry();
        groups = new PostingGroupCommit(dispatcher, meters, 1, 200);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        groups.close();
    }

    @Test
    void postingsThatWaitTogetherCommitInOneTransactionAndEachGetsItsOwnAnswer() throws Exception {
        List<AccountId> accounts = List.of(ledger.activeAccount(), ledger.activeAccount());
        List<Posting> postings = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            postings.add(TestLedger.deposit(accounts.get(i % 2), TestLedger.unique("GRP"), i + 1, "10.00"));
        }

        List<CompletableFuture<Outcome<PostingOutcome>>> answers = asOneGroup(postings);

        List<PostingOutcome> outcomes = answers.stream().map(CompletableFuture::join).map(Outcome::payload).toList();
        assertThat(outcomes).extracting(PostingOutcome::status).containsOnly(PostingOutcome.Status.RECORDED);
        assertThat(outcomes).extracting(PostingOutcome::bankTxnId)
                .containsExactlyElementsOf(postings.stream().map(posting -> posting.bankTxnId().value()).toList());
        assertThat(outcomes).extracting(PostingOutcome::postingId).doesNotHaveDuplicates().doesNotContainNull();
        // in arrival order per account: 10 + 30 + 50 yuan, and 20 + 40 + 60
        assertThat(outcomes).extracting(PostingOutcome::balanceFen)
                .containsExactly(1_000L, 2_000L, 4_000L, 6_000L, 9_000L, 12_000L);
        assertThat(transactionsThatWrote(postings)).isEqualTo(1);
        assertThat(meters.get("ledger.postings.group.size").summary().max()).isEqualTo(6);
    }

    @Test
    void aRefusalAConflictAndARepeatInAGroupGetWhatEachWouldHaveGotAloneAndTheOthersAreBooked() throws Exception {
        AccountId account = ledger.activeAccount();
        DepositTuition booked = TestLedger.deposit(account, TestLedger.unique("GRP"), 2, "50.00");
        DepositTuition mismatched = new DepositTuition(account, BankTxnId.of(TestLedger.unique("GRP")),
                Money.parse("99.00"), OrderId.of(TestLedger.unique("ORD")), "stu", 2, Money.parse("50.00"),
                booked.courseStart(), booked.courseEnd(), AT);
        DepositTuition sameIdOtherContent = TestLedger.deposit(account, booked.bankTxnId().value(), 3, "50.00");
        DepositTuition later = TestLedger.deposit(account, TestLedger.unique("GRP"), 1, "50.00");
        DepositTuition corrected = new DepositTuition(account, mismatched.bankTxnId(), Money.parse("100.00"),
                mismatched.orderId(), "stu", 2, Money.parse("50.00"), booked.courseStart(), booked.courseEnd(), AT);

        List<CompletableFuture<Outcome<PostingOutcome>>> answers =
                asOneGroup(List.of(booked, mismatched, booked, sameIdOtherContent, later, corrected, corrected));

        assertThat(answers.get(0).join().replayed()).isFalse();
        assertThat(answers.get(0).join().payload().balanceFen()).isEqualTo(10_000L);
        assertThat(failure(answers.get(1))).isInstanceOfSatisfying(LedgerRuleException.class,
                refused -> assertThat(refused.rejection()).isEqualTo(LedgerRejection.AMOUNT_MISMATCH));
        assertThat(answers.get(2).join().replayed()).isTrue();
        assertThat(answers.get(2).join().payload()).isEqualTo(answers.get(0).join().payload());
        assertThat(failure(answers.get(3))).isInstanceOf(IdempotencyConflictException.class);
        assertThat(answers.get(4).join().payload().balanceFen()).isEqualTo(15_000L);
        // the refused posting left nothing, so its id is free for the corrected posting, as it would be alone
        assertThat(answers.get(5).join().replayed()).isFalse();
        assertThat(answers.get(5).join().payload().balanceFen()).isEqualTo(25_000L);
        assertThat(answers.get(6).join().replayed()).isTrue();
        assertThat(ledger.eventCount(account.value())).isEqualTo(1 + 3); // opened, and three deposits
        assertThat(dispatcher.dispatch(corrected).replayed()).as("the claim holds the corrected posting").isTrue();
        assertThatThrownBy(() -> dispatcher.dispatch(mismatched)).as("and the refused content is another posting now")
                .isInstanceOf(IdempotencyConflictException.class);
    }

    @Test
    void aGroupThatFailsAsAWholeRunsEachPostingAloneSoOnlyTheFaultyOneFails() throws Exception {
        AccountId account = ledger.activeAccount();
        DepositTuition first = TestLedger.deposit(account, TestLedger.unique("GRP"), 1, "20.00");
        DepositTuition unknownAccount = TestLedger.deposit(AccountId.of(TestLedger.unique("NOACC")),
                TestLedger.unique("GRP"), 1, "20.00");
        DepositTuition second = TestLedger.deposit(account, TestLedger.unique("GRP"), 1, "20.00");

        List<CompletableFuture<Outcome<PostingOutcome>>> answers = asOneGroup(List.of(first, unknownAccount, second));

        assertThat(answers.get(0).join().payload().balanceFen()).isEqualTo(2_000L);
        assertThat(failure(answers.get(1))).isInstanceOf(AggregateNotFoundException.class);
        assertThat(answers.get(2).join().payload().balanceFen()).isEqualTo(4_000L);
        assertThat(transactionsThatWrote(List.of(first, second))).isEqualTo(2);
    }

    /**
     * A batch (a group) and a single posting of the same client id on the same account at once: the batch
     * takes its claims before its account locks, as the single posting does, so neither can hold what the
     * other waits for. (Batches used to lock their accounts first: the batch then held the account in this
     * JVM while waiting for the id the single posting had claimed, which waited for the account.)
     */
    @Test
    void aBatchAndASinglePostingOfOneClientIdAtOnceBothFinishAndBookItOnce() throws Exception {
        AccountId account = ledger.activeAccount();
        DepositTuition deposit = TestLedger.deposit(account, TestLedger.unique("BOTH"), 1, "30.00");
        CompletableFuture<List<ItemOutcome>> batch;
        CompletableFuture<Outcome<PostingOutcome>> single;
        try (HeldAggregateLock held = HeldAggregateLock.on(dataSource, account.value())) {
            batch = CompletableFuture.supplyAsync(() -> dispatcher.<List<ItemOutcome>>dispatch(
                    new ApplyPostingBatch(List.of(deposit))).payload());
            await().atMost(Duration.ofSeconds(10)).until(() -> blocked() >= 1);
            single = CompletableFuture.supplyAsync(() -> dispatcher.<PostingOutcome>dispatch(deposit));
            await().atMost(Duration.ofSeconds(10)).until(() -> blocked() >= 2);
        }

        ItemOutcome inBatch = batch.get(15, TimeUnit.SECONDS).get(0);
        Outcome<PostingOutcome> alone = single.get(15, TimeUnit.SECONDS);
        assertThat(inBatch.outcome()).isEqualTo(alone.payload());
        assertThat(List.of(inBatch.replayed(), alone.replayed())).containsExactlyInAnyOrder(true, false);
        assertThat(ledger.eventCount(account.value())).isEqualTo(1 + 1);
    }

    /** Transactions waiting for a lock, or holding a claim while waiting in this JVM. */
    private int blocked() {
        return jdbc.queryForObject("select count(*) from pg_stat_activity where wait_event_type = 'Lock' "
                + "or (state = 'idle in transaction' and query like '%bank_txn_id%')", Integer.class);
    }

    /**
     * The law of the group: for any mix of postings (deposits, mismatched deposits, refunds, releases,
     * fees, repeats and conflicting repeats over two accounts of one institution), committing them as one
     * group answers each exactly as posting them one by one in the same order does.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void anyMixOfPostingsAnswersTheSameInOneGroupAsOneByOne(long seed) throws Exception {
        List<AccountId> alone = ledger.institutionWithAccounts(null, 2);
        List<AccountId> grouped = ledger.institutionWithAccounts(null, 2);
        List<Function<Mirror, Posting>> mix = randomMix(new Random(seed), 40);
        Mirror aloneSide = new Mirror(alone, TestLedger.unique("A"));
        Mirror groupSide = new Mirror(grouped, TestLedger.unique("G"));

        List<String> fatesAlone = new ArrayList<>();
        for (Function<Mirror, Posting> posting : mix) {
            fatesAlone.add(fate(CompletableFuture.supplyAsync(() -> dispatcher.dispatch(posting.apply(aloneSide)))));
        }
        List<Posting> groupPostings = mix.stream().map(posting -> posting.apply(groupSide)).toList();
        List<String> fatesGrouped = asOneGroup(groupPostings).stream().map(PostingGroupCommitIntegrationTest::fate)
                .toList();

        assertThat(fatesGrouped).containsExactlyElementsOf(fatesAlone);
        assertThat(fatesAlone).anyMatch(fate -> fate.startsWith("RECORDED"))
                .anyMatch(fate -> fate.startsWith("refused"));
        assertThat(transactionsThatWrote(groupPostings)).isEqualTo(1);
    }

    /** The same postings on either side, with its own accounts and bank transaction ids. */
    private record Mirror(List<AccountId> accounts, String prefix) {
        AccountId account(int index) {
            return accounts.get(index);
        }

        BankTxnId txn(int n) {
            return BankTxnId.of(prefix + "-" + n);
        }
    }

    private static List<Function<Mirror, Posting>> randomMix(Random random, int size) {
        List<Function<Mirror, Posting>> mix = new ArrayList<>();
        for (int n = 0; n < size; n++) {
            int number = n;
            int account = random.nextInt(2);
            int lessons = 1 + random.nextInt(5);
            int earlier = mix.isEmpty() ? -1 : random.nextInt(mix.size());
            String order = "ORD-" + random.nextInt(Math.max(1, n));
            Money amount = Money.ofFen(1_000L * (1 + random.nextInt(8)));
            switch (random.nextInt(earlier < 0 ? 1 : 7)) {
                case 0 -> mix.add(side -> new DepositTuition(side.account(account), side.txn(number),
                        Money.parse("10.00").times(lessons), OrderId.of("ORD-" + number), "stu", lessons,
                        Money.parse("10.00"), LocalDate.of(2026, 3, 1), LocalDate.of(2026, 6, 30), AT));
                case 1 -> mix.add(side -> new DepositTuition(side.account(account), side.txn(number),
                        Money.parse("10.01").times(lessons), OrderId.of("ORD-" + number), "stu", lessons,
                        Money.parse("10.00"), LocalDate.of(2026, 3, 1), LocalDate.of(2026, 6, 30), AT));
                case 2 -> mix.add(side -> new RequestRefund(side.account(account), side.txn(number), amount,
                        OrderId.of(order), AT));
                case 3 -> mix.add(side -> new RequestRelease(side.account(account), side.txn(number), amount,
                        OrderId.of(order), AT));
                case 4 -> mix.add(side -> new RecordBankFee(side.account(account), side.txn(number), amount, "fee", AT));
                case 5 -> mix.add(mix.get(earlier));
                default -> {
                    Function<Mirror, Posting> original = mix.get(earlier);
                    mix.add(side -> {
                        Posting first = original.apply(side);
                        return new RecordBankFee(first.accountId(), first.bankTxnId(), Money.ofFen(1), "other", AT);
                    });
                }
            }
        }
        return mix;
    }

    /** What a posting came to, without the ids that differ between the two sides. */
    private static String fate(CompletableFuture<Outcome<PostingOutcome>> answer) {
        try {
            Outcome<PostingOutcome> outcome = answer.join();
            PostingOutcome posting = outcome.payload();
            return posting.status() + " balance " + posting.balanceFen() + " " + posting.rejection()
                    + (outcome.replayed() ? " replayed" : "");
        } catch (CompletionException failed) {
            return failed.getCause() instanceof LedgerRuleException refused ? "refused " + refused.rejection()
                    : failed.getCause().getClass().getSimpleName();
        }
    }

    /**
     * Posts {@code postings} so that they wait together: the committer is first held on a posting whose
     * client id the test's own open transaction claimed, then the others queue in order behind it.
     */
    private List<CompletableFuture<Outcome<PostingOutcome>>> asOneGroup(List<Posting> postings) throws Exception {
        DepositTuition holder = TestLedger.deposit(ledger.activeAccount(), TestLedger.unique("HOLD"), 1, "1.00");
        List<CompletableFuture<Outcome<PostingOutcome>>> answers = new ArrayList<>();
        CompletableFuture<Outcome<PostingOutcome>> held;
        try (Connection blocking = dataSource.getConnection()) {
            blocking.setAutoCommit(false);
            try (PreparedStatement claim = blocking.prepareStatement(
                    "insert into " + IDEMPOTENCY + " (idempotency_key, fingerprint) values (?, ?)")) {
                claim.setString(1, holder.idempotencyKey());
                claim.setBytes(2, idempotency.fingerprint(holder));
                claim.executeUpdate();
            }
            held = CompletableFuture.supplyAsync(() -> groups.post(holder));
            await().pollInterval(Duration.ofMillis(10)).atMost(Duration.ofSeconds(10))
                    .until(() -> groups.waiting() == 0 && waitingOnLocks() > 0);
            for (Posting posting : postings) {
                int before = groups.waiting();
                answers.add(CompletableFuture.supplyAsync(() -> groups.post(posting)));
                await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(10))
                        .until(() -> groups.waiting() == before + 1);
            }
            blocking.rollback();
        }
        assertThat(held.join().payload().status()).isEqualTo(PostingOutcome.Status.RECORDED);
        CompletableFuture.allOf(answers.stream().map(answer -> answer.exceptionally(failed -> null))
                .toArray(CompletableFuture[]::new)).join();
        return answers;
    }

    private int waitingOnLocks() {
        return jdbc.queryForObject("select count(*) from pg_stat_activity where wait_event_type = 'Lock'",
                Integer.class);
    }

    private static Throwable failure(CompletableFuture<?> answer) {
        try {
            answer.join();
            return null;
        } catch (CompletionException failed) {
            return failed.getCause();
        }
    }

    /** How many transactions appended the events of these postings (PostgreSQL's xmin of their rows). */
    private long transactionsThatWrote(List<Posting> postings) {
        String[] keys = postings.stream().map(posting -> posting.bankTxnId().value()).distinct().toArray(String[]::new);
        return jdbc.queryForObject("select count(distinct xmin::text) from domain_event_entry where aggregate_identifier "
                + "= any (?) and convert_from(payload, 'UTF8')::jsonb ->> 'bankTxnId' = any (?)", Long.class,
                postings.stream().map(posting -> posting.accountId().value()).distinct().toArray(String[]::new), keys);
    }

}
