package org.ftl.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/** Images resized to a network's input and laid out channel-first, as ND4J/DL4J take them (NCHW). */
public final class ImageTensors {
    private ImageTensors() {
    }

    /**
     * Resizes (bilinear, with a box pre-shrink for large reductions so small features are averaged, not
     * skipped) and converts to interleaved bytes: RGB for 3 channels, luminance for 1.
     */
    public static byte[] pixels(BufferedImage image, InputShape shape) {
        BufferedImage src = Images.toRgb(image); // before any drawing: Java2D brightens stored grey too
        // shrink by halves first: bilinear alone samples only 4 pixels per output and aliases thin cracks
        while (src.getWidth() >= 2 * shape.width() && src.getHeight() >= 2 * shape.height()) {
            src = resize(src, src.getWidth() / 2, src.getHeight() / 2);
        }
        BufferedImage sized = (src.getWidth() == shape.width() && src.getHeight() == shape.height()
                && src.getType() == BufferedImage.TYPE_INT_RGB) ? src : resize(src, shape.width(), shape.height());
        int w = shape.width();
        int h = shape.height();
        int[] argb = sized.getRGB(0, 0, w, h, null, 0, w);
        byte[] out = new byte[w * h * shape.channels()];
        for (int i = 0; i < argb.length; i++) {
            int p = argb[i];
            int r = (p >> 16) & 0xff;
            int g = (p >> 8) & 0xff;
            int b = p & 0xff;
            if (shape.channels() == 3) {
                out[3 * i] = (byte) r;
                out[3 * i + 1] = (byte) g;
                out[3 * i + 2] = (byte) b;
            } else {
                out[i] = (byte) Math.round(0.299f * r + 0.587f * g + 0.114f * b);
            }
        }
        return out;
    }

    private static BufferedImage resize(BufferedImage src, int w, int h) {
        BufferedImage dst = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = dst.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(src, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        return dst;
    }

    /** One image as network input values, channel-first, written into {@code out} at {@code offset}. */
    public static void write(BufferedImage image, InputShape shape, Preprocessing pre, float[] out, int offset) {
        pre.apply(pixels(image, shape), shape.channels(), out, offset);
    }

    /** Values per image in the NCHW layout. */
    public static int length(InputShape shape) {
        return shape.channels() * shape.height() * shape.width();
    }
}
