package cn.prepaid.ledger.sim.traffic;

import cn.prepaid.ledger.sim.client.JSON;
import com.fasterxml.jackson.core.JsonProcessingException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every request the plan makes for two fixed seeds, every field of it, as recorded from the term plan
 * before its scenarios became one class each: a change to how the plan is written must not change one
 * byte of what it sends, nor of the answer it expects. A change that means to alter the traffic
 * records the new digests here, and says why in its commit.
 */
class TermPlanRecordingTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 11, 23);

    /** Seed 7, 80 institutions, six banks, two institutions a scenario: requests and digest per scenario. */
    private static final Map<String, String> SEED_SEVEN = Map.ofEntries(
            Map.entry("benign", "4656 66623e5ee12cb8b1e67c68dd62c7fca3f99c809a0fa701dca5af60f081a4880a"),
            Map.entry("collect-and-run", "256 991d77f3a40ff726d5259c9e859c90d69862a50269bc8eb59bee71b4c8c3210a"),
            Map.entry("consumption-stall", "56 b2de6b1b8a524c2bef639bda09df6fd7023b3f11f0f8119da63621d9d4744248"),
            Map.entry("cross-account-run", "168 d15c21bd3baeed4e08c87bbe85bd6f8399d81daa6cc2dfaf24de3c134bdbe937"),
            Map.entry("early-release", "106 d1559b3cc1a40c8a1071c6aff463310bb4d46f015b78bf7d701471621a94572f"),
            Map.entry("fees-below-floor", "132 74d9034bcbf27c0e1132feb19bb201969e77699d55c2fb83676bf5e75424bb61"),
            Map.entry("over-cap", "235 fbe040c52b99e057dfd7b69a30ad520db41a4e5fde49fcab66d946df60d4fc59"),
            Map.entry("rapid-drain", "174 ee68738b07549f0f5e5db5885bfcbb9902cd464c9570601c92552c78bbb911d2"),
            Map.entry("refund-surge", "568 7f7121ffe742fc5bd3c16cc42e801995607d0c34daf5a62d9498c70183a9df1a"),
            Map.entry("statement-mismatch", "141 ec82b3899375362fed0a915eb54e918e9d6a63e69f45c1266dd0fd0f5e2d6b4d"),
            Map.entry("structuring", "414 7324bc9d3f505a841b26ea3e5c25f5f6e850ceb4b866689cf603070db57f4ea7"),
            Map.entry("structuring-out-of-order", "416 372f449623b6b9e599d9d7cbeecda097f7fc795a3e36b403cc167b5d33c5d193"));

    /** Seed 1, 100 institutions, six banks, three a scenario (the run of docs/benchmarks.md): the whole term. */
    private static final String SEED_ONE = "9385 1e12493454592d8a52c9116578fb9e0f0e1ba3f17413cde09cc355efc523333a";

    @Test
    void seedSevenPlansEveryScenarioAsRecorded() {
        TermPlan plan = TermPlan.of(Population.of(7, 80, 6, 2), TODAY);
        Map<String, String> actual = new TreeMap<>();
        byScenario(plan).forEach((scenario, actions) -> actual.put(scenario, actions.size() + " " + digest(actions)));
        assertEquals(new TreeMap<>(SEED_SEVEN), actual);
    }

    @Test
    void seedOnePlansTheWholeTermAsRecorded() {
        List<Action> all = TermPlan.of(Population.of(1, 100, 6, 3), TODAY).all();
        assertEquals(SEED_ONE, all.size() + " " + digest(all));
    }

    private static Map<String, List<Action>> byScenario(TermPlan plan) {
        Map<String, Scenario> scenarioOf = new LinkedHashMap<>();
        plan.population.institutions().forEach(i -> scenarioOf.put(i.institutionId(), i.scenario()));
        Map<String, List<Action>> byScenario = new TreeMap<>();
        for (Action action : plan.all()) {
            byScenario.computeIfAbsent(scenarioOf.get(action.institutionId()).label(), s -> new ArrayList<>())
                    .add(action);
        }
        return byScenario;
    }

    /** SHA-256 over every field of every request, in plan order, the body as the generated client writes it. */
    private static String digest(List<Action> actions) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            for (Action action : actions) {
                String body = JSON.getDefault().getMapper().writeValueAsString(action.body());
                String line = String.join("|", String.valueOf(action.day()), action.phase().name(), action.chain(),
                        action.principal(), action.method(), action.path(), body, action.institutionId(),
                        String.valueOf(action.accountId()), String.valueOf(action.clientId()),
                        String.valueOf(action.expectedStatus()), String.valueOf(action.expectedBalanceFen()),
                        String.valueOf(action.fact()));
                sha256.update((line + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha256.digest());
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
