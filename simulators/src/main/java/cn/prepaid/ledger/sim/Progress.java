package cn.prepaid.ledger.sim;

/** A one-line progress display for long runs, redrawn at most a few times a second. */
public final class Progress {

    private final String label;
    private final int total;
    private final long started = System.nanoTime();
    private long lastDrawn;

    public Progress(String label, int total) {
        this.label = label;
        this.total = total;
    }

    public void update(int done, String detail) {
        long now = System.nanoTime();
        if (now - lastDrawn < 250_000_000L && done < total) {
            return;
        }
        lastDrawn = now;
        double seconds = (now - started) / 1e9;
        System.err.printf("\r%s %3d%% %d/%d  %.0f/s  %s   ", label, done * 100L / Math.max(1, total), done, total,
                done / Math.max(0.001, seconds), detail);
    }

    public void done(String detail) {
        System.err.printf("\r%s done in %.1f s  %s%n", label, (System.nanoTime() - started) / 1e9, detail);
    }
}
