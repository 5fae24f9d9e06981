package org.ftl.data;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ImagesTest {
    @Test
    void greyImagesKeepTheirStoredLevels() {
        BufferedImage g8 = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        g8.getRaster().setSample(0, 0, 0, 60);
        g8.getRaster().setSample(1, 0, 0, 200);
        assertArrayEquals(new int[] {60, 200}, Images.greyLevels(g8));
        assertEquals(60 * 0x010101, Images.toRgb(g8).getRGB(0, 0) & 0xFFFFFF);

        BufferedImage g16 = new BufferedImage(1, 1, BufferedImage.TYPE_USHORT_GRAY);
        g16.getRaster().setSample(0, 0, 0, 60 << 8);
        assertArrayEquals(new int[] {60}, Images.greyLevels(g16));
        // and the network sees the same level
        assertArrayEquals(new byte[] {60}, ImageTensors.pixels(g16, new InputShape(1, 1, 1)));
    }

    @Test
    void colourImagesGiveLuminance() {
        BufferedImage c = new BufferedImage(1, 1, BufferedImage.TYPE_3BYTE_BGR);
        c.setRGB(0, 0, 0xFF0000);
        assertEquals(76, Images.greyLevels(c)[0]);
        assertArrayEquals(new byte[] {(byte) 255, 0, 0}, ImageTensors.pixels(c, new InputShape(1, 1, 3)));
    }

    /** bgr is an image as OpenCV's imread gives it (the original's scoring input); imagenet-caffe subtracts the means. */
    @Test
    void bgrReordersTheChannelsAndKeepsTheValues() {
        byte[] rgb = {10, 20, 30, 40, 50, 60};
        float[] out = new float[6];
        Preprocessing.BGR.apply(rgb, 3, out, 0);
        assertArrayEquals(new float[] {30, 60, 20, 50, 10, 40}, out);
        Preprocessing.IMAGENET_CAFFE.apply(rgb, 3, out, 0);
        assertArrayEquals(new float[] {30 - 103.939f, 60 - 103.939f, 20 - 116.779f, 50 - 116.779f, 10 - 123.68f,
                40 - 123.68f}, out);
    }
}
