package org.ftl.data.label;

import org.ftl.data.Images;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;

/**
 * The 8-bit grey level (0..255) of every pixel, row-major, as the file stores it. For colour images that is
 * {@link Images#luminance}; single-band grey images are read from the raster instead, because Java's
 * {@code getRGB} treats their grey as linear light and converts it to sRGB (a stored 60 comes back as 133),
 * which would make a fixed threshold mean something else on grey photos than on colour ones.
 */
final class GreyLevels {
    private GreyLevels() {
    }

    static int[] of(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        Raster raster = image.getRaster();
        int[] out = new int[w * h];
        if (raster.getNumBands() == 1 && image.getColorModel().getPixelSize() <= 16) {
            int shift = Math.max(0, image.getColorModel().getPixelSize() - 8);
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    out[y * w + x] = Math.min(255, row[x] >> shift);
                }
            }
            return out;
        }
        float[] lum = Images.luminance(image);
        for (int i = 0; i < lum.length; i++) {
            out[i] = Math.max(0, Math.min(255, Math.round(lum[i])));
        }
        return out;
    }

    /** Whether {@link #of} reads this image's raster directly (its getRGB colours cannot be trusted). */
    static boolean isSingleBandGrey(BufferedImage image) {
        return image.getRaster().getNumBands() == 1 && image.getColorModel().getPixelSize() <= 16;
    }
}
