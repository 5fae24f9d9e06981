package org.ftl.data.tile;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts one annotated photo into square patches and sorts each by how much of it the crack mask covers:
 * <ul>
 *   <li>Crack: the mask covers at least {@code minCrack} of the patch,</li>
 *   <li>Background: the mask covers none of it,</li>
 *   <li>sliver: in between. A patch with a few crack pixels in a corner is neither a fair Crack example
 *       (the classifier would learn to call a crack from a speck) nor a true Background, so it is left out
 *       and only counted.</li>
 * </ul>
 * Patches start at multiples of the stride and lie wholly inside the photo: a strip at the right or
 * bottom edge narrower than a patch is not used (padding would invent pixels the camera never saw).
 */
public final class Tiler {
    /** What a patch is taken as. */
    public enum Kind { CRACK, BACKGROUND, SLIVER }

    /** One patch: its top-left corner in the photo, its kind, and the fraction of its pixels that are crack. */
    public record Patch(int x, int y, Kind kind, double crackFraction) {
    }

    private final int size;
    private final int stride;
    private final double minCrack;

    /** {@code minCrack} in (0, 1]: the smallest crack cover of a Crack patch. */
    public Tiler(int size, int stride, double minCrack) {
        if (size < 1 || stride < 1) {
            throw new IllegalArgumentException("patch size and stride must be at least 1");
        }
        if (!(minCrack > 0 && minCrack <= 1)) {
            throw new IllegalArgumentException("minimum crack cover must be above 0 and at most 1, not " + minCrack);
        }
        this.size = size;
        this.stride = stride;
        this.minCrack = minCrack;
    }

    /** The patches of a {@code width x height} photo whose mask (row-major, true = crack) is given, row by row. */
    public List<Patch> cut(boolean[] mask, int width, int height) {
        if (mask.length != width * height) {
            throw new IllegalArgumentException("mask has " + mask.length + " pixels, photo " + width + "x" + height);
        }
        long[] integral = integral(mask, width, height);
        List<Patch> patches = new ArrayList<>();
        double area = (double) size * size;
        for (int y = 0; y + size <= height; y += stride) {
            for (int x = 0; x + size <= width; x += stride) {
                long crack = sum(integral, width, x, y, size);
                double fraction = crack / area;
                Kind kind = crack == 0 ? Kind.BACKGROUND : fraction >= minCrack ? Kind.CRACK : Kind.SLIVER;
                patches.add(new Patch(x, y, kind, fraction));
            }
        }
        return patches;
    }

    /** Summed-area table with a zero first row and column, so any stride (even 1) costs one look-up per patch. */
    private static long[] integral(boolean[] mask, int w, int h) {
        long[] s = new long[(w + 1) * (h + 1)];
        for (int y = 0; y < h; y++) {
            long row = 0;
            for (int x = 0; x < w; x++) {
                row += mask[y * w + x] ? 1 : 0;
                s[(y + 1) * (w + 1) + x + 1] = s[y * (w + 1) + x + 1] + row;
            }
        }
        return s;
    }

    private static long sum(long[] s, int w, int x, int y, int n) {
        int stride = w + 1;
        return s[(y + n) * stride + x + n] - s[y * stride + x + n] - s[(y + n) * stride + x] + s[y * stride + x];
    }

    public int size() {
        return size;
    }

    public int stride() {
        return stride;
    }

    public double minCrack() {
        return minCrack;
    }
}
