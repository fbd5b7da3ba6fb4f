package cn.prepaid.ledger.sim.traffic;

import cn.prepaid.ledger.sim.client.JSON;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class TermPlanTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 11, 23);
    /** "Now" for the time rules: the morning of TODAY in Shanghai, when a run would start. */
    private static final Instant NOW = TODAY.atTime(8, 0).toInstant(ZoneOffset.ofHours(8));
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final Pattern MONEY = Pattern.compile("-?\\d{1,10}\\.\\d{2}");

    private static TermPlan plan;
    private static List<RuleOracle.Trigger> triggers;

    @BeforeAll
    static void plan() {
        plan = TermPlan.of(Population.of(7, 80, 6, 2), TODAY);
        triggers = RuleOracle.judge(plan);
    }

    @Test
    void theSameSeedGivesTheSameTrafficAndAnotherSeedOtherTraffic() {
        List<String> first = requests(TermPlan.of(Population.of(7, 30, 6, 1), TODAY));
        assertEquals(first, requests(TermPlan.of(Population.of(7, 30, 6, 1), TODAY)));
        assertNotEquals(first, requests(TermPlan.of(Population.of(8, 30, 6, 1), TODAY)));
    }

    private static List<String> requests(TermPlan plan) {
        return plan.all().stream().map(a -> a.phase() + " " + a.principal() + " " + a.method() + " " + a.path() + " "
                + a.body()).toList();
    }

    @Test
    void everyInstitutionHasAValidUnifiedSocialCreditCode() {
        String alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
        int[] weights = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
        Set<String> seen = new HashSet<>();
        for (Population.Institution institution : plan.population.institutions()) {
            String code = institution.institutionId();
            assertEquals(18, code.length(), code);
            // GB 32100: the weighted sum of the 17 characters plus the check character is a multiple of 31
            int sum = alphabet.indexOf(code.charAt(17));
            for (int i = 0; i < 17; i++) {
                assertTrue(alphabet.indexOf(code.charAt(i)) >= 0, code);
                sum += alphabet.indexOf(code.charAt(i)) * weights[i];
            }
            assertEquals(0, sum % 31, code);
            assertEquals(institution.regionCode(), code.substring(2, 8));
            assertTrue(seen.add(code), "duplicate " + code);
        }
    }

    @Test
    void everyPostingRespectsTheFieldRulesOfTheApi() {
        Set<String> bankTxnIds = new HashSet<>();
        Set<String> types = Set.of("DEPOSIT", "RELEASE", "REFUND", "INTEREST", "BANK_FEE");
        int postings = 0;
        for (Action action : plan.all()) {
            Map<String, Object> body = wire(action);
            if (action.path().endsWith("/transactions") || action.path().endsWith("/transactions/batch")) {
                postings++;
                assertTrue(types.contains(body.get("type")), body.toString());
                assertTrue(CLIENT_ID.matcher((String) body.get("bankTxnId")).matches(), body.toString());
                assertTrue(bankTxnIds.add((String) body.get("bankTxnId")), "bankTxnId reused: " + body);
                assertEquals("CNY", body.get("currency"));
                long amount = money(body.get("amount"));
                assertTrue(amount > 0 && amount <= 100_000_000_000L, body.toString());
                occurredAtIsAccepted(body.get("occurredAt"));
                if (action.batched()) {
                    assertEquals(action.accountId(), body.get("accountId"));
                }
                if ("DEPOSIT".equals(body.get("type"))) {
                    int lessons = (Integer) body.get("lessons");
                    assertTrue(lessons > 0);
                    assertEquals(amount, lessons * money(body.get("lessonPrice")), body.toString());
                    LocalDate start = LocalDate.parse((String) body.get("courseStart"));
                    assertTrue(!LocalDate.parse((String) body.get("courseEnd")).isBefore(start), body.toString());
                    assertTrue(CLIENT_ID.matcher((String) body.get("orderId")).matches());
                }
                if ("RELEASE".equals(body.get("type")) || "REFUND".equals(body.get("type"))) {
                    assertTrue(CLIENT_ID.matcher((String) body.get("orderId")).matches());
                }
            } else if (action.path().endsWith("/consumptions")) {
                assertTrue(CLIENT_ID.matcher((String) body.get("consumptionId")).matches());
                assertTrue((Integer) body.get("lessons") > 0);
                occurredAtIsAccepted(body.get("occurredAt"));
            } else if (action.path().endsWith("/statements")) {
                assertTrue(CLIENT_ID.matcher((String) body.get("statementId")).matches());
                money(body.get("closingBalance"));
                LocalDate date = LocalDate.parse((String) body.get("statementDate"));
                assertTrue(date.isBefore(TODAY), date.toString());
            }
            if (action.accountId() != null) {
                assertTrue(CLIENT_ID.matcher(action.accountId()).matches(), action.accountId());
            }
        }
        assertTrue(postings > 2_000, "postings: " + postings);
    }

    /** The body as the generated client sends it. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> wire(Action action) {
        return JSON.getDefault().getMapper().convertValue(action.body(), Map.class);
    }

    private static long money(Object wire) {
        assertTrue(wire instanceof String && MONEY.matcher((String) wire).matches(), "money " + wire);
        return Wire.fen((String) wire);
    }

    private static void occurredAtIsAccepted(Object wire) {
        OffsetDateTime at = OffsetDateTime.parse((String) wire);
        assertEquals(ZoneOffset.ofHours(8), at.getOffset());
        assertTrue(at.toInstant().isBefore(NOW.plus(Duration.ofMinutes(5))), "in the future: " + wire);
        assertTrue(at.toInstant().isAfter(NOW.minus(Duration.ofDays(400))), "too old: " + wire);
    }

    @Test
    void batchesCarryOnlyBankFactsAndAuthorisedOutflowsGoOneByOne() {
        for (Action action : plan.all()) {
            Object type = action.body() == null ? null : wire(action).get("type");
            if ("RELEASE".equals(type) || "REFUND".equals(type)) {
                assertEquals(Action.Phase.BANK_SINGLE, action.phase());
            }
            if (action.batched()) {
                assertTrue(Set.of("DEPOSIT", "INTEREST", "BANK_FEE").contains(type), String.valueOf(type));
            }
        }
    }

    @Test
    void ordinaryInstitutionsMeetNoAlertConditionButTheOddHalfYearPackage() {
        Map<String, Scenario> scenarioOf = new HashMap<>();
        plan.population.institutions().forEach(i -> scenarioOf.put(i.institutionId(), i.scenario()));
        for (RuleOracle.Trigger trigger : triggers) {
            if (scenarioOf.get(trigger.institutionId()) == Scenario.BENIGN
                    && !trigger.code().equals("CHARGE_CAP_EXCEEDED")) {
                fail("ordinary traffic of " + trigger.accountId() + " meets " + trigger.code() + " at "
                        + trigger.decisive());
            }
        }
    }

    @Test
    void everyScenarioMeetsExactlyItsAlertConditions() {
        Map<String, Set<String>> met = new HashMap<>();
        for (RuleOracle.Trigger trigger : triggers) {
            met.computeIfAbsent(trigger.institutionId(), id -> new HashSet<>()).add(trigger.code());
        }
        int scenarios = 0;
        for (Population.Institution institution : plan.population.institutions()) {
            if (institution.scenario() != Scenario.BENIGN) {
                scenarios++;
                Set<String> codes = met.getOrDefault(institution.institutionId(), Set.of());
                assertEquals(institution.scenario().expectedCodes(), codes,
                        institution.scenario() + " at " + institution.accountIds());
            }
        }
        assertEquals(2 * (Scenario.values().length - 1), scenarios);
    }

    /**
     * Seed 1's rapid-drain institution 23 posts its drain day newest first: the window ending at the day's last
     * outflow holds only once the earlier outflows arrive, and the ledger re-judges it then, so must the oracle.
     */
    @Test
    void aDrainPostedNewestFirstIsMetWhenItsEarlierOutflowsArrive() {
        TermPlan seedOne = TermPlan.of(Population.of(1, 100, 6, 3), TODAY);
        Set<String> drained = new HashSet<>();
        RuleOracle.judge(seedOne).stream().filter(t -> t.code().equals("RAPID_DRAIN"))
                .forEach(t -> drained.add(t.institutionId()));
        for (Population.Institution institution : seedOne.population.institutions()) {
            if (institution.scenario() == Scenario.RAPID_DRAIN) {
                assertTrue(drained.contains(institution.institutionId()), institution.accountIds().toString());
            }
        }
    }

    @Test
    void statementsCloseOnThePlannedBalanceAndOnlyTheInjectedOneDisagrees() {
        long mismatches = plan.all().stream().filter(a -> a.phase() == Action.Phase.STATEMENT && a.fact() != null)
                .count();
        assertEquals(2, mismatches);
    }
}
