package org.ftl.cli;

import org.ftl.FtlError;
import org.ftl.job.FtlConfig;
import org.ftl.config.SettingOverride;
import org.ftl.data.synth.SynthSettings;
import org.ftl.data.synth.SynthLayoutWriter;
import org.ftl.data.synth.SynthLayoutWriter.Folder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code ftl synth}: writes a synthetic crack data set in the data layout. Each option that stands for a
 * setting overrides it (and is named in the error if its value is out of range); the rest come from the
 * settings ({@code ftl.synth} and {@code ftl.seed}).
 */
@Command(name = "synth", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Generate procedural crack images: concrete and asphalt textures with branching cracks, and "
                        + "crack-free backgrounds with hard negatives (joints, scratches, edges, dark stains).",
                "Writes OUT/dataset/<class>/, OUT/evaluation/<class>/ and OUT/segmented/{images,masks}/<crack class>/ "
                        + "(exact 0/255 PNG masks). The same seed gives byte-identical files.",
                "--mode broad writes a broad task to pretrain a backbone on instead: one class per surface phenomenon "
                        + "(crack, joint, scratch, stain, edge, paint, pits, stones, concrete, asphalt).",
                "The layout is built in a hidden sibling folder and moved into place when complete."})
final class SynthCommand implements Callable<Integer> {
    @Option(names = "--out", paramLabel = "DIR",
            description = "Folder to write the layout into (a local path or file:// URI). Default: the setting data.root.")
    String out;

    @Option(names = "--mode", paramLabel = "MODE",
            description = "crack (Crack vs Background, with masks) or broad (one class per surface phenomenon) "
                    + "(setting synth.mode).")
    String mode;

    @Option(names = "--classes", paramLabel = "NAME", split = ",",
            description = "With --mode broad: the classes, comma-separated (setting synth.broad.classes).")
    List<String> classes;

    @Option(names = "--per-class", paramLabel = "N",
            description = "With --mode broad: images of each class in dataset/ and evaluation/ together "
                    + "(setting synth.broad.per-class).")
    Integer perClass;

    @Option(names = "--count", paramLabel = "N",
            description = "Images in dataset/ and evaluation/ together (setting synth.count).")
    Integer count;

    @Option(names = "--size", paramLabel = "PIXELS",
            description = "Side of the square images (setting synth.size).")
    Integer size;

    @Option(names = "--seed", paramLabel = "SEED",
            description = "Seed of all randomness: same seed, same bytes (setting seed).")
    Long seed;

    @Option(names = "--crack-fraction", paramLabel = "F",
            description = "Share of images showing a crack; the rest are background (setting synth.crack-fraction).")
    Double crackFraction;

    @Option(names = "--difficulty", paramLabel = "D",
            description = "0 = wide dark cracks on plain texture ... 1 = faint hairlines on busy texture (setting synth.difficulty).")
    Double difficulty;

    @Option(names = "--evaluation-fraction", paramLabel = "F",
            description = "Share of the images held out in evaluation/, same class balance (setting synth.evaluation-fraction; "
                    + "with --mode broad synth.broad.evaluation-fraction, which may be 0).")
    Double evaluationFraction;

    @Option(names = "--segmented-count", paramLabel = "N",
            description = "Crack images with pixel masks in segmented/ (setting synth.segmented-count).")
    Integer segmentedCount;

    @Option(names = "--hard-negative-fraction", paramLabel = "F",
            description = "Share of background images given a joint, scratches, an edge or a dark stain "
                    + "(setting synth.hard-negative-fraction).")
    Double hardNegativeFraction;

    @Option(names = "--overwrite",
            description = "Replace a layout already in the output folder (only once the new one is complete).")
    boolean overwrite;

    @Mixin
    ConfigOptions config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        FtlConfig c = config.load(settingOptions());
        refuseOptionsOfTheOtherMode(c.synth().broad());
        Path root = localFolder(out != null ? out : c.data().root(), out != null ? "--out" : "data.root");
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();

