package org.ftl.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.IntConsumer;

/**
 * Progress of a long job as occasional lines ("synth: 420/1040 images (40%), 95 images/s"): one each time
 * another tenth is done, or after {@link #EVERY_NANOS} of silence, so a slow job still shows it is alive
 * and a fast one does not flood the terminal. Safe to call from many threads.
 */
final class ProgressLine implements IntConsumer {
    private static final long EVERY_NANOS = 5_000_000_000L;

    private final PrintWriter err;
    private final String label;
    private final String unit;
    private final int total;
    private final long start = System.nanoTime();
    private long lastLine = start;
    private int nextTenth = 1;

    ProgressLine(PrintWriter err, String label, String unit, int total) {
        this.err = err;
        this.label = label;
        this.unit = unit;
        this.total = total;
    }

    @Override
    public synchronized void accept(int done) {
        long now = System.nanoTime();
        boolean tenth = total > 0 && done * 10L >= (long) nextTenth * total;
        if (!tenth && now - lastLine < EVERY_NANOS) {
            return;
        }
        while (total > 0 && done * 10L >= (long) nextTenth * total) {
            nextTenth++;
        }
        lastLine = now;
        double seconds = Math.max(1e-9, (now - start) / 1e9);
        err.println(String.format(Locale.ROOT, "%s: %d/%d %s (%d%%), %.0f %s/s", label, done, total, unit,
                total == 0 ? 100 : done * 100L / total, done / seconds, unit));
        err.flush();
    }
}
