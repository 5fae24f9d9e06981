package org.ftl.data;

/**
 * Otsu's threshold: the grey level that splits a 256-bin histogram into a dark and a light class with the
 * largest between-class variance. Cracks on concrete or asphalt are a dark mode on a light one, which is
 * the case this method is made for; no tuning knob means two people labelling the same photos agree.
 */
public final class Otsu {
    /** Grey levels of an 8-bit luminance histogram. */
    public static final int LEVELS = 256;

    /** Returned when the histogram has fewer than two occupied levels: there is nothing to split. */
    public static final int NO_SPLIT = -1;

    private Otsu() {
    }

    /**
     * The threshold {@code t} (0..254) such that the levels {@code 0..t} form the dark class and
     * {@code t+1..255} the light class, or {@link #NO_SPLIT} for an empty or single-level histogram.
     * Where several thresholds tie (empty bins between two modes all give the same variance), the middle
     * of the tie is taken, so the cut falls between the modes rather than hugging one of them.
     */
    public static int threshold(long[] histogram) {
        if (histogram.length != LEVELS) {
            throw new IllegalArgumentException("histogram must have " + LEVELS + " bins, has " + histogram.length);
        }
        long total = 0;
        double sumAll = 0;
        for (int i = 0; i < LEVELS; i++) {
            total += histogram[i];
            sumAll += (double) i * histogram[i];
        }
        long w0 = 0;
        double sum0 = 0;
        double best = -1;
        int firstBest = NO_SPLIT;
        int lastBest = NO_SPLIT;
        for (int t = 0; t < LEVELS - 1; t++) {
            w0 += histogram[t];
            sum0 += (double) t * histogram[t];
            long w1 = total - w0;
            if (w0 == 0 || w1 == 0) {
                continue;
            }
            double mu0 = sum0 / w0;
            double mu1 = (sumAll - sum0) / w1;
            double between = (double) w0 * w1 * (mu0 - mu1) * (mu0 - mu1);
            // a relative tolerance: equal variances computed along different paths differ in the last bits
            if (between > best * (1 + 1e-12)) {
                best = between;
                firstBest = t;
                lastBest = t;
            } else if (between >= best * (1 - 1e-12)) {
                lastBest = t;
            }
        }
        return firstBest == NO_SPLIT ? NO_SPLIT : (firstBest + lastBest) / 2;
    }

    /** The 256-bin histogram of the grey levels whose {@code inside} flag is set ({@code inside == null}: all). */
    public static long[] histogram(int[] levels, boolean[] inside) {
        long[] h = new long[LEVELS];
        for (int i = 0; i < levels.length; i++) {
            if (inside == null || inside[i]) {
                h[levels[i]]++;
            }
        }
        return h;
    }
}
