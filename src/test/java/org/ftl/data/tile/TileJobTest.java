package org.ftl.data.tile;

import org.ftl.FtlError;
import org.ftl.data.DataLayout;
import org.ftl.data.Images;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole job on constructed photos: p1..p8 are 128x64 with a 4-pixel crack (6.25 % of a patch) in the
 * left 64x64 patch and a clean right patch (1 Crack + 1 Background each); p9 has the crack plus 10 stray
 * pixels in its right patch (1 Crack + 1 sliver). lonely.png has no mask, orphan.png no photo.
 */
class TileJobTest {
    @TempDir
    Path dir;
    Path images;
    Path masks;

    static TileJob.Settings settings(double evaluationFraction, int segmentedCount, long seed, boolean overwrite) {
        return new TileJob.Settings(64, 64, 0.02, evaluationFraction, seed, segmentedCount, "Crack", "Background",
                overwrite);
    }

    @BeforeEach
    void photos() {
        images = dir.resolve("in/images");
        masks = dir.resolve("in/masks");
        for (int i = 1; i <= 9; i++) {
            Images.writePng(photo(i), images.resolve("p" + i + ".png"));
            boolean[] m = new boolean[128 * 64];
            for (int y = 0; y < 64; y++) {
                for (int x = 20; x < 24; x++) {
                    m[y * 128 + x] = true;
                }
            }
            if (i == 9) {
                for (int x = 100; x < 110; x++) {
                    m[30 * 128 + x] = true;
                }
            }
            Images.writePng(Images.maskImage(m, 128, 64), masks.resolve("p" + i + ".png"));
        }
        Images.writePng(photo(10), images.resolve("lonely.png"));
        Images.writePng(Images.maskImage(new boolean[128 * 64], 128, 64), masks.resolve("orphan.png"));
    }

