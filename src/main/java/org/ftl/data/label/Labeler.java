package org.ftl.data.label;

import org.ftl.FtlError;
import org.ftl.data.ImageFolder;
import org.ftl.data.Images;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Labels a folder of photos: one 0/255 PNG mask per image (or a label map: the object at another level, such as
 * 1 for Crack in the original method's labeler), named like the image with a .png ending (001.jpg gives 001.png,
 * the pairing {@code ftl tile} reads), and optionally a {@link Preview} per image.
 * <p>
 * Everything that would spoil the whole run (a missing folder, a bad region table, two images that would
 * write the same mask) is refused before the first mask is written. An image that cannot be decoded only
 * spoils itself: it is reported and the others are still labelled, so one corrupt JPEG does not cost a
 * re-run of hundreds; the caller turns any failure into a non-zero exit.
 */
public final class Labeler {
    /** What happened to one image: a mask, or the reason there is none. */
    public record Result(Path image, Path maskFile, LabelledMask mask, Roi roi, String error) {
        public boolean failed() {
            return error != null;
        }
    }

    /** The run's totals; the mean mask fraction is over the labelled images. */
    public record Summary(int images, int labelled, List<Result> failures, double meanFraction, int withRoi) {
    }

    private final MaskThresholder thresholder;
    private final int objectLevel;

    public Labeler(MaskThresholder thresholder) {
        this(thresholder, 255);
    }

    /** @param objectLevel the level masks are written with on the object (1 to 255; 0 elsewhere) */
    public Labeler(MaskThresholder thresholder, int objectLevel) {
        if (objectLevel < 1 || objectLevel > 255) {
            throw new IllegalArgumentException("the object's level must be 1 to 255: " + objectLevel);
        }
        this.thresholder = thresholder;
        this.objectLevel = objectLevel;
    }

    /**
     * Labels every image of {@code imagesDir} into {@code masksDir}; {@code previewsDir} and {@code roiTable}
     * may be null. A non-empty output folder is refused unless {@code overwrite}, which replaces masks of the
     * same name and leaves other files alone. {@code onEach} sees each result as soon as it is done.
     */
    public Summary labelFolder(Path imagesDir, Path masksDir, Path previewsDir, RoiTable roiTable, boolean overwrite,
                               Consumer<Result> onEach) {
        List<Path> images = ImageFolder.list(imagesDir, "images folder");
        if (images.isEmpty()) {
            throw new FtlError("images folder " + imagesDir + " has no images (" + String.join(", ", ImageFolder.EXTENSIONS)
                    + ")");
        }
        refuseSameFolder(imagesDir, masksDir, "masks folder");
        refuseSameFolder(imagesDir, previewsDir, "previews folder");
        refuseSameFolder(masksDir, previewsDir, "previews folder");
        refuseNonEmpty(masksDir, "masks folder", overwrite);
        refuseNonEmpty(previewsDir, "previews folder", overwrite);
        refuseSharedMaskNames(images);
        if (roiTable != null) {
            roiTable.checkAgainst(imagesDir);
        }

        int labelled = 0;
        int withRoi = 0;
        double fractionSum = 0;
        List<Result> failures = new ArrayList<>();
        for (Path image : images) {
            String fileName = image.getFileName().toString();
            Roi roi = roiTable == null ? null
                    : roiTable.forImage(fileName).map(RoiTable.Entry::roi).orElse(null);
            Path maskFile = masksDir.resolve(ImageFolder.baseName(image) + ".png");
            Result r;
            try {
                BufferedImage photo = Images.read(image);
                if (roi != null && !roi.fitsIn(photo.getWidth(), photo.getHeight())) {
                    // checkAgainst saw this box fit the header's size; a decoder that disagrees is the image's fault
                    throw new FtlError(image + ": region " + roi + " does not fit the decoded " + photo.getWidth()
                            + "x" + photo.getHeight() + " image");
                }
                LabelledMask m = thresholder.label(photo, roi);
                Images.writePng(Images.maskImage(m.mask(), m.width(), m.height(), objectLevel), maskFile);
                if (previewsDir != null) {
                    Images.writePng(Preview.render(photo, m.mask(), roi), previewsDir.resolve(maskFile.getFileName()));
                }
                labelled++;
                fractionSum += m.fraction();
                if (roi != null) {
                    withRoi++;
                }
                r = new Result(image, maskFile, m, roi, null);
            } catch (FtlError e) {
                r = new Result(image, null, null, roi, e.getMessage());
                failures.add(r);
            }
            onEach.accept(r);
        }
        return new Summary(images.size(), labelled, List.copyOf(failures),
                labelled == 0 ? 0 : fractionSum / labelled, withRoi);
    }

    private static void refuseSameFolder(Path a, Path b, String roleOfB) {
        if (b != null && a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize())) {
            throw new FtlError(roleOfB + " " + b + " must differ from " + a + ": its PNGs would be mixed with the others");
        }
    }

    private static void refuseNonEmpty(Path dir, String role, boolean overwrite) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw new FtlError(role + " " + dir + " is a file, not a folder");
        }
        if (!overwrite) {
            try (Stream<Path> s = Files.list(dir)) {
                if (s.findAny().isPresent()) {
                    throw new FtlError(role + " " + dir + " is not empty: choose another folder or add --overwrite");
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + dir, e);
            }
        }
    }

    /** a.jpg and a.png would both write a.png: refuse rather than let the second overwrite the first. */
    private static void refuseSharedMaskNames(List<Path> images) {
        Map<String, Path> seen = new HashMap<>();
        for (Path image : images) {
            Path other = seen.putIfAbsent(ImageFolder.baseName(image), image);
            if (other != null) {
                throw new FtlError(other + " and " + image + " would both be labelled as "
                        + ImageFolder.baseName(image) + ".png: rename one");
            }
        }
    }
}
