package cn.prepaid.ledger.sim;

import java.io.PrintStream;
import java.util.function.LongSupplier;

/**
 * Progress of a long run. On a terminal, one line redrawn in place a few times a second; written to a
 * file or a pipe (a benchmark's log), a plain line every few seconds instead, because a line redrawn
 * with carriage returns turns a log into one unreadable line.
 */
public final class Progress {

    private static final long REDRAW_NANOS = 250_000_000L;
    private static final long LOG_LINE_NANOS = 5_000_000_000L;

    private final String label;
    private final int total;
    private final PrintStream out;
    private final boolean terminal;
    private final LongSupplier nanoTime;
    private final long started;
    private long lastDrawn;

    public Progress(String label, int total) {
        // System.console() is null unless the process talks to a terminal
        this(label, total, System.err, System.console() != null, System::nanoTime);
    }

    Progress(String label, int total, PrintStream out, boolean terminal, LongSupplier nanoTime) {
        this.label = label;
        this.total = total;
        this.out = out;
        this.terminal = terminal;
        this.nanoTime = nanoTime;
        this.started = nanoTime.getAsLong();
        this.lastDrawn = terminal ? started - REDRAW_NANOS : started;
    }

    public void update(int done, String detail) {
        long now = nanoTime.getAsLong();
        if (now - lastDrawn < (terminal ? REDRAW_NANOS : LOG_LINE_NANOS) && done < total) {
            return;
        }
        lastDrawn = now;
        double seconds = (now - started) / 1e9;
        String line = String.format("%s %3d%% %d/%d  %.0f/s  %s", label, done * 100L / Math.max(1, total), done,
                total, done / Math.max(0.001, seconds), detail);
        if (terminal) {
            out.print("\r" + line + "   ");
        } else {
            out.println(line);
        }
    }

    public void done(String detail) {
        out.printf("%s%s done in %.1f s  %s%n", terminal ? "\r" : "", label,
                (nanoTime.getAsLong() - started) / 1e9, detail);
    }
}
