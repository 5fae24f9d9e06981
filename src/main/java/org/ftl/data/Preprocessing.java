package org.ftl.data;

import java.util.Locale;

/**
 * How pixel values become network inputs. The original method's feature extraction used Keras'
 * {@code preprocess_input} in its "caffe" mode ({@link #IMAGENET_CAFFE}); its filter scoring fed the images
 * as OpenCV reads them ({@link #BGR}). The means are those of the ImageNet training set.
 */
public enum Preprocessing {
    /** RGB channels minus the ImageNet means (123.68, 116.78, 103.94); values stay on the 0–255 scale. */
    IMAGENET_MEAN,
    /** As Keras' "caffe" mode for VGG16 weights: channels reordered to BGR, then the ImageNet means subtracted. */
    IMAGENET_CAFFE,
    /**
     * As torchvision's ImageNet models expect: RGB scaled to 0–1, minus the means (0.485, 0.456, 0.406), divided by
     * the standard deviations (0.229, 0.224, 0.225) — here on the 0–255 scale, (x − 255·mean) / (255·std).
     */
    IMAGENET_TORCH,
    /** Values scaled to 0–1. */
    UNIT,
    /** Values as they are (0–255). */
    NONE,
    /**
     * Channels reordered to BGR, values as they are (0–255): an image as OpenCV's {@code imread} gives it, which
     * is what the original method scored filters on.
     */
    BGR;

    private static final float[] MEAN_RGB = {123.68f, 116.779f, 103.939f};
    private static final float[] TORCH_MEAN_RGB = {123.675f, 116.28f, 103.53f};
    private static final float[] TORCH_STD_RGB = {58.395f, 57.12f, 57.375f};

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
        float[] divisors = divisors(channels);
        for (int c = 0; c < channels; c++) {
            int src = source[c];
            int base = offset + c * pixels;
            float mean = means == null ? 0f : means[c];
            float divisor = divisors == null ? 1f : divisors[c];
            for (int i = 0; i < pixels; i++) {
                float v = rgb[i * channels + src] & 0xff;
                if (means != null) {
                    v -= mean;
                }
                if (divisors != null) {
                    v /= divisor;
                }
                out[base + i] = v;
            }
        }
    }

    /**
     * Which input channel each network channel takes: BGR for {@link #IMAGENET_CAFFE} and {@link #BGR} on RGB, as it
     * is otherwise.
     */
    public int[] sourceChannels(int channels) {
        return (this == IMAGENET_CAFFE || this == BGR) && channels == 3 ? new int[] {2, 1, 0} : java.util.stream.IntStream.range(0, channels).toArray();
    }

    /**
     * The mean subtracted from each network channel (after {@link #sourceChannels}), or null when none is; grey
     * images take the mean of the three.
     */
    public float[] means(int channels) {
        return switch (this) {
            case IMAGENET_MEAN, IMAGENET_CAFFE -> perChannel(MEAN_RGB, channels);
            case IMAGENET_TORCH -> perChannel(TORCH_MEAN_RGB, channels);
            default -> null;
        };
    }

    /**
     * What each network channel is divided by after the means (255 for {@link #UNIT}, the standard deviations for
     * {@link #IMAGENET_TORCH}), or null when nothing is divided.
     */
    public float[] divisors(int channels) {
        return switch (this) {
            case UNIT -> perChannel(new float[] {255f, 255f, 255f}, channels);
            case IMAGENET_TORCH -> perChannel(TORCH_STD_RGB, channels);
            default -> null;
        };
    }

    /** RGB values for the network's channels (after {@link #sourceChannels}); grey takes the mean of the three. */
    private float[] perChannel(float[] rgb, int channels) {
        if (channels != 3) {
            float[] grey = new float[channels];
            java.util.Arrays.fill(grey, (rgb[0] + rgb[1] + rgb[2]) / 3f);
            return grey;
        }
        int[] source = sourceChannels(channels);
        return new float[] {rgb[source[0]], rgb[source[1]], rgb[source[2]]};
    }
}
