package org.ftl.data.synth;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.SplittableRandom;

/**
 * A photographed patch of pavement before it becomes pixels: its shade (luminance, 0..255) per pixel and
 * its colour cast. Cracks and hard negatives change the shade only, so a crack darkens a pixel by the same
 * factor in every channel, as a shadow in a fissure does.
 */
final class Surface {
    /** Shade never goes below this, so any darkening still changes the 8-bit pixel (the mask stays exact). */
    static final float DARKEST = 20f;
    static final float BRIGHTEST = 245f;

    final int size;
    final float[] shade;
    /** Per-channel gain of the whole image (grey, bluish, brownish…), normalised to keep luminance. */
    private final float gainR;
    private final float gainG;
    private final float gainB;
    /** Slow colour drift across the image (+ warmer, - cooler), a few percent at most. */
    private final float[] warmth;

    Surface(int size, float[] shade, float gainR, float gainG, float gainB, float[] warmth) {
        this.size = size;
        this.shade = shade;
        float lum = 0.299f * gainR + 0.587f * gainG + 0.114f * gainB;
        this.gainR = gainR / lum;
        this.gainG = gainG / lum;
        this.gainB = gainB / lum;
        this.warmth = warmth;
    }

    /** Scales the shade inside a soft-edged disc: {@code factor} at the centre, blending to 1 at the rim. */
    void scaleDisc(double cx, double cy, double radius, double factor) {
        scaleDisc(shade, size, cx, cy, radius, factor);
    }

    /** As {@link #scaleDisc(double, double, double, double)}, on any size x size field. */
    static void scaleDisc(float[] field, int size, double cx, double cy, double radius, double factor) {
        int x0 = Math.max(0, (int) Math.floor(cx - radius - 1));
        int x1 = Math.min(size - 1, (int) Math.ceil(cx + radius + 1));
        int y0 = Math.max(0, (int) Math.floor(cy - radius - 1));
        int y1 = Math.min(size - 1, (int) Math.ceil(cy + radius + 1));
        for (int y = y0; y <= y1; y++) {
            double dy = y + 0.5 - cy;
            for (int x = x0; x <= x1; x++) {
                double dx = x + 0.5 - cx;
                double cover = ShadeLayer.coverage(Math.sqrt(dx * dx + dy * dy), radius);
                if (cover > 0) {
                    field[y * size + x] *= (float) (1 + (factor - 1) * cover);
                }
            }
        }
    }

    /**
     * Keeps the shade within [{@link #DARKEST}, {@link #BRIGHTEST}], where a darkened pixel still changes
     * in 8 bits. Highlights are compressed rather than cut, as a camera's response is, so a bright patch
     * keeps its texture instead of turning flat white.
     */
    void clamp() {
        float knee = BRIGHTEST - 45;
        for (int i = 0; i < shade.length; i++) {
            float v = shade[i];
            if (v > knee) {
                v = knee + 45 * (float) StrictMath.tanh((v - knee) / 45);
            }
            shade[i] = Math.max(DARKEST, Math.min(BRIGHTEST, v));
        }
    }

    /**
     * The RGB image, with sensor noise of {@code noise} grey levels per channel. The noise comes from its
     * own generator and is drawn for every pixel whatever the shade, so the same surface with and without a
     * crack differs only where the crack is.
     */
    BufferedImage toImage(SplittableRandom sensor, double noise) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        int[] px = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < px.length; i++) {
            float l = shade[i];
            float w = warmth[i];
            int r = channel(l * gainR * (1 + w) + noise * Seeds.gaussian(sensor));
            int g = channel(l * gainG + noise * Seeds.gaussian(sensor));
            int b = channel(l * gainB * (1 - w) + noise * Seeds.gaussian(sensor));
            px[i] = (r << 16) | (g << 8) | b;
        }
        return img;
    }

    private static int channel(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }
}
