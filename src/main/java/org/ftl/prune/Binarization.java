package org.ftl.prune;

import java.util.Locale;

/** How a filter's activation map becomes the binary map compared with the mask. */
public enum Binarization {
    /** Active where the activation is above 0 (after ReLU: where the filter fires). */
    POSITIVE,
    /** Active where the activation is above a fixed threshold. */
    FIXED,
    /** Active where the activation is above the map's own mean. */
    MEAN,
    /**
     * Active above the map's Otsu threshold (256-bin histogram between its minimum and maximum). Each map
     * is cut against itself, so any filter whose response stands out on the object scores well, however
     * weak it is in absolute terms.
     */
    OTSU;

    public static Binarization parse(String name) {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
    }

    /** The cut for one map of {@code len} values starting at {@code off}: active means value &gt; cut. */
    float threshold(float[] map, int off, int len, float fixed) {
        switch (this) {
            case POSITIVE:
                return 0f;
            case FIXED:
                return fixed;
            case MEAN: {
                double s = 0;
                for (int i = off; i < off + len; i++) {
                    s += map[i];
                }
                return (float) (s / len);
            }
            default:
                return otsu(map, off, len);
        }
    }

    private static float otsu(float[] map, int off, int len) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = off; i < off + len; i++) {
            min = Math.min(min, map[i]);
            max = Math.max(max, map[i]);
        }
        if (!(max > min)) {
            return max; // a flat map: nothing is above its own level
        }
        int[] hist = new int[256];
        float scale = 255.999f / (max - min);
        for (int i = off; i < off + len; i++) {
            hist[(int) ((map[i] - min) * scale)]++;
        }
        double sumAll = 0;
        for (int b = 0; b < 256; b++) {
            sumAll += (double) b * hist[b];
        }
        double sumBelow = 0;
        long below = 0;
        double best = -1;
        int firstBest = 0;
        int lastBest = 0;
        for (int b = 0; b < 255; b++) {
            below += hist[b];
            sumBelow += (double) b * hist[b];
            long above = len - below;
            if (below == 0 || above == 0) {
                continue;
            }
            double meanBelow = sumBelow / below;
            double meanAbove = (sumAll - sumBelow) / above;
            double between = (double) below * above * (meanBelow - meanAbove) * (meanBelow - meanAbove);
            if (between > best * (1 + 1e-9)) {
                best = between;
                firstBest = b;
                lastBest = b;
            } else if (between >= best * (1 - 1e-9)) {
                lastBest = b; // empty bins between two modes give a plateau: cut in its middle
            }
        }
        // active = values above the chosen bin's upper edge
        return min + ((firstBest + lastBest) / 2f + 1) / scale;
    }
}
