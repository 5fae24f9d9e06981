package org.ftl.cost;

import java.util.Arrays;

/**
 * Order statistics of timings. Medians and quartiles rather than means: on a shared machine a few runs
 * are slowed by whatever else is running, and those outliers should not move the result.
 */
final class Quantiles {
    private final double[] sorted;

    Quantiles(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        this.sorted = values.clone();
        Arrays.sort(sorted);
    }

    /**
     * The q-quantile by linear interpolation between closest ranks (Hyndman &amp; Fan type 7, the default of
     * R and NumPy), so the numbers can be checked with either.
     */
    double quantile(double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    double median() {
        return quantile(0.5);
    }

    /** Interquartile range: the spread of the middle half of the runs. */
    double iqr() {
        return quantile(0.75) - quantile(0.25);
    }
}