        SynthLayoutWriter writer = new SynthLayoutWriter(c.synth(), c.seed());
        int total = writer.plan().total();
        err.println(String.format(Locale.ROOT, "synth: %d images of %dx%d (%sdifficulty %s, seed %d) into %s",
                total, c.synth().size(), c.synth().size(),
                c.synth().broad() ? "broad task, " + c.synth().broadClasses().size() + " classes, " : "",
                c.synth().difficulty(), c.seed(), root));
        SynthLayoutWriter.Summary summary = writer.write(root, overwrite, "pass --overwrite to replace it",
                new ProgressLine(err, "synth", "images", total));

        stdout.println(String.format(Locale.ROOT, "ftl synth: wrote %d images to %s in %.1f s",
                total, summary.root(), summary.elapsed().toMillis() / 1000.0));
        for (Folder f : summary.plan().folders()) {
            stdout.println(String.format(Locale.ROOT, "  %-32s %7d", f.path(), f.count()));
            if (f.maskPath() != null) {
                stdout.println(String.format(Locale.ROOT, "  %-32s %7d masks", f.maskPath(), f.count()));
            }
        }
        return ExitCode.OK;
    }

    /** An option the chosen mode does not read is a mistake worth saying, not a setting to drop quietly. */
    private void refuseOptionsOfTheOtherMode(boolean broad) {
        List<String> given = new ArrayList<>();
        if (broad) {
            addIf(given, count, "--count");
            addIf(given, crackFraction, "--crack-fraction");
            addIf(given, hardNegativeFraction, "--hard-negative-fraction");
        } else {
            addIf(given, classes, "--classes");
            addIf(given, perClass, "--per-class");
        }
        if (!given.isEmpty()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), String.join(", ", given)
                    + (broad ? ": not used by --mode broad, which writes --per-class images of each class"
                    : ": only used by --mode broad"));
        }
    }

    private static void addIf(List<String> to, Object value, String option) {
        if (value != null) {
            to.add(option);
        }
    }

    /** The options that stand for settings, as overrides that name the option in any error. */
    private List<SettingOverride> settingOptions() {
        List<SettingOverride> o = new ArrayList<>();
        add(o, "synth.mode", mode, "--mode");
        add(o, "synth.broad.classes", classes, "--classes");
        add(o, "synth.broad.per-class", perClass, "--per-class");
        add(o, "synth.count", count, "--count");
        add(o, "synth.size", size, "--size");
        add(o, "seed", seed, "--seed");
        add(o, "synth.crack-fraction", crackFraction, "--crack-fraction");
        add(o, "synth.difficulty", difficulty, "--difficulty");
        // the evaluation split of the mode being written: the broad task has its own (it may be 0)
        boolean broad = mode != null ? mode.trim().equalsIgnoreCase(SynthSettings.BROAD)
                : evaluationFraction != null && config.load(List.of()).synth().broad();
        add(o, broad ? "synth.broad.evaluation-fraction" : "synth.evaluation-fraction", evaluationFraction,
                "--evaluation-fraction");
        add(o, "synth.segmented-count", segmentedCount, "--segmented-count");
        add(o, "synth.hard-negative-fraction", hardNegativeFraction, "--hard-negative-fraction");
        return o;
    }

    private static void add(List<SettingOverride> to, String key, Object value, String option) {
        if (value != null) {
            to.add(SettingOverride.option(key, value, option));
        }
    }

    /**
     * The local folder a path or {@code file:} URI names. The generator writes through java.nio, not Hadoop:
     * for HDFS or S3, generate locally and copy the folder up.
     */
    static Path localFolder(String location, String from) {
        try {
            if (location.regionMatches(true, 0, "file:", 0, 5)) {
                return Path.of(URI.create(location));
            }
            if (location.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*")) {
                throw new FtlError(location + " (from " + from + "): ftl synth writes local folders only; "
                        + "generate into a local folder with --out and copy it (e.g. hdfs dfs -put)");
            }
            return Path.of(location);
        } catch (IllegalArgumentException e) { // InvalidPathException too
            throw new FtlError(location + " (from " + from + "): not a usable folder path: " + e.getMessage());
        }
    }
}
