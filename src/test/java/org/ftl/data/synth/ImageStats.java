package org.ftl.data.synth;

import org.ftl.data.Images;

import java.awt.image.BufferedImage;
import java.util.Arrays;

/** Plain per-image statistics a lazy classifier could use instead of seeing the crack, and the best it can do with one. */
final class ImageStats {
    private ImageStats() {
    }

    static double mean(float[] lum) {
        double s = 0;
        for (float v : lum) {
            s += v;
        }
        return s / lum.length;
    }

    static double std(float[] lum) {
        double m = mean(lum);
        double s = 0;
        for (float v : lum) {
            s += (v - m) * (v - m);
        }
        return Math.sqrt(s / lum.length);
    }

    static double min(float[] lum) {
        float m = Float.MAX_VALUE;
        for (float v : lum) {
            m = Math.min(m, v);
        }
        return m;
    }

    /** Share of pixels darker than {@code level} grey levels. */
    static double darkFraction(float[] lum, double level) {
        int n = 0;
        for (float v : lum) {
            n += v < level ? 1 : 0;
        }
        return (double) n / lum.length;
    }

    /** Share of pixels darker than {@code ratio} times the image's median: dark relative to its own surface. */
    static double relativeDarkFraction(float[] lum, double ratio) {
        float[] sorted = lum.clone();
        Arrays.sort(sorted);
        return darkFraction(lum, ratio * sorted[sorted.length / 2]);
    }

    static float[] luminance(BufferedImage img) {
        return Images.luminance(img);
    }

    /**
     * The accuracy of the best classifier "positive iff value > t" or "positive iff value < t" over every
     * threshold t: how well this one number alone separates the classes.
     */
    static double bestThresholdAccuracy(double[] values, boolean[] positive) {
        int n = values.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(values[a], values[b]));
        int totalPos = 0;
        for (boolean p : positive) {
            totalPos += p ? 1 : 0;
        }
        // threshold below everything: "> t" calls all positive
        int posBelow = 0;
        int negBelow = 0;
        double best = Math.max(totalPos, n - totalPos) / (double) n;
        for (int k = 0; k < n; k++) {
            if (positive[order[k]]) {
                posBelow++;
            } else {
                negBelow++;
            }
            if (k + 1 < n && values[order[k + 1]] == values[order[k]]) {
                continue; // a threshold cannot split equal values
            }
            int negAbove = (n - totalPos) - negBelow;
            int posAbove = totalPos - posBelow;
            double above = (posAbove + negBelow) / (double) n; // positive iff value > t
            double below = (posBelow + negAbove) / (double) n; // positive iff value <= t
            best = Math.max(best, Math.max(above, below));
        }
        return best;
    }
}
