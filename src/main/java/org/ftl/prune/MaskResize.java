package org.ftl.prune;

import java.util.Locale;

/**
 * How a mask is brought to a layer's smaller map. For {@link #ANY}, {@link #AREA} and {@link #NEAREST} the mask
 * is at input resolution and a map cell covers the block of input pixels
 * {@code [y·H/h, (y+1)·H/h) × [x·W/w, (x+1)·W/w)} (proportional footprint; receptive fields and padding are not
 * modelled). {@link #BILINEAR} starts from the mask as stored, at its image's own size.
 */
public enum MaskResize {
    /** Object where any pixel of the footprint is: thin cracks survive deep, coarse layers (default). */
    ANY,
    /** Object where at least half of the footprint is (area interpolation, then a 0.5 threshold). */
    AREA,
    /** The footprint's centre pixel (nearest neighbour). */
    NEAREST,
    /**
     * The original method's: OpenCV's {@code cv2.resize} (bilinear, its default) of the mask as stored (object 255)
     * straight to the map's size, and every non-zero result is object, computed as OpenCV 4 does for 8-bit images
     * (11-bit fixed-point weights and its rounding; checked against {@code cv2.resize}). Bilinear reads only the
     * two-by-two source pixels around each cell's centre {@code (x + 0.5)·W/w − 0.5}: pixels between those samples
     * are never seen, so a one-pixel crack can vanish at a coarse layer, and a sample with a small weight can round
     * to 0. An exact halving is OpenCV's exception: it averages the two-by-two block.
     */
    BILINEAR,
    /**
     * Object where at least a fraction t of the footprint is ({@code prune.iou.coverage}); from the mask as stored,
     * like {@link #BILINEAR}. Between {@link #ANY} (any pixel: a one-pixel crack marks a whole coarse cell, so deep
     * masks cover most cells) and {@link #AREA} (half: a thin crack vanishes at coarse layers).
     */
    COVERAGE;

    /** Whether masks are kept at their image's own size and resized straight to each map (not first to the input). */
    public boolean fromStoredMask() {
        return this == BILINEAR || this == COVERAGE;
    }

    public static MaskResize parse(String name) {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
    }

    /** A mask of {@code height × width} brought to {@code h × w} the given way (returned as is when equal). */
    public static boolean[] resizeTo(boolean[] mask, int height, int width, int h, int w, MaskResize how) {
        return resizeTo(mask, height, width, h, w, how, 0.5);
    }

    /** As {@link #resizeTo(boolean[], int, int, int, int, MaskResize)}, with the fraction t of {@link #COVERAGE}. */
    public static boolean[] resizeTo(boolean[] mask, int height, int width, int h, int w, MaskResize how, double coverage) {
        return h == height && w == width ? mask : how.resize(mask, height, width, h, w, coverage);
    }

    /** A mask of {@code height × width} brought to {@code h × w}, larger or smaller, this way. */
    public boolean[] resizeMask(boolean[] mask, int height, int width, int h, int w) {
        return resize(mask, height, width, h, w);
    }

    boolean[] resize(boolean[] mask, int height, int width, int h, int w) {
        return resize(mask, height, width, h, w, 0.5);
    }

    boolean[] resize(boolean[] mask, int height, int width, int h, int w, double coverage) {
        if (this == COVERAGE && !(coverage > 0 && coverage <= 1)) {
            throw new IllegalArgumentException("coverage must be in (0, 1]: " + coverage);
        }
        if (this == BILINEAR) {
            return bilinear(mask, height, width, h, w);
        }
        boolean[] out = new boolean[h * w];
        for (int y = 0; y < h; y++) {
            int y0 = (int) ((long) y * height / h);
            int y1 = Math.max(y0 + 1, (int) (((long) (y + 1) * height + h - 1) / h));
            for (int x = 0; x < w; x++) {
                int x0 = (int) ((long) x * width / w);
                int x1 = Math.max(x0 + 1, (int) (((long) (x + 1) * width + w - 1) / w));
                out[y * w + x] = switch (this) {
                    case NEAREST -> mask[Math.min(height - 1, (y0 + y1) / 2) * width + Math.min(width - 1, (x0 + x1) / 2)];
                    case BILINEAR -> throw new IllegalStateException("resized above");
                    case ANY, AREA, COVERAGE -> {
                        int on = 0;
                        for (int yy = y0; yy < y1; yy++) {
                            for (int xx = x0; xx < x1; xx++) {
                                if (mask[yy * width + xx]) {
                                    on++;
                                }
                            }
                        }
                        int area = (y1 - y0) * (x1 - x0);
                        yield switch (this) {
                            case ANY -> on > 0;
                            case AREA -> 2 * on >= area;
                            default -> on > 0 && on >= coverage * area;
                        };
                    }
                };
            }
        }
        return out;
    }

    private static boolean[] bilinear(boolean[] mask, int height, int width, int h, int w) {
        boolean[] out = new boolean[h * w];
        if (height == 2 * h && width == 2 * w) {
            // OpenCV turns an exact halving into its area average: any object pixel of the 2x2 block shows
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int i = 2 * y * width + 2 * x;
                    out[y * w + x] = mask[i] || mask[i + 1] || mask[i + width] || mask[i + width + 1];
                }
            }
            return out;
        }
        int[][] ys = taps(height, h);
        int[][] xs = taps(width, w);
        int[] row0 = new int[w];
        int[] row1 = new int[w];
        for (int y = 0; y < h; y++) {
            horizontal(mask, ys[y][0] * width, xs, row0);
            horizontal(mask, ys[y][1] * width, xs, row1);
            for (int x = 0; x < w; x++) {
                // OpenCV's vertical pass for 8-bit images (its SIMD path on x86): rows taken down by 4 bits, multiplied
                // by the 11-bit weights keeping the high 16 bits, summed, then rounded by the last 2 bits
                int r = (((row0[x] >> 4) * ys[y][2]) >> 16) + (((row1[x] >> 4) * ys[y][3]) >> 16);
                out[y * w + x] = ((r + 2) >> 2) != 0;
            }
        }
        return out;
    }

    /** The horizontal pass of one source row, an object pixel being 255: sums of value × 11-bit weight. */
    private static void horizontal(boolean[] mask, int rowStart, int[][] xs, int[] out) {
        for (int x = 0; x < out.length; x++) {
            int[] t = xs[x];
            out[x] = (mask[rowStart + t[0]] ? 255 * t[2] : 0) + (mask[rowStart + t[1]] ? 255 * t[3] : 0);
        }
    }

    /**
     * Per output index {@code i}: the two source indices and their weights in 1/2048, as OpenCV's {@code cv2.resize}
     * computes them for 8-bit images (INTER_LINEAR): centre {@code (i + 0.5)·scale − 0.5} in float, clamped to the
     * edges, weights rounded to 11 bits.
     */
    private static int[][] taps(int n, int m) {
        double scale = 1.0 / ((double) m / n);
        int[][] taps = new int[m][];
        for (int i = 0; i < m; i++) {
            float f = (float) ((i + 0.5) * scale - 0.5);
            int lo = (int) Math.floor(f);
            f -= lo;
            if (lo < 0) {
                f = 0;
                lo = 0;
            }
            if (lo >= n - 1) {
                f = 0;
                lo = n - 1;
            }
            taps[i] = new int[] {lo, Math.min(lo + 1, n - 1), (int) Math.rint((1f - f) * 2048f), (int) Math.rint(f * 2048f)};
        }
        return taps;
    }
}
