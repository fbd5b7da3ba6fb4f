package cn.prepaid.ledger.sim;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressTest {

    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);

    private Progress progress(boolean terminal) {
        return new Progress("traffic", 100, new PrintStream(written, true, StandardCharsets.UTF_8), terminal,
                clock::get);
    }

    private String output() {
        return written.toString(StandardCharsets.UTF_8);
    }

    @Test
    void offATerminalItWritesAPlainLineEveryFewSecondsAndNoCarriageReturns() {
        Progress progress = progress(false);
        for (int done = 1; done <= 12; done++) {
            clock.addAndGet(1_000_000_000L);
            progress.update(done, "day " + done);
        }
        progress.done("12 requests");

        assertFalse(output().contains("\r"));
        assertEquals(List.of(
                "traffic   5% 5/100  1/s  day 5",
                "traffic  10% 10/100  1/s  day 10",
                "traffic done in 12.0 s  12 requests"), output().lines().toList());
    }

    @Test
    void onATerminalItRedrawsOneLineInPlace() {
        Progress progress = progress(true);
        progress.update(1, "day 1");
        clock.addAndGet(100_000_000L);
        progress.update(2, "day 2");
        clock.addAndGet(300_000_000L);
        progress.update(3, "day 3");

        assertFalse(output().contains("\n"));
        assertTrue(output().startsWith("\rtraffic   1% 1/100"), output());
        assertTrue(output().contains("\rtraffic   3% 3/100"), output());
        assertFalse(output().contains("day 2"), "redrawn at most four times a second");
    }
}
