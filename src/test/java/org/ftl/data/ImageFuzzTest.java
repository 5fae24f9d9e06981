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

    @Test
    void corruptedCopiesAreLoadedOrReported() throws IOException {
        byte[][] originals = {encode("png", BufferedImage.TYPE_INT_RGB), encode("jpg", BufferedImage.TYPE_INT_RGB),
                encode("bmp", BufferedImage.TYPE_INT_RGB), encode("png", BufferedImage.TYPE_BYTE_GRAY)};
        SplittableRandom r = new SplittableRandom(42);
        int loaded = 0;
        int reported = 0;
        for (int k = 0; k < 400; k++) {
            byte[] bytes = originals[k % originals.length].clone();
            switch (k % 4) {
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
                default -> bytes[r.nextInt(Math.min(32, bytes.length))] ^= (byte) 0xff; // the header
            }
            byte[] input = bytes;
            String name = "fuzz-" + k;
            boolean ok = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                try {
                    BufferedImage img = Images.decode(input, name);
                    return img != null;
                } catch (FtlError e) {
                    assertTrue(e.getMessage().startsWith(name + ": "), e.getMessage());
                    return false;
                }
            });
            if (ok) {
                loaded++;
            } else {
                reported++;
            }
        }
        assertEquals(400, loaded + reported);
        assertTrue(reported > 50 && loaded > 20, "loaded " + loaded + ", reported " + reported);
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
