package org.ftl.data.label;

import org.ftl.data.Images;

import java.awt.image.BufferedImage;

/**
 * The picture a person checks a mask with: the original photo on the left and, on the right, the same
 * photo with every mask pixel tinted red (half photo, half pure red, so the texture under the crack stays
 * visible) and the region of interest, if any, outlined in yellow. The preview is exactly twice the
 * photo's width and as high as the photo, so the two halves line up pixel for pixel.
 */
public final class Preview {
    private static final int RED = 0xFF0000;
    private static final int YELLOW = 0xFFFF00;

    private Preview() {
    }

    /** Renders the side-by-side preview; {@code roi} may be null. */
    public static BufferedImage render(BufferedImage image, boolean[] mask, Roi roi) {
        int w = image.getWidth();
        int h = image.getHeight();
        if (mask.length != w * h) {
            throw new IllegalArgumentException("mask has " + mask.length + " pixels, image " + w + "x" + h);
        }
        BufferedImage out = new BufferedImage(2 * w, h, BufferedImage.TYPE_INT_RGB);
        BufferedImage rgb = Images.toRgb(image); // grey photos with their stored levels
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            rgb.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int p = row[x] & 0xFFFFFF;
                out.setRGB(x, y, p);
                out.setRGB(w + x, y, mask[y * w + x] ? blend(p, RED) : p);
            }
        }
        if (roi != null) {
            outline(out, w, roi);
        }
        return out;
    }

    private static int blend(int a, int b) {
        int r = (((a >> 16) & 0xFF) + ((b >> 16) & 0xFF)) / 2;
        int g = (((a >> 8) & 0xFF) + ((b >> 8) & 0xFF)) / 2;
        int bl = ((a & 0xFF) + (b & 0xFF)) / 2;
        return (r << 16) | (g << 8) | bl;
    }

    private static void outline(BufferedImage out, int offsetX, Roi roi) {
        int x0 = roi.x();
        int y0 = roi.y();
        int x1 = roi.x() + roi.width() - 1;
        int y1 = roi.y() + roi.height() - 1;
        for (int x = x0; x <= x1; x++) {
            out.setRGB(offsetX + x, y0, YELLOW);
            out.setRGB(offsetX + x, y1, YELLOW);
        }
        for (int y = y0; y <= y1; y++) {
            out.setRGB(offsetX + x0, y, YELLOW);
            out.setRGB(offsetX + x1, y, YELLOW);
        }
    }
}
