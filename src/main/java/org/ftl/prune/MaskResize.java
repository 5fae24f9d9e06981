package org.ftl.prune;

import java.util.Locale;

/**
 * How an input-resolution mask is brought to a layer's smaller map. A map cell covers the block of input
 * pixels {@code [y·H/h, (y+1)·H/h) × [x·W/w, (x+1)·W/w)} (proportional footprint; receptive fields and
 * padding are not modelled).
 */
public enum MaskResize {
    /** Object where any pixel of the footprint is: thin cracks survive deep, coarse layers (default). */
    ANY,
    /** Object where at least half of the footprint is (area interpolation, then a 0.5 threshold). */
    AREA,
    /** The footprint's centre pixel (nearest neighbour). */
    NEAREST;

    public static MaskResize parse(String name) {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
    }

    /** A mask of {@code height × width} brought to {@code h × w} the given way (returned as is when equal). */
    public static boolean[] resizeTo(boolean[] mask, int height, int width, int h, int w, MaskResize how) {
        return h == height && w == width ? mask : how.resize(mask, height, width, h, w);
    }

    /** A mask of {@code height × width} brought to {@code h × w}, larger or smaller, this way. */
    public boolean[] resizeMask(boolean[] mask, int height, int width, int h, int w) {
        return resize(mask, height, width, h, w);
    }

    boolean[] resize(boolean[] mask, int height, int width, int h, int w) {
        boolean[] out = new boolean[h * w];
        for (int y = 0; y < h; y++) {
            int y0 = (int) ((long) y * height / h);
            int y1 = Math.max(y0 + 1, (int) (((long) (y + 1) * height + h - 1) / h));
            for (int x = 0; x < w; x++) {
                int x0 = (int) ((long) x * width / w);
                int x1 = Math.max(x0 + 1, (int) (((long) (x + 1) * width + w - 1) / w));
                out[y * w + x] = switch (this) {
                    case NEAREST -> mask[Math.min(height - 1, (y0 + y1) / 2) * width + Math.min(width - 1, (x0 + x1) / 2)];
                    case ANY, AREA -> {
                        int on = 0;
                        for (int yy = y0; yy < y1; yy++) {
                            for (int xx = x0; xx < x1; xx++) {
                                if (mask[yy * width + xx]) {
                                    on++;
                                }
                            }
                        }
                        yield this == ANY ? on > 0 : 2 * on >= (y1 - y0) * (x1 - x0);
                    }
                };
            }
        }
        return out;
    }
}
