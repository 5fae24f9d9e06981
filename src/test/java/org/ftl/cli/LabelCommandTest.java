package org.ftl.cli;

import org.ftl.data.Images;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ftl label} on the command line: exit codes, summary lines, one-line errors. */
class LabelCommandTest {
    @TempDir
    Path dir;

    private Path photos() {
        Path images = dir.resolve("images");
        BufferedImage img = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 40; x++) {
                img.setRGB(x, y, x == 10 ? 0x282828 : 0xC8C8C8);
            }
        }
        Images.writePng(img, images.resolve("a.png"));
        return images;
    }

    @Test
    void labelsAFolderAndSummarises() {
        Path images = photos();
        CliTest.Run r = new CliTest.Run("label", "--images", images.toString(), "--out", dir.resolve("m").toString(),
                "--previews", dir.resolve("p").toString());
        assertEquals(ExitCode.OK, r.code, r.err);
        assertTrue(r.out.contains("a.png: threshold"), r.out);
        assertTrue(r.out.contains("labelled 1 of 1 images"), r.out);
        assertTrue(r.out.contains("mean mask fraction 2.50 %"), r.out);
        assertTrue(Files.isRegularFile(dir.resolve("m/a.png")));
        assertTrue(Files.isRegularFile(dir.resolve("p/a.png")));
    }

    @Test
    void aMissingImagesFolderIsExit3NamingIt() {
        Path nowhere = dir.resolve("no-such-folder");
        CliTest.Run r = new CliTest.Run("label", "--images", nowhere.toString(), "--out", dir.resolve("m").toString());
        assertEquals(ExitCode.INPUT, r.code);
        assertTrue(r.err.contains(nowhere.toString()), r.err);
        assertFalse(r.err.contains("\tat "), "no stack trace");
    }

    @Test
    void anUndecodableImageIsExit3ButTheOthersAreLabelled() throws IOException {
        Path images = photos();
        Files.writeString(images.resolve("broken.jpg"), "not a jpeg");
        CliTest.Run r = new CliTest.Run("label", "--images", images.toString(), "--out", dir.resolve("m").toString());
        assertEquals(ExitCode.INPUT, r.code);
        assertTrue(r.err.contains("broken.jpg"), r.err);
        assertTrue(r.out.contains("labelled 1 of 2 images, 1 could not be decoded"), r.out);
        assertTrue(Files.isRegularFile(dir.resolve("m/a.png")));
    }

    @Test
    void badRoiRowIsExit3NamingTheLine() throws IOException {
        Path images = photos();
        Path csv = dir.resolve("roi.csv");
        Files.writeString(csv, "file,x,y,width,height\na.png,0,0,41,5\n");
        CliTest.Run r = new CliTest.Run("label", "--images", images.toString(), "--out", dir.resolve("m").toString(),
                "--roi", csv.toString());
        assertEquals(ExitCode.INPUT, r.code);
        assertTrue(r.err.contains(csv + " line 2"), r.err);
        assertFalse(Files.exists(dir.resolve("m")), "nothing written");
    }

    @Test
    void badOptionsAreExit2() {
        Path images = photos();
        String out = dir.resolve("m").toString();
        // each bad option, and what the one-line error must mention
        String[][] bad = {
                {"sideways", "--polarity", "sideways"},
                {"0 to 255", "--threshold", "300"},
                {"needs --threshold", "--method", "fixed"},
                {"Otsu chooses", "--method", "otsu", "--threshold", "100"},
                {"magic", "--method", "magic"},
                {"--blur", "--blur", "99"},
                {"--label-value must be 1 to 255", "--label-value", "0"},
                {"--bogus", "--bogus"}};
        for (String[] c : bad) {
            String[] args = new String[5 + c.length - 1];
            System.arraycopy(new String[] {"label", "--images", images.toString(), "--out", out}, 0, args, 0, 5);
            System.arraycopy(c, 1, args, 5, c.length - 1);
            CliTest.Run r = new CliTest.Run(args);
            assertEquals(ExitCode.USAGE, r.code, String.join(" ", args) + ": " + r.err);
            assertTrue(r.err.contains(c[0]), c[0] + " in " + r.err);
        }
        assertFalse(Files.exists(dir.resolve("m")), "nothing written");
        assertEquals(ExitCode.USAGE, new CliTest.Run("label", "--out", out).code, "--images is required");
    }

    @Test
    void helpDocumentsTheOptions() {
        CliTest.Run r = new CliTest.Run("label", "--help");
        assertEquals(ExitCode.OK, r.code);
        for (String o : new String[] {"--images", "--out", "--method", "--threshold", "--polarity", "--roi", "--previews",
                "--blur", "--overwrite", "Exit codes"}) {
            assertTrue(r.out.contains(o), o + " in\n" + r.out);
        }
    }

    /**
     * Masks written as label maps (--label-value 1, the Crack class of the original method's labeler) read back, with
     * data.mask-object = [1], as the very masks the 0/255 form gives by brightness; and brightness reads 0/1 alike.
     */
    @Test
    void labelMapMasksRoundTrip() {
        Path images = photos();
        CliTest.Run binary = new CliTest.Run("label", "--images", images.toString(), "--out", dir.resolve("b").toString());
        CliTest.Run map = new CliTest.Run("label", "--images", images.toString(), "--out", dir.resolve("l").toString(),
                "--label-value", "1");
        assertEquals(ExitCode.OK, map.code, map.err);
        BufferedImage written = Images.read(dir.resolve("l/a.png"));
        assertEquals(java.util.Set.of(0, 1), org.ftl.data.MaskObject.levels(Images.maskLevels(written)));
        boolean[] expected = Images.mask(Images.read(dir.resolve("b/a.png")));
        assertEquals(40 * 30 / 40, java.util.stream.IntStream.range(0, expected.length).filter(i -> expected[i]).count(),
                "the crack column");
        org.ftl.data.MaskObject crack = org.ftl.job.FtlConfig.load(null,
                java.util.List.of(org.ftl.config.SettingOverride.set("data.mask-object=[1]")), java.util.Map.of()).data().maskObject();
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, crack.object(written, "l/a.png"));
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected,
                org.ftl.data.MaskObject.brightness("default").object(written, "l/a.png"));
        assertTrue(binary.code == ExitCode.OK && map.out.contains("labelled 1 of 1 images"), map.out);
    }
}
