package org.ftl.data.tile;

import org.ftl.FtlError;
import org.ftl.data.DataLayout;
import org.ftl.data.StagedFolder;
import org.ftl.data.ImageFolder;
import org.ftl.data.Images;
import org.ftl.data.MaskObject;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code ftl tile}'s work: turns a folder of large annotated photos (image + mask pairs matched by base
 * name, 001.jpg with 001.png) into the data layout every FTL step reads:
 * <pre>
 * OUT/dataset/&lt;Crack|Background&gt;/NAME_xX_yY.png        patches of the training photos
 * OUT/evaluation/&lt;Crack|Background&gt;/NAME_xX_yY.png     patches of the held-out photos
 * OUT/segmented/images/&lt;Crack&gt;/…, masks/&lt;Crack&gt;/…  training Crack patches with their patch masks
 * OUT/tile-report.txt                                   the settings and counts of this run
 * </pre>
 * It works in two passes so that nothing is written until every pair is known to be usable: the first reads
 * masks and image sizes (a size mismatch stops the run naming both files) and plans every patch, the split
 * and the segmented set; the second decodes the photos and writes the patches into a staged folder that is
 * moved into place only at the end.
 */
public final class TileJob {

    /**
     * The options of one run (see {@code ftl tile --help} for their meaning and defaults).
     *
     * @param maskObject which levels of the masks are crack
     */
    public record Settings(int size, int stride, double minCrack, double evaluationFraction, long seed,
                           int segmentedCount, String crackClass, String backgroundClass, boolean overwrite,
                           MaskObject maskObject) {
        /** With masks read by brightness. */
        public Settings(int size, int stride, double minCrack, double evaluationFraction, long seed, int segmentedCount,
                        String crackClass, String backgroundClass, boolean overwrite) {
            this(size, stride, minCrack, evaluationFraction, seed, segmentedCount, crackClass, backgroundClass, overwrite,
                    MaskObject.brightness("--mask-object brightness (the default)"));
        }
    }

    /** One source photo paired with its mask, and its patches once planned. */
    private record Source(String name, Path image, Path mask, List<Tiler.Patch> patches) {
    }

    public static final String REPORT_FILE = "tile-report.txt";
    /** What a tile run writes: an existing --out holding only these may be replaced with --overwrite. */
    private static final Set<String> OWNED = Set.of(DataLayout.DATASET, DataLayout.EVALUATION, "segmented", REPORT_FILE);

    private final Settings settings;
    private final Tiler tiler;

    public TileJob(Settings settings) {
        this.settings = settings;
        this.tiler = new Tiler(settings.size(), settings.stride(), settings.minCrack());
    }

    /** Runs the job; the counts are also written to OUT/tile-report.txt. */
    public TileCounts run(Path imagesDir, Path masksDir, Path out) {
        List<Path> images = ImageFolder.list(imagesDir, "images folder");
        List<Path> masks = ImageFolder.list(masksDir, "masks folder");
        refuseOutputOverInput(out, imagesDir, "images");
        refuseOutputOverInput(out, masksDir, "masks");
        TileCounts counts = new TileCounts();
        List<Source> sources = pair(images, masks, counts);
        if (sources.isEmpty()) {
            throw new FtlError("no image in " + imagesDir + " has a mask of the same name in " + masksDir);
        }

        // pass 1: sizes, masks and the plan; nothing is written yet
        List<Source> planned = new ArrayList<>();
        for (Source s : sources) {
            int[] size = ImageFolder.dimensions(s.image());
            boolean[] mask = readMask(s, size, settings.maskObject());
            List<Tiler.Patch> patches = tiler.cut(mask, size[0], size[1]);
            if (patches.isEmpty()) {
                counts.photoTooSmall(s.image().getFileName().toString());
            }
            planned.add(new Source(s.name(), s.image(), s.mask(), patches));
        }
        Map<String, Split> split = SplitBySource.assign(
                planned.stream().map(Source::name).toList(), settings.evaluationFraction(), settings.seed());
        List<String> trainingCrack = new ArrayList<>();
        for (Source s : planned) {
            if (split.get(s.name()) == Split.TRAINING) {
                for (Tiler.Patch p : s.patches()) {
                    if (p.kind() == Tiler.Kind.CRACK) {
                        trainingCrack.add(patchName(s, p));
                    }
                }
            }
        }
        Set<String> segmented = new HashSet<>(SegmentedChoice.choose(trainingCrack, settings.segmentedCount(),
                settings.seed()));
        counts.segmented(segmented.size());

        // pass 2: write everything into the staged folder, then move it into place
        try (StagedFolder staged = StagedFolder.begin(out, OWNED, settings.overwrite(), "add --overwrite to replace it")) {
            DataLayout layout = new DataLayout(staged.staging());
            boolean evaluation = planned.stream().anyMatch(s -> split.get(s.name()) == Split.EVALUATION);
            if (!staged.write(() -> createClassFolders(layout, evaluation))) {
                return counts;
            }
            for (Source s : planned) {
                Split where = split.get(s.name());
                counts.addPhoto(where);
                // one photo at a time, so an interrupt never deletes the folder under a write
                if (!staged.write(() -> writePatches(s, where, segmented, layout, counts))) {
                    return counts;
                }
            }
            staged.write(() -> writeReport(staged.staging().resolve(REPORT_FILE), imagesDir, masksDir, counts));
            staged.commit();
        }
        return counts;
    }

