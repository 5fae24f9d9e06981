package org.ftl.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Any folder of classes pretrains a backbone on the command line; the file it writes is a backbone.source. */
class BackboneCommandTest {
    @TempDir
    Path dir;

    @Test
    void trainsOnAnyFolderOfClassesAndTheFileIsABackboneSource() {
        Path broad = dir.resolve("broad");
        CliTest.Run synth = new CliTest.Run("synth", "--mode", "broad", "--classes", "joint,scratch,stones", "--per-class", "8",
                "--evaluation-fraction", "0", "--out", broad.toString());
        assertEquals(ExitCode.OK, synth.code, synth.err);
        Path out = dir.resolve("pretrained.zip");
        String[] settings = {"--set", "backbone.cache=" + dir.resolve("cache"), "--set", "backbone.width=0.0625",
                "--set", "backbone.train.epochs=1", "--set", "backbone.train.batch-size=8"};
        String[] train = concat(new String[] {"backbone", "train", "--data", broad.toString(), "--out", out.toString()}, settings);
        CliTest.Run r = new CliTest.Run(train);
        assertEquals(ExitCode.OK, r.code, r.err);
        assertTrue(r.err.contains("training images of 3 classes (pretraining on " + broad + ")"), r.err);
        assertTrue(Files.isRegularFile(out));
        assertTrue(r.out.strip().endsWith(".zip"), "prints the cached model file: " + r.out);

        CliTest.Run again = new CliTest.Run(train);
        assertEquals(ExitCode.OK, again.code, again.err);
        assertTrue(again.err.contains("backbone: reusing "), again.err);

        CliTest.Run inspect = new CliTest.Run("backbone", "inspect", "--backbone", out.toString());
        assertEquals(ExitCode.OK, inspect.code, inspect.err);
        assertTrue(inspect.out.contains("5 conv layers"), inspect.out);
    }

    @Test
    void aMissingDataFolderIsExitCode3NamingTheSetting() {
        CliTest.Run r = new CliTest.Run("backbone", "train", "--data", dir.resolve("nowhere").toString(),
                "--set", "backbone.cache=" + dir.resolve("cache"));
        assertEquals(ExitCode.INPUT, r.code, r.err);
        assertTrue(r.err.startsWith("ftl: " + dir.resolve("nowhere") + ": no such data folder (backbone.pretrain.data"), r.err);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
