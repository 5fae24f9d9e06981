package org.ftl.data;

import java.util.Locale;

/**
 * How pixel values become network inputs. The original FTL method used Keras' VGG16 preprocessing
 * (ImageNet mean subtraction); the mean used is that of the ImageNet training set, in RGB.
 */
public enum Preprocessing {
    /** RGB channels minus the ImageNet means (123.68, 116.78, 103.94); values stay on the 0–255 scale. */
    IMAGENET_MEAN,
    /** As Keras' "caffe" mode for VGG16 weights: channels reordered to BGR, then the ImageNet means subtracted. */
    IMAGENET_CAFFE,
    /** Values scaled to 0–1. */
    UNIT,
    /** Values as they are (0–255). */
    NONE;

    private static final float[] MEAN_RGB = {123.68f, 116.779f, 103.939f};

    public static Preprocessing parse(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Channel-first values for one image given as interleaved 0–255 RGB (or grey) bytes.
     *
     * @param rgb      pixels, row-major, {@code channels} values per pixel
     * @param out      destination, channel-first ({@code channels × pixels}), from {@code offset}
     */
    public void apply(byte[] rgb, int channels, float[] out, int offset) {
        int pixels = rgb.length / channels;
        int[] source = sourceChannels(channels);
        float[] means = means(channels);
        for (int c = 0; c < channels; c++) {
            int src = source[c];
            int base = offset + c * pixels;
            for (int i = 0; i < pixels; i++) {
                float v = rgb[i * channels + src] & 0xff;
                if (means != null) {
                    v -= means[c];
                } else if (this == UNIT) {
                    v /= 255f;
                }
                out[base + i] = v;
            }
        }
    }

    /** Which input channel each network channel takes: BGR for {@link #IMAGENET_CAFFE} on RGB, as it is otherwise. */
    public int[] sourceChannels(int channels) {
        return this == IMAGENET_CAFFE && channels == 3 ? new int[] {2, 1, 0} : java.util.stream.IntStream.range(0, channels).toArray();
    }

    /**
     * The mean subtracted from each network channel (after {@link #sourceChannels}), or null when none is; grey
     * images take the mean of the three.
     */
    public float[] means(int channels) {
        if (this != IMAGENET_MEAN && this != IMAGENET_CAFFE) {
            return null;
        }
        if (channels != 3) {
            float[] grey = new float[channels];
            java.util.Arrays.fill(grey, (MEAN_RGB[0] + MEAN_RGB[1] + MEAN_RGB[2]) / 3f);
            return grey;
        }
        int[] source = sourceChannels(channels);
        return new float[] {MEAN_RGB[source[0]], MEAN_RGB[source[1]], MEAN_RGB[source[2]]};
    }

    /** What every value is divided by after the means: 255 for {@link #UNIT}, else 1 (no division). */
    public float divisor() {
        return this == UNIT ? 255f : 1f;
    }
}
