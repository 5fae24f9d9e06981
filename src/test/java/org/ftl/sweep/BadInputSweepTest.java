package org.ftl.sweep;

import org.ftl.report.MetricsRow;
import org.ftl.job.FtlConfig;
import org.ftl.config.SettingOverride;
import org.ftl.data.synth.SynthLayoutWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A sweep over a messy data folder — hundreds of unreadable files, awkward file names, files of other kinds,
 * an unpaired mask — uses every good image, lists each bad one in run.json, and prints counts, not lines.
 */
class BadInputSweepTest {
    @TempDir
    Path dir;

    private static final List<String> AWKWARD = List.of("Riß 01.png", "ひび.png", "x:y.png", "100%.png", "a b.png");
    private static final int BAD = 300;

    /**
     * Masks of the target class that all fail to load, beside a usable Background pair: the sweep stops naming the
     * first bad file before it trains a backbone or makes a run folder (not 99 iou candidates failing one by one).
     */
    @Test
    void unusableTargetClassMasksStopTheSweepBeforeAnyWork() throws IOException {
        Path data = dir.resolve("data");
        FtlConfig synth = FtlConfig.load(null, List.of(SettingOverride.set("synth.count=16"), SettingOverride.set("synth.size=64"),
                SettingOverride.set("synth.segmented-count=3"), SettingOverride.set("synth.difficulty=0")), Map.of());
        new SynthLayoutWriter(synth.synth(), synth.seed()).write(data, false, "", done -> { });
        List<Path> crack;
        try (Stream<Path> s = Files.list(data.resolve("segmented/images/Crack"))) {
            crack = s.sorted().toList();
        }
        for (Path p : crack) {
            Files.write(p, new byte[0]);
        }
        // a usable pair of another class: the set is not empty, only the target class is missing from it
        Path background;
        try (Stream<Path> s = Files.list(data.resolve("dataset/Background"))) {
            background = s.sorted().findFirst().orElseThrow();
        }
        Files.createDirectories(data.resolve("segmented/images/Background"));
        Files.createDirectories(data.resolve("segmented/masks/Background"));
        Files.copy(background, data.resolve("segmented/images/Background/b.png"));
        java.awt.image.BufferedImage mask = new java.awt.image.BufferedImage(64, 64, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        mask.getRaster().setSample(3, 3, 0, 255);
        javax.imageio.ImageIO.write(mask, "png", data.resolve("segmented/masks/Background/b.png").toFile());

        List<SettingOverride> o = new ArrayList<>();
        for (String s : new String[] {"name=nomasks", "data.root=" + data, "runs.root=" + dir.resolve("runs"),
                "spark.master=local[2]", "backbone.source=alexnet", "backbone.width=0.125",
                "backbone.cache=" + dir.resolve("cache"), "prune.criteria=[iou]", "head.folds=2"}) {
            o.add(SettingOverride.set(s));
        }
        SweepJob job = new SweepJob(FtlConfig.load(null, o, Map.of()),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        org.ftl.FtlError e = org.junit.jupiter.api.Assertions.assertThrows(org.ftl.FtlError.class, job::run);
        assertTrue(e.getMessage().contains("none of the " + crack.size() + " image(s) of the target class Crack"), e.getMessage());
        assertTrue(e.getMessage().contains(crack.get(0).getFileName().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("empty file"), e.getMessage());
        assertTrue(!Files.exists(dir.resolve("cache")), "no backbone was trained");
        try (Stream<Path> s = Files.exists(dir.resolve("runs")) ? Files.list(dir.resolve("runs")) : Stream.empty()) {
            assertEquals(List.of(), s.filter(Files::isDirectory).toList(), "no run folder was made");
        }
    }

    @Test
    void goodImagesAreUsedBadOnesListedAndTheConsoleCountsThem() throws IOException {
        Path data = dir.resolve("data");
        FtlConfig synth = FtlConfig.load(null, List.of(SettingOverride.set("synth.count=40"), SettingOverride.set("synth.size=64"),
                SettingOverride.set("synth.segmented-count=4"), SettingOverride.set("synth.difficulty=0")), Map.of());
        new SynthLayoutWriter(synth.synth(), synth.seed()).write(data, false, "", done -> { });
        int training = count(data.resolve("dataset"));
        int evaluation = count(data.resolve("evaluation"));
        // good images under awkward names
        List<Path> crack;
        try (Stream<Path> s = Files.list(data.resolve("dataset/Crack"))) {
            crack = s.sorted().toList();
        }
        for (int i = 0; i < AWKWARD.size(); i++) {
            Files.move(crack.get(i), crack.get(i).resolveSibling(AWKWARD.get(i)));
        }
        // bad files beside them: many empty ones, a text file, a truncated image, a WebP by another name
        for (int i = 0; i < BAD; i++) {
            Files.write(data.resolve("dataset/Background").resolve(String.format("empty %03d.png", i)), new byte[0]);
        }
        Files.writeString(data.resolve("evaluation/Crack/notes.png"), "not a photo", StandardCharsets.UTF_8);
        byte[] png = Files.readAllBytes(crack.get(AWKWARD.size()));
        Files.write(data.resolve("evaluation/Background/cut.png"), java.util.Arrays.copyOf(png, png.length / 3));
        Files.write(data.resolve("dataset/Crack/raw.tif"), new byte[] {1, 2, 3});
        Files.write(data.resolve("segmented/masks/Crack/orphan.png"), png);

        List<SettingOverride> o = new ArrayList<>();
        for (String s : new String[] {"name=messy", "data.root=" + data, "runs.root=" + dir.resolve("runs"),
                "spark.master=local[2]", "backbone.source=alexnet", "backbone.width=0.125",
                "backbone.cache=" + dir.resolve("cache"), "backbone.train.epochs=1", "backbone.train.patience=1",
                "prune.criteria=[iou]", "prune.factors=[0.5]", "prune.comparison-factors=[0.5]",
                "head.c-grid=[1]", "head.folds=2", "cost.warmup=1", "cost.min-repetitions=3", "cost.min-seconds=0",
                "sweep.image-partitions=3"}) {
            o.add(SettingOverride.set(s));
        }
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        SweepJob.Result result = new SweepJob(FtlConfig.load(null, o, Map.of()),
                new PrintStream(console, true, StandardCharsets.UTF_8)).run();
        String out = console.toString(StandardCharsets.UTF_8);

        // every good image was used, the awkward names too
        for (MetricsRow r : result.ranked()) {
            assertEquals("ok", r.text("status"), r.text("error"));
            assertEquals(training, (int) r.number("train_images"), "training images used");
            assertEquals(evaluation, (int) r.number("evaluation_images"), "evaluation images used");
        }
        // each bad file is in run.json, by name
        Path run = Path.of(java.net.URI.create(result.run().path()));
        Map<?, ?> record = org.ftl.Json.read(run.resolve("run.json"), Map.class);
        int unreadable = BAD + 2;
        int notes = 2; // raw.tif ignored, orphan.png unpaired
        assertEquals(unreadable + notes, ((Number) record.get("inputProblems")).intValue(), record.get("problems").toString());
        String problems = record.get("problems").toString();
        assertTrue(problems.contains("empty 299.png: empty file (0 bytes)"), problems);
        assertTrue(problems.contains("notes.png: not an image") && problems.contains("cut.png: cannot decode image"), problems);
        assertTrue(problems.contains("raw.tif ending in .tif") && problems.contains("orphan.png: a mask without an image"),
                problems);
        for (String name : AWKWARD) {
            assertTrue(!problems.contains(name), name + " is a good image: " + problems);
        }
        // the console counts them: no line per file
        assertTrue(out.contains("images: " + unreadable + " could not be read and were left out (listed in run.json)"), out);
        assertTrue(out.contains("data: " + notes + " note(s) on files not used"), out);
        assertTrue(out.lines().filter(l -> l.contains("/empty ")).count() <= 1, "no file-by-file lines (one names the first):\n" + out);
        assertTrue(out.lines().count() < 60, out.lines().count() + " lines:\n" + out);
    }

    private static int count(Path folder) throws IOException {
        try (Stream<Path> s = Files.walk(folder)) {
            return (int) s.filter(Files::isRegularFile).count();
        }
    }
}
