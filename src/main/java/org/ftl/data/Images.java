package org.ftl.data;

import org.ftl.AtomicFiles;
import org.ftl.FtlError;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reading and writing the images and masks of the data layout, with errors that name the file. */
public final class Images {
    private Images() {
    }

    /** Decodes an image file (PNG, JPEG, BMP, whatever ImageIO reads); an undecodable file is an {@link FtlError}. */
    public static BufferedImage read(Path file) {
        try {
            return decode(Files.readAllBytes(file), file.toString());
        } catch (IOException e) {
            throw new FtlError(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Decodes an image held in memory (as read through Hadoop's FileSystem); {@code name} is for messages. */
    public static BufferedImage decode(byte[] bytes, String name) {
        BufferedImage img;
        try {
            img = ImageIO.read(new java.io.ByteArrayInputStream(bytes));
        } catch (IOException | RuntimeException e) {
            throw new FtlError(name + ": cannot decode image: " + e.getMessage(), e);
        }
        if (img == null) {
            throw new FtlError(name + ": not an image in a format this build reads (PNG, JPEG, BMP)");
        }
        return img;
    }

    /** Writes a PNG under a temporary name and moves it into place, so a half-written file is never seen. */
    public static void writePng(BufferedImage image, Path file) {
        AtomicFiles.write(file, tmp -> {
            if (!ImageIO.write(image, "png", tmp.toFile())) {
                throw new IllegalStateException("no PNG writer for image type " + image.getType());
            }
        });
    }

    /** Luminance 0..255 per pixel, row-major (ITU-R BT.601 weights), for any colour model. */
    public static float[] luminance(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        float[] out = new float[w * h];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int p = row[x];
                out[y * w + x] = 0.299f * ((p >> 16) & 0xff) + 0.587f * ((p >> 8) & 0xff) + 0.114f * (p & 0xff);
            }
        }
        return out;
    }

    /**
     * A mask as booleans, row-major. Masks are 0/255 or 0/1, grey or RGB: a pixel is "object" when its
     * luminance is above half of the brightest pixel's, which reads both conventions the same way.
     */
    public static boolean[] mask(BufferedImage img) {
        float[] lum = luminance(img);
        float max = 0;
        for (float v : lum) {
            max = Math.max(max, v);
        }
        boolean[] m = new boolean[lum.length];
        if (max == 0) {
            return m;
        }
        float cut = max / 2f;
        for (int i = 0; i < lum.length; i++) {
            m[i] = lum[i] > cut;
        }
        return m;
    }

    /** A 0/255 grey image of a boolean mask. */
    public static BufferedImage maskImage(boolean[] mask, int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        byte[] data = ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < mask.length; i++) {
            data[i] = mask[i] ? (byte) 255 : 0;
        }
        return img;
    }
}
