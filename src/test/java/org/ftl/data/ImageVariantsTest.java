package org.ftl.data;

import org.ftl.FtlError;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every kind of file a camera or tool exports either gives the picture it holds or an error naming it. */
class ImageVariantsTest {
    private static int channel(int rgb, int shift) {
        return (rgb >> shift) & 0xff;
    }

    @Test
    void everyVariantGivesThePictureItHolds() {
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : ImageVariants.good().entrySet()) {
            BufferedImage img = Images.decode(e.getValue(), e.getKey());
            assertEquals(ImageVariants.W, img.getWidth(), e.getKey());
            byte[] px = ImageTensors.pixels(img, new InputShape(ImageVariants.H, ImageVariants.W, 3));
            // the centre of each half, all three channels (JPEG may be off by a few levels)
            for (int[] at : new int[][] {{4, 8, 60}, {27, 8, 200}}) {
                int i = 3 * (at[1] * ImageVariants.W + at[0]);
                for (int c = 0; c < 3; c++) {
                    int v = px[i + c] & 0xff;
                    if (Math.abs(v - at[2]) > 6) {
                        wrong.add(e.getKey() + " at x=" + at[0] + " channel " + c + ": " + v + " instead of " + at[2]);
                    }
                }
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    @Test
    void aCmykJpegIsReadInColour() {
        BufferedImage img = Images.decode(ImageVariants.cmykJpeg(), "cmyk.jpg");
        int rgb = Images.toRgb(img).getRGB(27, 8);
        for (int shift : new int[] {16, 8, 0}) { // black ink only: grey, not tinted
            assertEquals(200, channel(rgb, shift), 6);
        }
        assertEquals(60, channel(Images.toRgb(img).getRGB(4, 8), 8), 6);
    }

    @Test
    void everyBadFileIsRefusedByName() {
        for (Map.Entry<String, byte[]> e : ImageVariants.bad().entrySet()) {
            String name = "/data/dataset/Crack/" + e.getKey();
            FtlError err = assertThrows(FtlError.class, () -> Images.decode(e.getValue(), name), e.getKey());
            assertTrue(err.getMessage().startsWith(name + ": "), err.getMessage());
            assertTrue(err.getMessage().indexOf('\n') < 0, "one line: " + err.getMessage());
        }
    }
}
