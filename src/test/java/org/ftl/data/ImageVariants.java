package org.ftl.data;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Image files of the kinds cameras and tools export, encoded here (no binaries in the repository). Every good
 * variant shows the same picture: the left half {@link #LEFT}, the right half {@link #RIGHT} (8-bit sRGB).
 */
final class ImageVariants {
    static final int W = 32;
    static final int H = 16;
    static final int LEFT = 0x3C3C3C;  // dark grey, 60
    static final int RIGHT = 0xC8C8C8; // light grey, 200

    private ImageVariants() {
    }

    private static int level(int x) {
        return x < W / 2 ? 60 : 200;
    }

    static byte[] write(BufferedImage img, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, format, out)) {
                throw new IllegalStateException("no " + format + " writer for " + img);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static BufferedImage rgb(int type) {
        BufferedImage img = new BufferedImage(W, H, type);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                if (type == BufferedImage.TYPE_BYTE_GRAY) { // setRGB would store linear light: 60 becomes 12
                    img.getRaster().setSample(x, y, 0, level(x));
                } else {
                    img.setRGB(x, y, 0xFF000000 | level(x) * 0x010101);
                }
            }
        }
        return img;
    }

    /** A grey image with {@code bits} per sample, optionally with an alpha band (half transparent). */
    private static BufferedImage grey(int bits, boolean alpha) {
        int type = bits == 16 ? DataBuffer.TYPE_USHORT : DataBuffer.TYPE_BYTE;
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY),
                alpha ? new int[] {bits, bits} : new int[] {bits}, alpha, false,
                alpha ? Transparency.TRANSLUCENT : Transparency.OPAQUE, type);
        WritableRaster r = cm.createCompatibleWritableRaster(W, H);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                r.setSample(x, y, 0, bits == 16 ? level(x) * 257 : level(x));
                if (alpha) {
                    r.setSample(x, y, 1, bits == 16 ? 32768 : 128);
                }
            }
        }
        return new BufferedImage(cm, r, false, null);
    }

    /** 16 bits per sample sRGB, as scanners and raw converters export. */
    private static BufferedImage rgb16(boolean alpha) {
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), alpha,
                false, alpha ? Transparency.TRANSLUCENT : Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster r = cm.createCompatibleWritableRaster(W, H);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                for (int b = 0; b < 3; b++) {
                    r.setSample(x, y, b, level(x) * 257);
                }
                if (alpha) {
                    r.setSample(x, y, 3, 65535);
                }
            }
        }
        return new BufferedImage(cm, r, false, null);
    }

    private static byte[] progressiveJpeg() {
        ImageWriter w = jdkJpegWriter();
        ImageWriteParam p = w.getDefaultWriteParam();
        p.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream os = ImageIO.createImageOutputStream(out)) {
            w.setOutput(os);
            w.write(null, new IIOImage(rgb(BufferedImage.TYPE_INT_RGB), null, null), p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            w.dispose();
        }
        return out.toByteArray();
    }

    private static ImageWriter jdkJpegWriter() {
        for (Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("jpeg"); it.hasNext(); ) {
            ImageWriter w = it.next();
            if (w.getClass().getName().startsWith("com.sun.")) {
                return w;
            }
        }
        throw new IllegalStateException("no JDK JPEG writer");
    }

    /**
     * A CMYK JPEG as Photoshop and print workflows write it: four components, an Adobe APP14 marker
     * (transform 0: no colour transform) and inverted samples (255 = no ink). The grey levels are made
     * with black ink only.
     */
    static byte[] cmykJpeg() {
        WritableRaster r = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, W, H, 4, null);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                r.setPixel(x, y, new int[] {255, 255, 255, level(x)}); // C, M, Y none; K = 255 - ink
            }
        }
        ImageWriter w = jdkJpegWriter();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream os = ImageIO.createImageOutputStream(out)) {
            w.setOutput(os);
            w.write(null, new IIOImage(r, null, null), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            w.dispose();
        }
        byte[] plain = out.toByteArray();
        byte[] adobe = {(byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0};
        byte[] withMarker = new byte[plain.length + adobe.length];
        System.arraycopy(plain, 0, withMarker, 0, 2); // SOI
        System.arraycopy(adobe, 0, withMarker, 2, adobe.length);
        System.arraycopy(plain, 2, withMarker, 2 + adobe.length, plain.length - 2);
        return withMarker;
    }

    /** Files that are good images, by a name that says what they are. */
    static Map<String, byte[]> good() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("rgb.png", write(rgb(BufferedImage.TYPE_INT_RGB), "png"));
        m.put("rgba.png", write(rgb(BufferedImage.TYPE_INT_ARGB), "png"));
        m.put("palette.png", write(rgb(BufferedImage.TYPE_BYTE_INDEXED), "png"));
        m.put("grey8.png", write(grey(8, false), "png"));
        m.put("grey16.png", write(grey(16, false), "png"));
        m.put("grey-alpha.png", write(grey(8, true), "png"));
        m.put("grey16-alpha.png", write(grey(16, true), "png"));
        m.put("rgb16.png", write(rgb16(false), "png"));
        m.put("rgba16.png", write(rgb16(true), "png"));
        m.put("rgb.jpg", write(rgb(BufferedImage.TYPE_INT_RGB), "jpg"));
        m.put("grey.jpg", write(grey(8, false), "jpg"));
        m.put("progressive.jpg", progressiveJpeg());
        m.put("cmyk.jpg", cmykJpeg());
        m.put("rgb.bmp", write(rgb(BufferedImage.TYPE_INT_RGB), "bmp"));
        m.put("grey.bmp", write(rgb(BufferedImage.TYPE_BYTE_GRAY), "bmp"));
        m.put("palette.gif", write(rgb(BufferedImage.TYPE_BYTE_INDEXED), "gif"));
        m.put("tiff-named.png", write(rgb(BufferedImage.TYPE_INT_RGB), "tiff")); // read by content, not by name
        m.put("png-named.jpg", write(rgb(BufferedImage.TYPE_INT_RGB), "png"));
        return m;
    }

    /** Files that are not images this build reads, by name, with the start of the message each must give. */
    static Map<String, byte[]> bad() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        byte[] png = write(rgb(BufferedImage.TYPE_INT_RGB), "png");
        byte[] jpg = write(rgb(BufferedImage.TYPE_INT_RGB), "jpg");
        m.put("zero.png", new byte[0]);
        m.put("notes.jpg", "these are my field notes, not a photo\n".getBytes(StandardCharsets.UTF_8));
        m.put("truncated.png", Arrays.copyOf(png, png.length / 2));
        m.put("truncated.jpg", Arrays.copyOf(jpg, jpg.length / 2));
        m.put("header-only.jpg", Arrays.copyOf(jpg, 20));
        // WebP and HEIC (phones' own formats) under an extension the sweep reads
        m.put("webp-named.png", riff("WEBP", "VP8 "));
        m.put("heic-named.jpg", heic());
        m.put("html-named.png", "<!DOCTYPE html><html><body>404 Not Found</body></html>".getBytes(StandardCharsets.UTF_8));
        return m;
    }

    private static byte[] riff(String form, String chunk) {
        byte[] b = new byte[64];
        System.arraycopy("RIFF".getBytes(StandardCharsets.US_ASCII), 0, b, 0, 4);
        b[4] = 56;
        System.arraycopy(form.getBytes(StandardCharsets.US_ASCII), 0, b, 8, 4);
        System.arraycopy(chunk.getBytes(StandardCharsets.US_ASCII), 0, b, 12, 4);
        return b;
    }

    private static byte[] heic() {
        byte[] b = new byte[64];
        b[3] = 24;
        System.arraycopy("ftypheic".getBytes(StandardCharsets.US_ASCII), 0, b, 4, 8);
        return b;
    }
}
