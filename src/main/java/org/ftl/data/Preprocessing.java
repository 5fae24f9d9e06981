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
        for (int c = 0; c < channels; c++) {
            int src = ((this == IMAGENET_CAFFE || this == BGR) && channels == 3) ? 2 - c : c;
            float mean = channels == 3 ? MEAN_RGB[src] : (MEAN_RGB[0] + MEAN_RGB[1] + MEAN_RGB[2]) / 3f;
            int base = offset + c * pixels;
            for (int i = 0; i < pixels; i++) {
                float v = rgb[i * channels + src] & 0xff;
                switch (this) {
                    case IMAGENET_MEAN, IMAGENET_CAFFE -> v -= mean;
                    case UNIT -> v /= 255f;
                    case NONE, BGR -> { }
                }
                out[base + i] = v;
            }
        }
    }
}
