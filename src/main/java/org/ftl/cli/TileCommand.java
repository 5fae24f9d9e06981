package org.ftl.cli;

import org.ftl.data.MaskObject;
import org.ftl.data.tile.TileCounts;
import org.ftl.data.tile.TileJob;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code ftl tile}: large annotated photos into the data layout of fixed-size Crack and Background patches. */
@Command(name = "tile", mixinStandardHelpOptions = true,
        description = {"Cut annotated photos into fixed-size Crack and Background patches in the data layout.",
                "Image + mask pairs are matched by base name (images/001.jpg with masks/001.png). Writes dataset/ and "
                        + "evaluation/ (split by source photo) and segmented/ (training Crack patches with their "
                        + "patch masks).",
                "A patch is Crack when the mask covers at least --min-crack of it, Background when it covers none; "
                        + "the slivers in between are left out and counted. Patches are named after their photo and "
                        + "corner (001_x128_y64.png); strips at the right and bottom edges narrower than a patch are "
                        + "not used. The output appears only when complete."},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  done", "  2  bad command line (nothing was done)",
                "  3  bad input (nothing was written): a missing folder, an undecodable file,",
                "     a mask whose size differs from its image, a non-empty --out without --overwrite"})
final class TileCommand implements Callable<Integer> {
    @Mixin
    PhotosOption photos;

    @Option(names = "--masks", converter = LocalPath.class, required = true, paramLabel = "DIR",
            description = "Folder of their masks, same base name and size as the photo (crack = the bright pixels: "
                    + "0/255 or 0/1; see --mask-object). Photos without a mask are skipped and named in the report.")
    Path masks;

    @Option(names = "--mask-object", paramLabel = "RULE", defaultValue = "brightness",
            description = {"Which mask pixels are crack: brightness (brighter than half the mask's brightest level), "
                    + "nonzero (every level above 0), or levels, e.g. 1 or 1,2 (label maps of the original method's "
                    + "labeler: 1 Crack, 2 Pore, 3 Dirt, 4 Background). A label map (levels 0-31) that brightness would "
                    + "read with labels lost stops, naming the file. Patch masks are written 0/255. "
                    + "Default: ${DEFAULT-VALUE}."})
    String maskObject;

    @Option(names = "--size", required = true, paramLabel = "N",
            description = "Side of the square patches in pixels (4-4096), e.g. 64.")
    int size;

    @Option(names = "--out", converter = LocalPath.class, required = true, paramLabel = "DIR",
            description = "Root of the data layout to write (dataset/, evaluation/, segmented/, tile-report.txt).")
    Path out;

    @Option(names = "--stride", paramLabel = "N",
            description = "Step between patch corners in pixels. Default: the patch size (no overlap).")
    Integer stride;

    // 0.01 is 41 pixels of a 64x64 patch: a 1-2 pixel wide crack crossing a third of it. On crackforest-a it
    // gives the 591 Crack / 1451 Background 64x64 patches that data set's README announces.
    @Option(names = "--min-crack", paramLabel = "F", defaultValue = "0.01",
            description = "Smallest fraction of a patch the mask must cover for it to be Crack (above 0, at most 1). "
                    + "Default: ${DEFAULT-VALUE} (1 %%: a thin crack crossing a good part of the patch).")
    double minCrack;

    @Option(names = "--evaluation-fraction", paramLabel = "F", defaultValue = "0.25",
            description = "Fraction of the source photos whose patches are held out in evaluation/ (0 to 0.9); a "
                    + "photo's patches are never split across both. Default: ${DEFAULT-VALUE}.")
    double evaluationFraction;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
            description = "Seed of the split and of the segmented-set choice: same inputs and seed, same output. "
                    + "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--segmented-count", paramLabel = "N", defaultValue = "0",
            description = "At most this many training Crack patches go to segmented/ (chosen by --seed); 0 = all. "
                    + "Default: ${DEFAULT-VALUE}.")
    int segmentedCount;

    @Option(names = "--crack-class", paramLabel = "NAME", defaultValue = "Crack",
            description = "Folder name of the crack class. Default: ${DEFAULT-VALUE}.")
    String crackClass;

    @Option(names = "--background-class", paramLabel = "NAME", defaultValue = "Background",
            description = "Folder name of the background class. Default: ${DEFAULT-VALUE}.")
    String backgroundClass;

    @Option(names = "--overwrite", description = "Replace a non-empty --out (its old contents are removed).")
    boolean overwrite;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        TileJob.Settings settings = settings();
        TileCounts counts = new TileJob(settings).run(photos.images, masks, out);
        PrintWriter o = spec.commandLine().getOut();
        counts.describe(crackClass, backgroundClass, settings).forEach(o::println);
        o.println("written to " + out);
        return ExitCode.OK;
    }

    /** Checks ranges and names before any file is read: a mistake is exit 2 with nothing done. */
    private TileJob.Settings settings() {
        int st = stride == null ? size : stride;
        if (size < 4 || size > 4096) {
            throw usage("--size must be 4 to 4096, not " + size);
        }
        if (st < 1 || st > 4096) {
            throw usage("--stride must be 1 to 4096, not " + st);
        }
        if (!(minCrack > 0 && minCrack <= 1)) {
            throw usage("--min-crack must be above 0 and at most 1, not " + minCrack);
        }
        if (!(evaluationFraction >= 0 && evaluationFraction <= 0.9)) {
            throw usage("--evaluation-fraction must be 0 to 0.9, not " + evaluationFraction);
        }
        if (segmentedCount < 0) {
            throw usage("--segmented-count must be 0 (all) or more, not " + segmentedCount);
        }
        checkClassName("--crack-class", crackClass);
        checkClassName("--background-class", backgroundClass);
        if (crackClass.equals(backgroundClass)) {
            throw usage("--crack-class and --background-class must differ, both are '" + crackClass + "'");
        }
        MaskObject object;
        try {
            object = MaskObject.parse(maskObject, "--mask-object " + maskObject);
        } catch (IllegalArgumentException e) {
            throw usage("--mask-object: " + e.getMessage());
        }
        return new TileJob.Settings(size, st, minCrack, evaluationFraction, seed, segmentedCount, crackClass,
                backgroundClass, overwrite, object);
    }

    private void checkClassName(String option, String name) {
        if (name.isBlank() || name.equals(".") || name.equals("..") || name.contains("/") || name.contains("\\")
                || name.startsWith(".")) {
            throw usage(option + " must be a plain folder name, not '" + name + "'");
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
