package cn.prepaid.ledger.sim.traffic;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DetectionTest {

    private static GroundTruth.Row expects(String institution, String code, long decisiveAt) {
        return new GroundTruth.Row(institution, institution + "-A0", "scenario", code, "T1", "", decisiveAt);
    }

    private static GroundTruth.Row quiet(String institution) {
        return new GroundTruth.Row(institution, institution + "-A0", "benign", "", "", "", 0);
    }

    private static Detection.SeenAlert alert(String id, String code, String institution, long at) {
        return new Detection.SeenAlert(id, code, institution, at);
    }

    @Test
    void countsTruePositivesFalsePositivesAndMissesPerCode() {
        List<GroundTruth.Row> truth = List.of(
                expects("I1", "RAPID_DRAIN", 1_000),
                expects("I2", "RAPID_DRAIN", 2_000),
                expects("I3", "RAPID_DRAIN", 3_000),
                expects("I3", "STRUCTURING", 3_000),
                quiet("I4"),
                quiet("I5"));
        List<Detection.SeenAlert> alerts = List.of(
                alert("a1", "RAPID_DRAIN", "I1", 1_100),
                alert("a2", "RAPID_DRAIN", "I1", 1_050),      // a second alert of the same pair counts once, earliest
                alert("a3", "RAPID_DRAIN", "I2", 2_400),
                alert("a4", "RAPID_DRAIN", "I4", 9_000),      // quiet institution: false positive
                alert("a5", "REFUND_SURGE", "I5", 9_000),     // code nobody expected: false positive
                alert("a6", "RAPID_DRAIN", "OTHER", 9_000));  // not of this run: ignored

        Detection.Result result = Detection.score(truth, alerts);

        Detection.CodeScore drain = result.byCode().get("RAPID_DRAIN");
        assertEquals(3, drain.expected());
        assertEquals(2, drain.truePositives());
        assertEquals(1, drain.falsePositives());
        assertEquals(1, drain.misses());
        assertEquals(2.0 / 3, drain.precision(), 1e-9);
        assertEquals(2.0 / 3, drain.recall(), 1e-9);
        assertEquals(List.of(50L, 400L), drain.latenciesMs().stream().sorted().toList());

        Detection.CodeScore structuring = result.byCode().get("STRUCTURING");
        assertEquals(0, structuring.truePositives());
        assertEquals(1, structuring.misses());
        assertEquals(0.0, structuring.recall());
        assertTrue(Double.isNaN(structuring.precision()));

        Detection.CodeScore surge = result.byCode().get("REFUND_SURGE");
        assertEquals(0, surge.expected());
        assertEquals(1, surge.falsePositives());
        assertEquals(0.0, surge.precision());

        assertEquals(List.of("I1 RAPID_DRAIN", "I2 RAPID_DRAIN", "I3 RAPID_DRAIN", "I3 STRUCTURING").size() - 2,
                result.misses().size());
        assertEquals(2, result.falsePositives().size());
    }

    @Test
    void theTableHasARowPerCodeAndATotal() {
        Detection.Result result = Detection.score(List.of(expects("I1", "RAPID_DRAIN", 1_000)),
                List.of(alert("a1", "RAPID_DRAIN", "I1", 1_250)));
        String table = Detection.table(result);
        assertTrue(table.contains("| RAPID_DRAIN | 1 | 1 | 0 | 0 | 1.00 | 1.00 | 250 / 250 |"), table);
        assertTrue(table.contains("| **all** | 1 | 1 | 0 | 0 | 1.00 | 1.00 | 250 / 250 |"), table);
    }

    @Test
    void moneyTravelsAsDecimalStringsOfFen() {
        assertEquals("1234.50", Wire.money(123_450));
        assertEquals("0.07", Wire.money(7));
        assertEquals("-20.00", Wire.money(-2_000));
        assertEquals(123_450, Wire.fen("1234.50"));
        assertEquals(-2_000, Wire.fen("-20.00"));
    }
}
