package org.ftl.data;

import org.ftl.FtlError;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Corrupted images either decode or fail with an error naming the file: never another exception, never a hang. */
class ImageFuzzTest {
    private static byte[] encode(String format, int type) throws IOException {
        BufferedImage img = new BufferedImage(48, 40, type);
        SplittableRandom r = new SplittableRandom(1);
        for (int y = 0; y < 40; y++) {
            for (int x = 0; x < 48; x++) {
                img.setRGB(x, y, r.nextInt(0x1000000));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(img, format, out), format);
        return out.toByteArray();
    }

    /**
     * Every good variant (PNG 8/16 bit, grey, alpha, palette; JPEG baseline, progressive, grey, CMYK; BMP; GIF;
     * TIFF) corrupted in five ways: bytes flipped, cut short, a run of garbage, the header damaged, a block
     * repeated. Each copy is decoded and, when it decodes, turned into network input, within 10 s.
     */
    @Test
    void corruptedCopiesAreLoadedOrReported() {
        java.util.List<java.util.Map.Entry<String, byte[]>> originals = new java.util.ArrayList<>(ImageVariants.good().entrySet());
        SplittableRandom r = new SplittableRandom(42);
        int loaded = 0;
        int reported = 0;
        int[] byMode = new int[5];
        int copies = 30 * originals.size();
        for (int k = 0; k < copies; k++) {
            var original = originals.get(k % originals.size());
            byte[] bytes = original.getValue().clone();
            int mode = (k / originals.size()) % 5;
            switch (mode) {
                case 0 -> { // flip a few random bytes
                    for (int i = 0; i < 1 + r.nextInt(8); i++) {
                        bytes[r.nextInt(bytes.length)] ^= (byte) (1 + r.nextInt(255));
                    }
                }
                case 1 -> bytes = java.util.Arrays.copyOf(bytes, r.nextInt(bytes.length)); // truncated
                case 2 -> { // a run of garbage
                    int at = r.nextInt(bytes.length);
                    for (int i = at; i < Math.min(bytes.length, at + 64); i++) {
                        bytes[i] = (byte) r.nextInt(256);
                    }
                }
                case 3 -> { // the header: signature, sizes, colour type, markers
                    for (int i = 0; i < 1 + r.nextInt(3); i++) {
                        bytes[r.nextInt(Math.min(64, bytes.length))] = (byte) r.nextInt(256);
                    }
                }
                default -> { // a block repeated (a bad copy or a resumed download)
                    int from = r.nextInt(bytes.length);
                    int len = 1 + r.nextInt(Math.min(256, bytes.length - from));
                    byte[] longer = new byte[bytes.length + len];
                    System.arraycopy(bytes, 0, longer, 0, from + len);
                    System.arraycopy(bytes, from, longer, from + len, bytes.length - from);
                    bytes = longer;
                }
            }
            byte[] input = bytes;
            String name = "fuzz-" + k + "-" + original.getKey();
            boolean ok = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                try {
                    BufferedImage img = Images.decode(input, name);
                    assertTrue(img.getWidth() > 0 && img.getHeight() > 0, name);
                    assertEquals(3 * 16 * 16, ImageTensors.pixels(img, new InputShape(16, 16, 3)).length);
                    return true;
                } catch (FtlError e) {
                    assertTrue(e.getMessage().startsWith(name + ": "), e.getMessage());
                    return false;
                }
            }, name);
            if (ok) {
                loaded++;
            } else {
                reported++;
                byMode[mode]++;
            }
        }
        assertEquals(copies, loaded + reported);
        assertTrue(copies >= 500, "a few hundred copies: " + copies);
        assertTrue(reported > 100 && loaded > 50, "loaded " + loaded + ", reported " + reported);
        for (int m = 0; m < byMode.length; m++) {
            assertTrue(byMode[m] > 0, "corruption " + m + " was never reported: " + java.util.Arrays.toString(byMode));
        }
    }

    @Test
    void emptyNonImageAndBombAreRefusedByName() throws IOException {
        assertEquals("a.png: empty file (0 bytes)",
                assertThrows(FtlError.class, () -> Images.decode(new byte[0], "a.png")).getMessage());
        assertTrue(assertThrows(FtlError.class, () -> Images.decode("hello".getBytes(), "notes.jpg")).getMessage()
                .startsWith("notes.jpg: not an image"));
        // a valid PNG header declaring 20000x20000 pixels: refused before any pixel is decoded
        byte[] png = encode("png", BufferedImage.TYPE_BYTE_GRAY);
        java.nio.ByteBuffer.wrap(png, 16, 8).putInt(20000).putInt(20000);
        FtlError bomb = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertThrows(FtlError.class, () -> Images.decode(png, "bomb.png")));
        assertTrue(bomb.getMessage().contains("20000x20000 pixels is more than"), bomb.getMessage());
    }
}
