package org.ftl.prune;

import java.util.Arrays;

/**
 * How far apart one layer's filter scores are, and how many tie where the keep rule cuts: a criterion whose
 * scores bunch together chooses by the tie rule (filter index), not by what it measures.
 *
 * @param min        the lowest score; min, median and max leave NaN scores out (NaN when every score is)
 * @param distinct   distinct scores among the layer's filters (NaN counted once)
 * @param tiedAtCut  filters whose score equals the lowest kept score (the cut), the kept ones included
 * @param tiedKept   how many of those were kept: with {@code tiedKept < tiedAtCut} the tie rule chose them
 */
public record ScoreSpread(double min, double median, double max, int distinct, int tiedAtCut, int tiedKept) {

    /** The spread of {@code scores} when {@code kept} (indices) are kept. */
    public static ScoreSpread of(double[] scores, int[] kept) {
        double[] sorted = scores.clone();
        Arrays.sort(sorted); // NaN sorts last
        int n = sorted.length;
        int distinct = n == 0 ? 0 : 1;
        for (int i = 1; i < n; i++) {
            if (Double.compare(sorted[i], sorted[i - 1]) != 0) {
                distinct++;
            }
        }
        double cut = Double.POSITIVE_INFINITY;
        boolean anyKept = false;
        for (int i : kept) {
            double s = Double.isNaN(scores[i]) ? Double.NEGATIVE_INFINITY : scores[i];
            cut = Math.min(cut, s);
            anyKept = true;
        }
        int tied = 0;
        int tiedKept = 0;
        boolean[] isKept = new boolean[n];
        for (int i : kept) {
            isKept[i] = true;
        }
        for (int i = 0; i < n && anyKept; i++) {
            double s = Double.isNaN(scores[i]) ? Double.NEGATIVE_INFINITY : scores[i];
            if (s == cut) {
                tied++;
                tiedKept += isKept[i] ? 1 : 0;
            }
        }
        int m = 0; // the numbers: NaN sorts last
        while (m < n && !Double.isNaN(sorted[m])) {
            m++;
        }
        double median = m == 0 ? Double.NaN : m % 2 == 1 ? sorted[m / 2] : (sorted[m / 2 - 1] + sorted[m / 2]) / 2;
        return new ScoreSpread(m == 0 ? Double.NaN : sorted[0], median, m == 0 ? Double.NaN : sorted[m - 1], distinct,
                tied, tiedKept);
    }
}
