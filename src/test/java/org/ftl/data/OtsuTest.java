package org.ftl.data;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OtsuTest {
    /** Pixels drawn from two Gaussian modes, clipped to 0..255. */
    private static long[] bimodal(int n0, double mean0, int n1, double mean1, double sd, long seed) {
        Random r = new Random(seed);
        long[] h = new long[Otsu.LEVELS];
        for (int i = 0; i < n0 + n1; i++) {
            double v = (i < n0 ? mean0 : mean1) + sd * r.nextGaussian();
            h[(int) Math.max(0, Math.min(255, Math.round(v)))]++;
        }
        return h;
    }

    @Test
    void bimodalImageIsCutBetweenItsModes() {
        int t = Otsu.threshold(bimodal(20_000, 60, 20_000, 190, 15, 1));
        // equal modes of equal spread: the cut lies near the midpoint 125, far from both modes
        assertTrue(t > 60 + 2 * 15 && t < 190 - 2 * 15, "threshold " + t);
        assertTrue(Math.abs(t - 125) <= 5, "threshold " + t);
    }

    @Test
    void aSmallDarkModeStillGetsItsOwnClass() {
        // a crack: 3 % of the pixels dark, the rest light concrete
        int t = Otsu.threshold(bimodal(1_200, 50, 38_800, 170, 12, 2));
        assertTrue(t > 50 + 2 * 12 && t < 170 - 2 * 12, "threshold " + t);
    }

    @Test
    void twoSpikesAreCutInTheMiddleOfTheTie() {
        long[] h = new long[Otsu.LEVELS];
        h[60] = 100;
        h[190] = 100;
        // every t in 60..189 separates the spikes equally well; the middle of that run is 124
        assertEquals(124, Otsu.threshold(h));
    }

    @Test
    void thresholdMaximisesBetweenClassVariance() {
        Random r = new Random(7);
        for (int trial = 0; trial < 20; trial++) {
            long[] h = new long[Otsu.LEVELS];
            for (int i = 0; i < h.length; i++) {
                h[i] = r.nextInt(4) == 0 ? r.nextInt(1000) : 0;
            }
            h[r.nextInt(128)] += 1; // at least two occupied levels
            h[128 + r.nextInt(128)] += 1;
            int t = Otsu.threshold(h);
            double best = 0;
            for (int c = 0; c < 255; c++) {
                best = Math.max(best, betweenClassVariance(h, c));
            }
            assertEquals(best, betweenClassVariance(h, t), best * 1e-9, "trial " + trial);
        }
    }

    /** Written independently of Otsu's running sums: the textbook formula over two explicit classes. */
    private static double betweenClassVariance(long[] h, int t) {
        double n0 = 0, s0 = 0, n1 = 0, s1 = 0;
        for (int i = 0; i < h.length; i++) {
            if (i <= t) {
                n0 += h[i];
                s0 += i * (double) h[i];
            } else {
                n1 += h[i];
                s1 += i * (double) h[i];
            }
        }
        if (n0 == 0 || n1 == 0) {
            return 0;
        }
        double n = n0 + n1;
        double d = s0 / n0 - s1 / n1;
        return (n0 / n) * (n1 / n) * d * d;
    }

    @Test
    void aSingleLevelHasNoSplit() {
        long[] h = new long[Otsu.LEVELS];
        h[128] = 500;
        assertEquals(Otsu.NO_SPLIT, Otsu.threshold(h));
        assertEquals(Otsu.NO_SPLIT, Otsu.threshold(new long[Otsu.LEVELS]));
    }

    @Test
    void histogramCountsOnlyPixelsInside() {
        long[] h = Otsu.histogram(new int[] {0, 0, 5, 255}, new boolean[] {true, false, true, true});
        assertEquals(1, h[0]);
        assertEquals(1, h[5]);
        assertEquals(1, h[255]);
        assertEquals(2, Otsu.histogram(new int[] {0, 0, 5, 255}, null)[0]);
        assertThrows(IllegalArgumentException.class, () -> Otsu.threshold(new long[10]));
    }
}
