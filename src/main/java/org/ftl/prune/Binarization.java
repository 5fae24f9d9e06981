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
