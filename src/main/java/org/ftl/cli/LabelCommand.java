package org.ftl.cli;

import org.ftl.data.label.Labeler;
import org.ftl.data.label.MaskThresholder;
import org.ftl.data.label.Polarity;
import org.ftl.data.label.RoiTable;
import org.ftl.data.label.ThresholdMethod;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code ftl label}: masks for a folder of photos by thresholding, with previews to check them by eye. */
@Command(name = "label", mixinStandardHelpOptions = true,
        description = {"Make a crack mask for each photo by thresholding (Otsu or fixed), with previews to check.",
                "Each mask is a 0/255 PNG (or, with --label-value, a label map) from the photo's grey levels (Otsu per image, or a fixed level), optionally "
                        + "only inside a per-image region of interest.",
                "Masks are named like their image with a .png ending (001.jpg -> 001.png), the pairing 'ftl tile' reads. "
                        + "An image that cannot be decoded is reported and skipped; the exit code is then 3."},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  every image labelled", "  2  bad command line (nothing was done)",
                "  3  a folder or the ROI table is wrong (nothing was done), or some images",
                "     could not be decoded (the others were labelled)"})
final class LabelCommand implements Callable<Integer> {
    @Mixin
    PhotosOption photos;

    @Option(names = "--out", converter = LocalPath.class, required = true, paramLabel = "DIR",
            description = "Folder the masks are written to (created if missing).")
    Path out;

    @Option(names = "--method", paramLabel = "otsu|fixed",
            description = "How the threshold is chosen: otsu (per image, from the 256-bin luminance histogram of the "
                    + "image or its region of interest) or fixed (--threshold). Default: fixed when --threshold is "
                    + "given, else otsu.")
    String method;

    @Option(names = "--threshold", paramLabel = "0-255",
            description = "The fixed grey level: with dark polarity pixels at or below it are object, with light "
                    + "polarity pixels above it. Implies --method fixed.")
    Integer threshold;

    @Option(names = "--polarity", paramLabel = "dark|light", defaultValue = "dark",
            description = "Which side of the threshold is object: dark (a crack on concrete, the default) or light.")
    String polarity;

    @Option(names = "--roi", converter = LocalPath.class, paramLabel = "FILE",
            description = "CSV with the header file,x,y,width,height and one row per image (file name as in --images, "
                    + "box in pixels). Pixels outside the box are background, and Otsu looks only inside it. Images "
                    + "without a row are labelled whole. A row naming a missing image or a box outside its image is "
                    + "an error naming the CSV line.")
    Path roi;

    @Option(names = "--previews", converter = LocalPath.class, paramLabel = "DIR",
            description = "Also write a preview per image here, named like its mask: the photo on the left, the same "
                    + "photo with mask pixels tinted red (and the region of interest outlined in yellow) on the right; "
                    + "twice the photo's width, same height. Default: no previews.")
    Path previews;

    @Option(names = "--blur", paramLabel = "R", defaultValue = "0",
            description = "Box-blur the luminance with this radius in pixels (0-" + MaskThresholder.MAX_BLUR + ") before "
                    + "thresholding, to drop single-pixel texture noise. Default: ${DEFAULT-VALUE} (none).")
    int blur;

    @Option(names = "--label-value", paramLabel = "1-255",
            description = "Write each mask as a label map, as the original method's OpenCV labeler does: the object at "
                    + "this level, the rest 0 (its classes: 1 Crack, 2 Pore, 3 Dirt, 4 Background). Read such masks with "
                    + "data.mask-object = [N] (or nonzero). Default: 0/255 masks.")
    Integer labelValue;

    @Option(names = "--overwrite",
            description = "Write into non-empty --out/--previews folders, replacing masks of the same name "
                    + "(other files there are left alone).")
    boolean overwrite;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        MaskThresholder thresholder = thresholder();
        RoiTable table = roi == null ? null : RoiTable.read(roi);
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter e = spec.commandLine().getErr();
        Labeler.Summary s = new Labeler(thresholder, labelValue == null ? 255 : labelValue).labelFolder(photos.images, out, previews, table, overwrite, r -> {
            if (r.failed()) {
                e.println("ftl: label: " + r.error());
            } else {
                o.println(r.image().getFileName() + ": " + describeThreshold(r.mask().threshold(), thresholder)
                        + ", mask " + percent(r.mask().fraction()) + " of " + r.mask().width() + "x" + r.mask().height()
                        + (r.roi() == null ? "" : " (region " + r.roi() + ")"));
            }
        });
        o.println("labelled " + s.labelled() + " of " + s.images() + " images"
                + (s.failures().isEmpty() ? "" : ", " + s.failures().size() + " could not be decoded")
                + (table == null ? "" : ", " + s.withRoi() + " with a region of interest")
                + "; mean mask fraction " + percent(s.meanFraction())
                + "; masks in " + out + (previews == null ? "" : ", previews in " + previews));
        if (!s.failures().isEmpty()) {
            e.println("ftl: label: " + s.failures().size() + " of " + s.images() + " images failed; the first: "
                    + s.failures().get(0).image());
            return ExitCode.INPUT;
        }
        return ExitCode.OK;
    }

    /** Checks the options that picocli cannot (ranges, combinations): a mistake is exit 2, nothing done. */
    private MaskThresholder thresholder() {
        ThresholdMethod m;
        Polarity p;
        try {
            m = method != null ? ThresholdMethod.parse(method)
                    : threshold != null ? ThresholdMethod.FIXED : ThresholdMethod.OTSU;
            p = Polarity.parse(polarity);
        } catch (IllegalArgumentException ex) {
            throw usage(ex.getMessage());
        }
        if (m == ThresholdMethod.FIXED && threshold == null) {
            throw usage("--method fixed needs --threshold 0-255");
        }
        if (m == ThresholdMethod.OTSU && threshold != null) {
            throw usage("--threshold is for --method fixed; Otsu chooses its own threshold");
        }
        if (threshold != null && (threshold < 0 || threshold > 255)) {
            throw usage("--threshold must be 0 to 255, not " + threshold);
        }
        if (labelValue != null && (labelValue < 1 || labelValue > 255)) {
            throw usage("--label-value must be 1 to 255, not " + labelValue);
        }
        if (blur < 0 || blur > MaskThresholder.MAX_BLUR) {
            throw usage("--blur must be 0 to " + MaskThresholder.MAX_BLUR + ", not " + blur);
        }
        return new MaskThresholder(m, threshold == null ? 0 : threshold, p, blur);
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    private static String describeThreshold(int t, MaskThresholder th) {
        if (t < 0) {
            return "a single grey level, empty mask";
        }
        return "threshold " + t + " (" + th.method().name().toLowerCase(Locale.ROOT) + ", "
                + th.polarity().name().toLowerCase(Locale.ROOT) + ")";
    }

    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.2f %%", 100 * fraction);
    }
}