    /** Every pixel tells where it came from: red = x, green = y, blue = the photo's number. */
    static BufferedImage photo(int n) {
        BufferedImage img = new BufferedImage(128, 64, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 128; x++) {
                img.setRGB(x, y, (x << 16) | (y << 8) | n);
            }
        }
        return img;
    }

    static Set<String> names(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return Set.of();
        }
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(java.util.TreeSet::new));
        }
    }

    static Set<String> sources(Set<String> patchNames) {
        return patchNames.stream().map(n -> n.substring(0, n.indexOf("_x"))).collect(Collectors.toSet());
    }

    @Test
    void writesTheDataLayoutWithTheExpectedCounts() throws IOException {
        Path out = dir.resolve("out");
        TileCounts c = new TileJob(settings(0.25, 0, 42, false)).run(images, masks, out);
        DataLayout d = new DataLayout(out);

        assertEquals(7, c.photos(Split.TRAINING));
        assertEquals(2, c.photos(Split.EVALUATION), "round(9 x 0.25)");
        assertEquals(9, c.crack(Split.TRAINING) + c.crack(Split.EVALUATION));
        assertEquals(8, c.background(Split.TRAINING) + c.background(Split.EVALUATION));
        assertEquals(1, c.slivers());
        assertEquals(List.of("lonely.png"), c.photosWithoutMask());
        assertEquals(List.of("orphan.png"), c.masksWithoutPhoto());

        assertEquals(c.crack(Split.TRAINING), names(d.dataset("Crack")).size());
        assertEquals(c.background(Split.TRAINING), names(d.dataset("Background")).size());
        assertEquals(c.crack(Split.EVALUATION), names(d.evaluation("Crack")).size());
        assertEquals(c.background(Split.EVALUATION), names(d.evaluation("Background")).size());
        assertTrue(names(d.dataset("Crack")).contains("p9_x0_y0.png") || names(d.evaluation("Crack")).contains("p9_x0_y0.png"));
        assertFalse(names(d.dataset("Background")).contains("p9_x64_y0.png"), "the sliver is left out");
        assertFalse(names(d.evaluation("Background")).contains("p9_x64_y0.png"), "the sliver is left out");
        String report = Files.readString(out.resolve(TileJob.REPORT_FILE));
        assertTrue(report.contains(images.toAbsolutePath().normalize().toString()), report);
        assertTrue(report.contains("slivers left out (crack cover above 0 and below the minimum): 1"), report);
        assertEquals(Set.of("in", "out"), names(dir), "no staging folder left beside the output");
    }

    @Test
    void noPhotoHasPatchesInBothSplits() throws IOException {
        Path out = dir.resolve("out");
        new TileJob(settings(0.4, 0, 5, false)).run(images, masks, out);
        DataLayout d = new DataLayout(out);
        Set<String> training = new HashSet<>(sources(names(d.dataset("Crack"))));
        training.addAll(sources(names(d.dataset("Background"))));
        Set<String> evaluation = new HashSet<>(sources(names(d.evaluation("Crack"))));
        evaluation.addAll(sources(names(d.evaluation("Background"))));
        assertEquals(4, evaluation.size(), "round(9 x 0.4)");
        assertEquals(5, training.size());
        Set<String> both = new HashSet<>(training);
        both.retainAll(evaluation);
        assertTrue(both.isEmpty(), "in both splits: " + both);
    }

    @Test
    void patchesAreExactCropsAndSegmentedMasksMatchThem() throws IOException {
        Path out = dir.resolve("out");
        new TileJob(settings(0.25, 0, 42, false)).run(images, masks, out);
        DataLayout d = new DataLayout(out);
        Set<String> segmented = names(d.segmentedImages("Crack"));
        assertEquals(names(d.dataset("Crack")), segmented, "no cap: every training Crack patch");
        assertEquals(segmented, names(d.segmentedMasks("Crack")), "pairs by file name");

        String one = segmented.iterator().next();
        int n = Integer.parseInt(one.substring(1, one.indexOf('_')));
        BufferedImage patch = Images.read(d.dataset("Crack").resolve(one));
        assertEquals(64, patch.getWidth());
        assertEquals(64, patch.getHeight());
        assertEquals((10 << 16) | (5 << 8) | n, patch.getRGB(10, 5) & 0xFFFFFF, "pixel (10,5) of photo " + n);
        BufferedImage mask = Images.read(d.segmentedMasks("Crack").resolve(one));
        for (int x = 0; x < 64; x++) {
            int expected = x >= 20 && x < 24 ? 255 : 0;
            assertEquals(expected, mask.getRaster().getSample(x, 17, 0), "mask column " + x);
        }
        BufferedImage right = Images.read(d.dataset("Background").resolve(one.replace("_x0_", "_x64_")));
        assertEquals((100 << 16) | (5 << 8) | n, right.getRGB(36, 5) & 0xFFFFFF, "corner offset applied");
    }

    @Test
    void segmentedSetIsCappedAndDrawnFromTrainingOnly() throws IOException {
        Path out = dir.resolve("out");
        TileCounts c = new TileJob(settings(0.5, 3, 42, false)).run(images, masks, out);
        DataLayout d = new DataLayout(out);
        Set<String> segmented = names(d.segmentedImages("Crack"));
        assertEquals(3, segmented.size());
        assertEquals(3, c.segmented());
        assertTrue(names(d.dataset("Crack")).containsAll(segmented));
        Set<String> evaluationSources = sources(names(d.evaluation("Crack")));
        assertFalse(evaluationSources.isEmpty());
        for (String s : sources(segmented)) {
            assertFalse(evaluationSources.contains(s), s + " is an evaluation photo");
        }
    }

    @Test
    void sameSeedSameOutput() throws IOException {
        new TileJob(settings(0.25, 4, 9, false)).run(images, masks, dir.resolve("a"));
        new TileJob(settings(0.25, 4, 9, false)).run(images, masks, dir.resolve("b"));
        for (String sub : List.of("dataset/Crack", "dataset/Background", "evaluation/Crack", "segmented/images/Crack")) {
            assertEquals(names(dir.resolve("a").resolve(sub)), names(dir.resolve("b").resolve(sub)), sub);
        }
    }

    @Test
    void aMaskOfAnotherSizeNamesBothFilesAndWritesNothing() {
        Images.writePng(Images.maskImage(new boolean[64 * 64], 64, 64), masks.resolve("p3.png"));
        Path out = dir.resolve("out");
        FtlError e = assertThrows(FtlError.class, () -> new TileJob(settings(0.25, 0, 42, false)).run(images, masks, out));
        assertTrue(e.getMessage().contains(masks.resolve("p3.png").toString())
                && e.getMessage().contains(images.resolve("p3.png").toString()), e.getMessage());
        assertFalse(Files.exists(out));
    }

    @Test
    void aFailureHalfWayLeavesNoOutput() throws IOException {
        // p5's header says PNG 128x64 (pass 1 is happy) but its pixels are cut off, so decoding fails in pass 2
        byte[] png = Files.readAllBytes(images.resolve("p5.png"));
        Files.write(images.resolve("p5.png"), java.util.Arrays.copyOf(png, 60));
        Path out = dir.resolve("out");
        FtlError e = assertThrows(FtlError.class, () -> new TileJob(settings(0.25, 0, 42, false)).run(images, masks, out));
        assertTrue(e.getMessage().contains("p5.png"), e.getMessage());
        assertEquals(Set.of("in"), names(dir), "neither the output nor its staging folder");
    }

    @Test
    void replacesAnEarlierLayoutOnlyWithOverwriteAndNeverDeletesForeignFiles() throws IOException {
        Path out = dir.resolve("out");
        new TileJob(settings(0.25, 0, 42, false)).run(images, masks, out);
        FtlError again = assertThrows(FtlError.class, () -> new TileJob(settings(0.25, 0, 43, false)).run(images, masks, out));
        assertTrue(again.getMessage().contains(out.toString()) && again.getMessage().contains("--overwrite"), again.getMessage());
        new TileJob(settings(0.25, 0, 43, true)).run(images, masks, out);
        assertTrue(Files.isDirectory(out.resolve("dataset/Crack")));
        assertEquals(Set.of("in", "out"), names(dir), "the old layout is gone, no staging folder left");

        Files.writeString(out.resolve("old.txt"), "x");
        FtlError foreign = assertThrows(FtlError.class, () -> new TileJob(settings(0.25, 0, 42, true)).run(images, masks, out));
        assertTrue(foreign.getMessage().contains("old.txt"), foreign.getMessage());
        assertTrue(Files.exists(out.resolve("old.txt")), "a file tile did not write is never deleted");
    }

    @Test
    void refusesAnOutputThatHoldsTheInput() {
        FtlError e = assertThrows(FtlError.class,
                () -> new TileJob(settings(0.25, 0, 42, true)).run(images, masks, dir.resolve("in")));
        assertTrue(e.getMessage().contains("holds the images folder"), e.getMessage());
    }
}
