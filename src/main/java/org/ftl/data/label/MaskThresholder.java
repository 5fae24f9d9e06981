package org.ftl.data.label;

import org.ftl.data.Otsu;

import org.ftl.data.Images;

import java.awt.image.BufferedImage;

/**
 * Turns one photo into a binary object mask by thresholding its luminance: the threshold is fixed or
 * chosen by {@link Otsu}, the object is the dark or the light side ({@link Polarity}), and with a region of
 * interest only the pixels inside it can be object (and only they feed Otsu's histogram, so a bright sky
 * or a painted line outside the box does not pull the threshold away from the crack).
 * <p>
 * An optional box blur (radius in pixels, 0 = none) runs on the luminance first: it removes the salt of
 * single dark pixels in coarse asphalt texture at the price of slightly wider cracks.
 */
public final class MaskThresholder {
    /** The largest blur radius accepted: past this a hairline crack is smeared into its surroundings. */
    public static final int MAX_BLUR = 10;

    private final ThresholdMethod method;
    private final int fixedThreshold;
    private final Polarity polarity;
    private final int blurRadius;

    /** {@code fixedThreshold} (0..255) is used only by {@link ThresholdMethod#FIXED}. */
    public MaskThresholder(ThresholdMethod method, int fixedThreshold, Polarity polarity, int blurRadius) {
        if (fixedThreshold < 0 || fixedThreshold > 255) {
            throw new IllegalArgumentException("threshold must be 0 to 255, not " + fixedThreshold);
        }
        if (blurRadius < 0 || blurRadius > MAX_BLUR) {
            throw new IllegalArgumentException("blur radius must be 0 to " + MAX_BLUR + ", not " + blurRadius);
        }
        this.method = method;
        this.fixedThreshold = fixedThreshold;
        this.polarity = polarity;
        this.blurRadius = blurRadius;
    }

    /** The mask of {@code image}; {@code roi} may be null (the whole image is of interest). */
    public LabelledMask label(BufferedImage image, Roi roi) {
        int w = image.getWidth();
        int h = image.getHeight();
        if (roi != null && !roi.fitsIn(w, h)) {
            throw new IllegalArgumentException("region " + roi + " does not fit inside a " + w + "x" + h + " image");
        }
        int[] grey = Images.greyLevels(image);
        int[] levels = blurRadius == 0 ? grey : levels(boxBlur(toFloat(grey), w, h, blurRadius));
        boolean[] inside = roi == null ? null : roi.inside(w, h);
        int threshold = method == ThresholdMethod.FIXED
                ? fixedThreshold
                : Otsu.threshold(Otsu.histogram(levels, inside));
        boolean[] mask = new boolean[levels.length];
        int objectPixels = 0;
        // a region of one grey level has no crack to find: an empty mask, whatever the polarity
        if (threshold != Otsu.NO_SPLIT) {
            for (int i = 0; i < levels.length; i++) {
                if ((inside == null || inside[i]) && polarity.isObject(levels[i], threshold)) {
                    mask[i] = true;
                    objectPixels++;
                }
            }
        }
        return new LabelledMask(mask, w, h, threshold, (double) objectPixels / levels.length);
    }

    private static float[] toFloat(int[] levels) {
        float[] out = new float[levels.length];
        for (int i = 0; i < levels.length; i++) {
            out[i] = levels[i];
        }
        return out;
    }

    private static int[] levels(float[] luminance) {
        int[] out = new int[luminance.length];
        for (int i = 0; i < luminance.length; i++) {
            out[i] = Math.max(0, Math.min(255, Math.round(luminance[i])));
        }
        return out;
    }

    /** A separable mean filter with edge pixels repeated, so borders are not darkened by a zero frame. */
    static float[] boxBlur(float[] src, int w, int h, int r) {
        if (r == 0) {
            return src;
        }
        float[] tmp = new float[src.length];
        float[] out = new float[src.length];
        float norm = 1f / (2 * r + 1);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float s = 0;
                for (int d = -r; d <= r; d++) {
                    s += src[y * w + Math.max(0, Math.min(w - 1, x + d))];
                }
                tmp[y * w + x] = s * norm;
            }
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float s = 0;
                for (int d = -r; d <= r; d++) {
                    s += tmp[Math.max(0, Math.min(h - 1, y + d)) * w + x];
                }
                out[y * w + x] = s * norm;
            }
        }
        return out;
    }

    public ThresholdMethod method() {
        return method;
    }

    public Polarity polarity() {
        return polarity;
    }

    public int blurRadius() {
        return blurRadius;
    }
}
