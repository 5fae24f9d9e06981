package org.ftl.data;

import org.ftl.FtlError;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A local folder of images as the data tools ({@code ftl label}, {@code ftl tile}) read it: the files whose
 * name ends in an image extension, in name order, so every run sees them in the same order.
 */
public final class ImageFolder {
    /** The endings read as images: the same list as reference.conf's data.image-extensions default. */
    public static final List<String> EXTENSIONS = List.of("png", "jpg", "jpeg", "bmp");

    private ImageFolder() {
    }

    /**
     * The image files directly inside {@code dir}, sorted by name. {@code role} says what the folder is for
     * ("images folder", "masks folder") so a missing folder is reported in the user's words.
     */
    public static List<Path> list(Path dir, String role) {
        if (!Files.exists(dir)) {
            throw new FtlError(role + " " + dir + " does not exist");
        }
        if (!Files.isDirectory(dir)) {
            throw new FtlError(role + " " + dir + " is not a folder");
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile)
                    .filter(ImageFolder::isImageName)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /** True for a name with one of {@link #EXTENSIONS} (case-insensitive) that is not a hidden file. */
    public static boolean isImageName(Path file) {
        String name = file.getFileName().toString();
        return !name.startsWith(".") && EXTENSIONS.contains(extension(name));
    }

    /** The file name without its last extension: the key that pairs 001.jpg with its mask 001.png. */
    public static String baseName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /**
     * Width and height from the file's header, without decoding the pixels (cheap enough to check every
     * pair's sizes before any output is written). An unreadable file is an {@link FtlError} naming it.
     */
    public static int[] dimensions(Path file) {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in != null) {
                Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
                if (readers.hasNext()) {
                    ImageReader reader = readers.next();
                    try {
                        reader.setInput(in, true, true);
                        return new int[] {reader.getWidth(0), reader.getHeight(0)};
                    } finally {
                        reader.dispose();
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new FtlError(file + ": cannot read image size: " + e.getMessage(), e);
        }
        throw new FtlError(file + ": not an image in a format this build reads (PNG, JPEG, BMP, GIF, TIFF)");
    }
}
