package org.ftl.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ftl synth} on the command line: what it writes, what it prints, and its exit codes. */
class SynthCommandTest {
    @TempDir
    Path dir;

    private static long pngs(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.count();
        }
    }

    @Test
    void writesTheLayoutAndReportsCountsPerFolder() throws IOException {
        Path out = dir.resolve("data");
        CliTest.Run r = new CliTest.Run("synth", "--out", out.toString(), "--count", "20", "--size", "24",
                "--segmented-count", "3", "--seed", "5", "--crack-fraction", "0.4", "--evaluation-fraction", "0.5",
                "--difficulty", "0.3", "--hard-negative-fraction", "1");
        assertEquals(ExitCode.OK, r.code, r.err);
        assertEquals(4, pngs(out.resolve("dataset/Crack")));
        assertEquals(6, pngs(out.resolve("dataset/Background")));
        assertEquals(4, pngs(out.resolve("evaluation/Crack")));
        assertEquals(6, pngs(out.resolve("evaluation/Background")));
        assertEquals(3, pngs(out.resolve("segmented/images/Crack")));
        assertEquals(3, pngs(out.resolve("segmented/masks/Crack")));
        assertTrue(r.out.matches("(?s).*dataset/Crack +4\\n.*"), r.out);
        assertTrue(r.out.matches("(?s).*evaluation/Background +6\\n.*"), r.out);
        assertTrue(r.out.matches("(?s).*segmented/masks/Crack +3 masks\\n.*"), r.out);
        assertTrue(r.out.matches("(?s).*in \\d+\\.\\d s\\n.*"), "elapsed time: " + r.out);
        assertTrue(r.err.contains("synth: 23/23 images (100%)"), "progress on stderr: " + r.err);
    }

    @Test
    void broadModeWritesTheChosenClassesAndReportsThem() throws IOException {
        Path out = dir.resolve("broad");
        CliTest.Run r = new CliTest.Run("synth", "--mode", "broad", "--out", out.toString(), "--classes", "crack,joint,stones",
                "--per-class", "6", "--evaluation-fraction", "0.5", "--size", "24", "--segmented-count", "2", "--seed", "5");
        assertEquals(ExitCode.OK, r.code, r.err);
        for (String c : new String[] {"Crack", "Joint", "Stones"}) {
            assertEquals(3, pngs(out.resolve("dataset").resolve(c)), c);
            assertEquals(3, pngs(out.resolve("evaluation").resolve(c)), c);
        }
        assertEquals(2, pngs(out.resolve("segmented/masks/Crack")));
        assertTrue(r.out.matches("(?s).*dataset/Stones +3\n.*"), r.out);
        assertTrue(r.err.contains("broad task, 3 classes"), r.err);

        Path none = dir.resolve("no-eval");
        CliTest.Run n = new CliTest.Run("synth", "--set", "synth.mode=broad", "--out", none.toString(), "--classes", "pits,paint",
                "--per-class", "4", "--evaluation-fraction", "0", "--size", "16");
        assertEquals(ExitCode.OK, n.code, n.err);
        assertEquals(4, pngs(none.resolve("dataset/Pits")));
        assertFalse(Files.exists(none.resolve("evaluation")), "--evaluation-fraction 0 is the broad task's own setting");
    }

    @Test
    void optionsOfTheOtherModeAreUsageErrors() {
        CliTest.Run count = new CliTest.Run("synth", "--mode", "broad", "--count", "50", "--out", dir.resolve("x").toString());
        assertEquals(ExitCode.USAGE, count.code);
        assertTrue(count.err.contains("--count: not used by --mode broad, which writes --per-class images of each class"), count.err);
        CliTest.Run classes = new CliTest.Run("synth", "--classes", "crack,joint", "--out", dir.resolve("x").toString());
        assertEquals(ExitCode.USAGE, classes.code);
        assertTrue(classes.err.contains("--classes: only used by --mode broad"), classes.err);
        CliTest.Run unknown = new CliTest.Run("synth", "--mode", "broad", "--classes", "crack,pothole", "--out", dir.resolve("x").toString());
        assertEquals(ExitCode.USAGE, unknown.code);
        assertEquals("ftl: settings: ftl.synth.broad.classes = [\"crack\",\"pothole\"] (from option --classes): unknown class 'pothole': "
                + "one of crack, joint, scratch, stain, edge, paint, pits, stones, concrete, asphalt", unknown.err.strip());
        CliTest.Run mode = new CliTest.Run("synth", "--mode", "multi", "--out", dir.resolve("x").toString());
        assertEquals(ExitCode.USAGE, mode.code);
        assertTrue(mode.err.contains("ftl.synth.mode"), mode.err);
        assertFalse(Files.exists(dir.resolve("x")), "nothing is written");
    }

    @Test
    void writesToDataRootWhenNoOutIsGiven() throws IOException {
        Path root = dir.resolve("root");
        CliTest.Run r = new CliTest.Run("synth", "--set", "data.root=" + root, "--count", "4", "--size", "16",
                "--segmented-count", "1");
        assertEquals(ExitCode.OK, r.code, r.err);
        assertEquals(2, pngs(root.resolve("dataset/Crack")) + pngs(root.resolve("evaluation/Crack")));
    }

    @Test
    void refusesAnExistingLayoutWithExitCode3UnlessOverwrite() throws IOException {
        Path out = dir.resolve("data");
        String[] args = {"synth", "--out", out.toString(), "--count", "4", "--size", "16", "--segmented-count", "1"};
        assertEquals(ExitCode.OK, new CliTest.Run(args).code);

        CliTest.Run again = new CliTest.Run(args);
        assertEquals(ExitCode.INPUT, again.code);
        assertEquals("ftl: " + out.toAbsolutePath() + ": already holds a data layout (dataset/, evaluation/, segmented/); "
                + "pass --overwrite to replace it", again.err.lines().filter(l -> l.startsWith("ftl:")).findFirst().orElse(again.err));

        String[] overwrite = java.util.Arrays.copyOf(args, args.length + 1);
        overwrite[args.length] = "--overwrite";
        CliTest.Run replaced = new CliTest.Run(overwrite);
        assertEquals(ExitCode.OK, replaced.code, replaced.err);
    }

    @Test
    void badOptionValueIsAUsageError() {
        CliTest.Run r = new CliTest.Run("synth", "--count", "many", "--out", dir.resolve("x").toString());
        assertEquals(ExitCode.USAGE, r.code);
        assertTrue(r.err.contains("--count"), r.err);
        assertFalse(Files.exists(dir.resolve("x")));
    }

    @Test
    void unknownOptionIsAUsageError() {
        CliTest.Run r = new CliTest.Run("synth", "--colour", "red");
        assertEquals(ExitCode.USAGE, r.code);
        assertTrue(r.err.contains("--colour"), r.err);
    }

    @Test
    void outOfRangeOptionIsOneLineNamingTheOptionAndExitCode2() {
        CliTest.Run r = new CliTest.Run("synth", "--count", "0", "--out", dir.resolve("x").toString());
        assertEquals(ExitCode.USAGE, r.code);
        assertEquals("ftl: settings: ftl.synth.count = 0 (from option --count): must be a whole number from 1 to 1000000",
                r.err.strip());
        assertFalse(Files.exists(dir.resolve("x")), "nothing is written");

        CliTest.Run d = new CliTest.Run("synth", "--difficulty", "1.5", "--out", dir.resolve("x").toString());
        assertEquals(ExitCode.USAGE, d.code);
        assertEquals("ftl: settings: ftl.synth.difficulty = 1.5 (from option --difficulty): must be a number from 0.0 to 1.0",
                d.err.strip());
    }

    @Test
    void badSettingFromSetIsOneLineAndExitCode2() {
        CliTest.Run r = new CliTest.Run("synth", "--set", "synth.crack-class=Background", "--out", dir.resolve("x").toString());
        assertEquals(ExitCode.USAGE, r.code);
        assertTrue(r.err.startsWith("ftl: settings: ftl.synth.background-class"), r.err);
        assertEquals(1, r.err.strip().lines().count(), r.err);
    }

    @Test
    void refusesAHadoopPathWithExitCode3() {
        CliTest.Run r = new CliTest.Run("synth", "--out", "hdfs://nn:8020/ftl/data");
        assertEquals(ExitCode.INPUT, r.code);
        assertTrue(r.err.startsWith("ftl: hdfs://nn:8020/ftl/data (from --out): ftl synth writes local folders only"), r.err);
    }

    @Test
    void helpDocumentsTheOptions() {
        CliTest.Run top = new CliTest.Run("--help");
        assertTrue(top.out.contains("synth"), top.out);
        CliTest.Run r = new CliTest.Run("synth", "--help");
        assertEquals(ExitCode.OK, r.code);
        for (String option : new String[] {"--out", "--count", "--size", "--seed", "--crack-fraction", "--difficulty",
                "--evaluation-fraction", "--segmented-count", "--hard-negative-fraction", "--overwrite", "--conf", "--set",
                "--mode", "--classes", "--per-class"}) {
            assertTrue(r.out.contains(option), option + " in " + r.out);
        }
    }
}
