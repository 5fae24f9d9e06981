package org.ftl.cli;

import org.ftl.data.Images;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ftl tile} on the command line: exit codes, the printed counts. */
class TileCommandTest {
    @TempDir
    Path dir;

    /** Four 64x32 photos, each with a crack in its left 32x32 patch and a clean right one. */
    private void pairs() {
        for (int i = 1; i <= 4; i++) {
            Images.writePng(new BufferedImage(64, 32, BufferedImage.TYPE_INT_RGB), dir.resolve("images/0" + i + ".jpg"));
            boolean[] m = new boolean[64 * 32];
            for (int y = 0; y < 32; y++) {
                m[y * 64 + 5] = true;
            }
            Images.writePng(Images.maskImage(m, 64, 32), dir.resolve("masks/0" + i + ".png"));
        }
    }

    private CliTest.Run tile(String... extra) {
        String[] base = {"tile", "--images", dir.resolve("images").toString(), "--masks", dir.resolve("masks").toString(),
                "--size", "32", "--out", dir.resolve("out").toString()};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return new CliTest.Run(args);
    }

    @Test
    void tilesAndPrintsTheCounts() {
        pairs();
        CliTest.Run r = tile();
        assertEquals(ExitCode.OK, r.code, r.err);
        // 4 photos, 25 % held out = 1: training 3 Crack + 3 Background, evaluation 1 + 1
        assertTrue(r.out.contains("training          3        3           3        0"), r.out);
        assertTrue(r.out.contains("evaluation        1        1           1        0"), r.out);
        assertTrue(r.out.contains("segmented set: 3 of 3 training Crack patches"), r.out);
        assertTrue(Files.isDirectory(dir.resolve("out/segmented/masks/Crack")));
    }

    @Test
    void classNamesComeFromOptions() {
        pairs();
        CliTest.Run r = tile("--crack-class", "Cracked", "--background-class", "Sound", "--evaluation-fraction", "0");
        assertEquals(ExitCode.OK, r.code, r.err);
        assertTrue(Files.isDirectory(dir.resolve("out/dataset/Cracked")));
        assertTrue(Files.isDirectory(dir.resolve("out/dataset/Sound")));
        assertFalse(Files.exists(dir.resolve("out/evaluation")), "nothing held out");
    }

    @Test
    void aMissingFolderIsExit3NamingIt() {
        CliTest.Run r = tile();
        assertEquals(ExitCode.INPUT, r.code);
        assertTrue(r.err.contains(dir.resolve("images").toString()), r.err);
        assertFalse(r.err.contains("\tat "), "no stack trace");
    }

    @Test
    void anEarlierLayoutIsExit3UnlessOverwriteAndForeignFilesAlways() throws Exception {
        pairs();
        assertEquals(ExitCode.OK, tile().code);
        CliTest.Run r = tile();
        assertEquals(ExitCode.INPUT, r.code);
        assertTrue(r.err.contains("--overwrite"), r.err);
        assertEquals(ExitCode.OK, tile("--overwrite").code);
        Files.writeString(dir.resolve("out/keep.txt"), "x");
        CliTest.Run foreign = tile("--overwrite");
        assertEquals(ExitCode.INPUT, foreign.code);
        assertTrue(foreign.err.contains("keep.txt"), foreign.err);
    }

    @Test
    void badOptionsAreExit2() {
        pairs();
        String[][] bad = {{"--min-crack", "0"}, {"--min-crack", "2"}, {"--evaluation-fraction", "0.95"},
                {"--stride", "0"}, {"--segmented-count", "-1"}, {"--crack-class", "a/b"},
                {"--crack-class", "X", "--background-class", "X"}, {"--size", "abc"}, {"--bogus"}};
        for (String[] extra : bad) {
            CliTest.Run r = tile(extra);
            assertEquals(ExitCode.USAGE, r.code, String.join(" ", extra) + ": " + r.err);
        }
        assertFalse(Files.exists(dir.resolve("out")), "nothing written");
        assertEquals(ExitCode.USAGE, new CliTest.Run("tile", "--images", "x").code, "required options");
    }

    @Test
    void helpDocumentsTheOptions() {
        CliTest.Run r = new CliTest.Run("tile", "--help");
        assertEquals(ExitCode.OK, r.code);
        for (String o : new String[] {"--images", "--masks", "--size", "--out", "--stride", "--min-crack",
                "--evaluation-fraction", "--seed", "--segmented-count", "--crack-class", "--background-class",
                "--overwrite", "0.01 (1 %"}) {
            assertTrue(r.out.contains(o), o + " in\n" + r.out);
        }
    }
}
