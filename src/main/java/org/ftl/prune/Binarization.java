package org.ftl.prune;

import org.ftl.data.Otsu;

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
    OTSU,
    /**
     * Active on the map's own top fraction q of cells ({@code prune.iou.top-fraction}): every filter's binary map is
     * about as sparse as a crack mask, whatever its scale, so a filter that fires on most cells of a deep layer
     * cannot score on coverage alone. Cells tied with the q-th largest value are all active; the map's minimum
     * never is (a flat map, or a ReLU map mostly at 0, keeps only what stands above its floor).
     */
    TOP_FRACTION;

    public static Binarization parse(String name) {
        return valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    /** The name as settings write it: top-fraction. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The cut for one map of {@code len} values starting at {@code off}: active means value &gt; cut.
     *
     * @param fixed the cut of {@link #FIXED}, or the fraction q of {@link #TOP_FRACTION}
     */
    float threshold(float[] map, int off, int len, float fixed) {
        switch (this) {
            case TOP_FRACTION:
                return topFraction(map, off, len, fixed);
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

    /** The cut that leaves the {@code ceil(q·len)} largest values active (ties with the last included), never the minimum. */
    private static float topFraction(float[] map, int off, int len, float q) {
        float[] sorted = java.util.Arrays.copyOfRange(map, off, off + len);
        java.util.Arrays.sort(sorted);
        int k = Math.max(1, Math.min(len, (int) Math.ceil(q * (double) len)));
        float kth = sorted[len - k];
        return kth > sorted[0] ? Math.nextDown(kth) : kth;
    }

    /** Otsu's cut on a 256-bin histogram between the map's minimum and maximum. */
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
        long[] hist = new long[Otsu.LEVELS];
        float scale = (Otsu.LEVELS - 0.001f) / (max - min);
        for (int i = off; i < off + len; i++) {
            hist[(int) ((map[i] - min) * scale)]++;
        }
        int bin = Otsu.threshold(hist);
        // bins 0..bin are below: active means above the upper edge of the cut bin
        return bin == Otsu.NO_SPLIT ? max : min + (bin + 1) / scale;
    }
}
