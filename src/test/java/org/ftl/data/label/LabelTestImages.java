package org.ftl.data.label;

import java.awt.image.BufferedImage;
import java.util.function.IntBinaryOperator;

/** Small images with known grey levels for the labeller's tests. */
final class LabelTestImages {
    private LabelTestImages() {
    }

    /** An RGB image whose pixel (x, y) has the grey level {@code level(x, y)} in all three channels. */
    static BufferedImage rgb(int w, int h, IntBinaryOperator level) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = level.applyAsInt(x, y);
                img.setRGB(x, y, v * 0x010101);
            }
        }
        return img;
    }

    /** A light 40x30 surface (level 200) with a dark vertical crack (level 40) in columns 10 and 11. */
    static BufferedImage crackPhoto() {
        return rgb(40, 30, (x, y) -> x == 10 || x == 11 ? 40 : 200);
    }

    static int count(boolean[] mask) {
        int n = 0;
        for (boolean b : mask) {
            n += b ? 1 : 0;
        }
        return n;
    }
}
