package org.ftl.data;

import org.ftl.AtomicFiles;
import org.ftl.FtlError;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;

/** Reading and writing the images and masks of the data layout, with errors that name the file. */
public final class Images {
    private Images() {
    }

    /**
     * Decodes an image file (PNG, JPEG — CMYK ones too, through the TwelveMonkeys plugin —, BMP, GIF, TIFF:
     * whatever ImageIO's plugins read, by content, not by name); an undecodable file is an {@link FtlError}.
     */
    public static BufferedImage read(Path file) {
        try {
            return decode(Files.readAllBytes(file), file.toString());
        } catch (IOException e) {
            throw new FtlError(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * Images with more pixels than this are refused from their header, before decoding: a small file can
     * declare a huge image (a "decompression bomb") and exhaust the heap of the JVM decoding it.
     */
    public static final long MAX_PIXELS = 100_000_000L;

    /**
     * Decodes an image held in memory (as read through Hadoop's FileSystem); {@code name} is for messages.
     * Every failure — empty file, unknown format, truncated or corrupt data, too many pixels — is an
     * {@link FtlError} naming the file.
     */
    public static BufferedImage decode(byte[] bytes, String name) {
        if (bytes.length == 0) {
            throw new FtlError(name + ": empty file (0 bytes)");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new FtlError(name + ": not an image in a format this build reads (PNG, JPEG, BMP, GIF, TIFF)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long w = reader.getWidth(0);
                long h = reader.getHeight(0);
                if (w * h > MAX_PIXELS) {
                    throw new FtlError(name + ": " + w + "x" + h + " pixels is more than " + MAX_PIXELS
                            + "; refused before decoding");
                }
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (FtlError e) {
            throw e;
        } catch (IOException | RuntimeException | OutOfMemoryError e) {
            throw new FtlError(name + ": cannot decode image: " + (e.getMessage() != null ? e.getMessage() : e), e);
        }
    }

    /** Writes a PNG under a temporary name and moves it into place, so a half-written file is never seen. */
    public static void writePng(BufferedImage image, Path file) {
        AtomicFiles.write(file, tmp -> {
            if (!ImageIO.write(image, "png", tmp.toFile())) {
                throw new IllegalStateException("no PNG writer for image type " + image.getType());
            }
        });
    }

    /**
     * Any decoded image as 8-bit sRGB. Grey images (8 or 16 bit, with or without alpha) are read from their
     * raster: Java's {@code getRGB} treats stored grey as linear light and brightens it (60 becomes 133).
     * Alpha is dropped; CMYK and other colour spaces go through their colour model.
     */
    public static BufferedImage toRgb(BufferedImage img) {
        if (img.getType() == BufferedImage.TYPE_INT_RGB) {
            return img;
        }
        int w = img.getWidth();
        int h = img.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[w];
        boolean grey = img.getColorModel().getColorSpace().getType() == java.awt.color.ColorSpace.TYPE_GRAY;
        int shift = grey ? Math.max(0, img.getColorModel().getComponentSize(0) - 8) : 0;
        for (int y = 0; y < h; y++) {
            if (grey) {
                img.getRaster().getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    row[x] = Math.min(255, row[x] >> shift) * 0x010101;
                }
            } else {
                img.getRGB(0, y, w, 1, row, 0, w);
            }
            out.setRGB(0, y, w, 1, row, 0, w);
        }
        return out;
    }

    /** Luminance 0..255 per pixel, row-major (ITU-R BT.601 weights); grey images give their stored levels. */
    public static float[] luminance(BufferedImage img) {
        BufferedImage rgb = toRgb(img);
        int w = rgb.getWidth();
        int h = rgb.getHeight();
        float[] out = new float[w * h];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            rgb.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int p = row[x];
                out[y * w + x] = 0.299f * ((p >> 16) & 0xff) + 0.587f * ((p >> 8) & 0xff) + 0.114f * (p & 0xff);
            }
        }
        return out;
    }

    /** Luminance rounded to whole grey levels 0..255. */
    public static int[] greyLevels(BufferedImage img) {
        float[] lum = luminance(img);
        int[] out = new int[lum.length];
        for (int i = 0; i < lum.length; i++) {
            out[i] = Math.max(0, Math.min(255, Math.round(lum[i])));
        }
        return out;
    }

    /**
     * A mask's levels, row-major: the stored values of a grey image at its own depth (8 or 16 bit, so a 16-bit label
     * map keeps its small class values), the rounded luminance of any other (a colour PNG with three equal channels,
     * as OpenCV writes a label map, gives that value).
     */
    public static int[] maskLevels(BufferedImage img) {
        boolean grey = img.getColorModel().getColorSpace().getType() == java.awt.color.ColorSpace.TYPE_GRAY
                && !(img.getColorModel() instanceof java.awt.image.IndexColorModel);
        if (!grey) {
            return greyLevels(img);
        }
        int w = img.getWidth();
        int h = img.getHeight();
        return img.getRaster().getSamples(0, 0, w, h, 0, new int[w * h]);
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
        return maskImage(mask, width, height, 255);
    }

    /** An 8-bit grey image of a boolean mask: {@code objectLevel} (1 to 255) on the object, 0 elsewhere. */
    public static BufferedImage maskImage(boolean[] mask, int width, int height, int objectLevel) {
        if (objectLevel < 1 || objectLevel > 255) {
            throw new IllegalArgumentException("a mask's object level must be 1 to 255: " + objectLevel);
        }
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        byte[] data = ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < mask.length; i++) {
            data[i] = mask[i] ? (byte) objectLevel : 0;
        }
        return img;
    }
}