    /** Pairs images and masks by base name; an image without a mask is skipped and named in the report. */
    private static List<Source> pair(List<Path> images, List<Path> masks, TileCounts counts) {
        Map<String, Path> maskByName = byBaseName(masks, "masks");
        Map<String, Path> imageByName = byBaseName(images, "images");
        List<Source> out = new ArrayList<>();
        for (Map.Entry<String, Path> e : imageByName.entrySet()) {
            Path mask = maskByName.get(e.getKey());
            if (mask == null) {
                counts.photoWithoutMask(e.getValue().getFileName().toString());
            } else {
                out.add(new Source(e.getKey(), e.getValue(), mask, List.of()));
            }
        }
        for (Map.Entry<String, Path> e : maskByName.entrySet()) {
            if (!imageByName.containsKey(e.getKey())) {
                counts.maskWithoutPhoto(e.getValue().getFileName().toString());
            }
        }
        return out;
    }

    private static Map<String, Path> byBaseName(List<Path> files, String what) {
        Map<String, Path> out = new LinkedHashMap<>();
        for (Path f : files) {
            Path other = out.putIfAbsent(ImageFolder.baseName(f), f);
            if (other != null) {
                throw new FtlError(other + " and " + f + " have the same base name: which of the " + what
                        + " pairs with the other folder is ambiguous; rename one");
            }
        }
        return out;
    }

    private static boolean[] readMask(Source s, int[] imageSize, MaskObject object) {
        BufferedImage m = Images.read(s.mask());
        if (m.getWidth() != imageSize[0] || m.getHeight() != imageSize[1]) {
            throw new FtlError("mask " + s.mask() + " is " + m.getWidth() + "x" + m.getHeight() + " but image "
                    + s.image() + " is " + imageSize[0] + "x" + imageSize[1]);
        }
        return object.object(m, s.mask().toString());
    }

    private void createClassFolders(DataLayout layout, boolean withEvaluation) {
        try {
            Files.createDirectories(layout.dataset(settings.crackClass()));
            Files.createDirectories(layout.dataset(settings.backgroundClass()));
            if (withEvaluation) {
                Files.createDirectories(layout.evaluation(settings.crackClass()));
                Files.createDirectories(layout.evaluation(settings.backgroundClass()));
            }
            Files.createDirectories(layout.segmentedImages(settings.crackClass()));
            Files.createDirectories(layout.segmentedMasks(settings.crackClass()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the class folders in " + layout.root(), e);
        }
    }

    private void writePatches(Source s, Split where, Set<String> segmented, DataLayout layout, TileCounts counts) {
        if (s.patches().isEmpty()) {
            return;
        }
        BufferedImage photo = Images.read(s.image());
        boolean[] mask = null;
        int n = settings.size();
        for (Tiler.Patch p : s.patches()) {
            counts.addPatch(where, p.kind());
            if (p.kind() == Tiler.Kind.SLIVER) {
                continue;
            }
            String cls = p.kind() == Tiler.Kind.CRACK ? settings.crackClass() : settings.backgroundClass();
            String name = patchName(s, p);
            Path dir = where == Split.TRAINING ? layout.dataset(cls) : layout.evaluation(cls);
            BufferedImage patch = crop(photo, p.x(), p.y(), n);
            Images.writePng(patch, dir.resolve(name));
            if (segmented.contains(name)) {
                if (mask == null) {
                    mask = settings.maskObject().object(Images.read(s.mask()), s.mask().toString());
                }
                Images.writePng(patch, layout.segmentedImages(cls).resolve(name));
                Images.writePng(Images.maskImage(cropMask(mask, photo.getWidth(), p.x(), p.y(), n), n, n),
                        layout.segmentedMasks(cls).resolve(name));
            }
        }
    }

    /** The patch's file name: the source photo's base name and the patch's corner, e.g. 001_x128_y64.png. */
    private static String patchName(Source s, Tiler.Patch p) {
        return s.name() + "_x" + p.x() + "_y" + p.y() + ".png";
    }

    /**
     * A copy (not a view) of the patch. Grey photos stay grey with their stored levels copied sample by
     * sample (getRGB would brighten them: it reads Java's grey as linear light); everything else becomes
     * plain RGB without alpha.
     */
    private static BufferedImage crop(BufferedImage photo, int x, int y, int n) {
        boolean grey = photo.getType() == BufferedImage.TYPE_BYTE_GRAY || photo.getType() == BufferedImage.TYPE_USHORT_GRAY;
        BufferedImage out = new BufferedImage(n, n, grey ? photo.getType() : BufferedImage.TYPE_INT_RGB);
        if (grey) {
            out.getRaster().setRect(photo.getRaster().createChild(x, y, n, n, 0, 0, null));
        } else {
            int[] rgb = photo.getRGB(x, y, n, n, null, 0, n);
            out.setRGB(0, 0, n, n, rgb, 0, n);
        }
        return out;
    }

    private static boolean[] cropMask(boolean[] mask, int width, int x, int y, int n) {
        boolean[] out = new boolean[n * n];
        for (int r = 0; r < n; r++) {
            System.arraycopy(mask, (y + r) * width + x, out, r * n, n);
        }
        return out;
    }

    /** The printed counts plus where they came from, so a data folder found later can be traced to its photos. */
    private void writeReport(Path file, Path imagesDir, Path masksDir, TileCounts counts) {
        List<String> lines = new ArrayList<>();
        lines.add("ftl tile: images " + imagesDir.toAbsolutePath().normalize() + ", masks "
                + masksDir.toAbsolutePath().normalize());
        lines.addAll(counts.describe(settings.crackClass(), settings.backgroundClass(), settings));
        try {
            Files.write(file, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** --overwrite replaces OUT whole: it must never be the input folder or one that holds it. */
    private static void refuseOutputOverInput(Path out, Path input, String what) {
        Path o = out.toAbsolutePath().normalize();
        Path i = input.toAbsolutePath().normalize();
        if (i.startsWith(o)) {
            throw new FtlError("output folder " + out + " holds the " + what + " folder " + input
                    + ": choose an --out outside the input");
        }
    }
}
