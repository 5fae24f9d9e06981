package org.ftl.data.synth;

import org.ftl.FtlError;
import org.ftl.data.Images;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The layout on disk: folders, counts, pairing of masks, determinism, and never a half-written layout. */
class SynthLayoutWriterTest {
    @TempDir
    Path dir;

    private static SynthSettings settings(int count, double crackFraction, double evaluationFraction, int segmented) {
        return new SynthSettings(SynthSettings.CRACK, count, 32, crackFraction, evaluationFraction, segmented, 0.5, 0.6,
                "Crack", "Background", List.of(Phenomenon.values()), 10, 0.25);
    }

    private static SynthLayoutWriter.Summary write(SynthSettings s, long seed, Path root, boolean replace) {
        return new SynthLayoutWriter(s, seed).write(root, replace, "pass --overwrite to replace it", done -> { });
    }

    private static long pngs(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".png")).count();
        }
    }

    /** Every file of a tree, by relative path, with its bytes. */
    private static Map<String, byte[]> tree(Path root) throws IOException {
        Map<String, byte[]> m = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(Files::isRegularFile).forEach(f -> {
                try {
                    m.put(root.relativize(f).toString(), Files.readAllBytes(f));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return m;
    }

    private void assertNoStagingLeft() throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            assertEquals(java.util.List.of(), entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).toList());
        }
    }

    @Test
    void writesEachFolderWithItsCountAndTheSameClassBalanceInBothSplits() throws IOException {
        Path root = dir.resolve("data");
        write(settings(100, 0.3, 0.2, 7), 1, root, false);
        assertEquals(24, pngs(root.resolve("dataset/Crack")));
        assertEquals(56, pngs(root.resolve("dataset/Background")));
        assertEquals(6, pngs(root.resolve("evaluation/Crack")));
        assertEquals(14, pngs(root.resolve("evaluation/Background")));
        assertEquals(7, pngs(root.resolve("segmented/images/Crack")));
        assertEquals(7, pngs(root.resolve("segmented/masks/Crack")));
        assertFalse(Files.exists(root.resolve("segmented/images/Background")), "the segmented set holds cracks only");
        assertTrue(Files.isRegularFile(root.resolve("dataset/Crack/00000.png")));
        assertTrue(Files.isRegularFile(root.resolve("dataset/Background/00055.png")));
        assertNoStagingLeft();
    }

    private static SynthSettings broad(List<Phenomenon> classes, int perClass, double evaluationFraction, int segmented) {
        return new SynthSettings(SynthSettings.BROAD, 999, 32, 0.5, 0.25, segmented, 0.5, 0.6, "Crack", "Background",
                classes, perClass, evaluationFraction);
    }

    @Test
    void broadModeWritesOneFolderPerClassSplitAlikeAndMasksForTheCracks() throws IOException {
        Path root = dir.resolve("broad");
        write(broad(List.of(Phenomenon.CRACK, Phenomenon.JOINT, Phenomenon.PITS), 8, 0.25, 3), 1, root, false);
        for (String c : List.of("Crack", "Joint", "Pits")) {
            assertEquals(6, pngs(root.resolve("dataset").resolve(c)), c);
            assertEquals(2, pngs(root.resolve("evaluation").resolve(c)), c);
        }
        try (Stream<Path> classes = Files.list(root.resolve("dataset"))) {
            assertEquals(3, classes.count(), "only the chosen classes");
        }
        assertEquals(3, pngs(root.resolve("segmented/images/Crack")));
        assertEquals(3, pngs(root.resolve("segmented/masks/Crack")));
        BufferedImage mask = Images.read(root.resolve("segmented/masks/Crack/00000.png"));
        boolean[] expected = new BroadSynthesizer(32, 0.5).synthesize(1, Split.SEGMENTED, Phenomenon.CRACK, 0).mask();
        for (int k = 0; k < expected.length; k++) {
            assertEquals(expected[k], mask.getRaster().getSample(k % 32, k / 32, 0) == 255, "mask pixel " + k);
        }
        assertNoStagingLeft();
    }

    @Test
    void broadModeWithoutEvaluationOrCracksWritesNeither() throws IOException {
        Path root = dir.resolve("broad");
        write(broad(List.of(Phenomenon.STAIN, Phenomenon.STONES), 5, 0, 3), 1, root, false);
        assertEquals(5, pngs(root.resolve("dataset/Stain")));
        assertEquals(5, pngs(root.resolve("dataset/Stones")));
        assertFalse(Files.exists(root.resolve("evaluation")), "evaluation-fraction 0 writes no evaluation/");
        assertFalse(Files.exists(root.resolve("segmented")), "no crack class, no segmented set");
        assertEquals(List.of(4, 4, 1, 1), SynthLayoutWriter.Plan.of(broad(List.of(Phenomenon.STAIN, Phenomenon.EDGE), 5, 0.1, 3))
                .folders().stream().map(SynthLayoutWriter.Folder::count).toList(), "a class keeps one image in each split");
    }

    /** Seeds go by class name: choosing other classes or another order leaves a class's images as they were. */
    @Test
    void aBroadClassKeepsItsImagesWhateverTheOtherClasses() throws IOException {
        write(broad(List.of(Phenomenon.CRACK, Phenomenon.JOINT), 6, 0.25, 1), 4, dir.resolve("a"), false);
        write(broad(List.of(Phenomenon.PAINT, Phenomenon.JOINT, Phenomenon.EDGE), 6, 0.25, 1), 4, dir.resolve("b"), false);
        Map<String, byte[]> a = tree(dir.resolve("a/dataset/Joint"));
        Map<String, byte[]> b = tree(dir.resolve("b/dataset/Joint"));
        assertEquals(a.keySet(), b.keySet());
        a.forEach((name, bytes) -> assertArrayEquals(bytes, b.get(name), name));
    }

    /** Any number of threads writes the same bytes: each image comes from its own (seed, split, class, index). */
    @Test
    void broadLayoutsAreByteIdenticalOnOneThreadAndOnFour() throws Exception {
        SynthSettings s = broad(List.of(Phenomenon.values()), 6, 0.34, 3);
        for (int threads : new int[] {1, 4}) {
            java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(threads);
            try {
                pool.submit(() -> write(s, 9, dir.resolve("t" + threads), false)).get();
            } finally {
                pool.shutdown();
            }
        }
        Map<String, byte[]> one = tree(dir.resolve("t1"));
        Map<String, byte[]> four = tree(dir.resolve("t4"));
        assertEquals(10 * 6 + 3 + 3, one.size());
        assertEquals(one.keySet(), four.keySet());
        one.forEach((name, bytes) -> assertArrayEquals(bytes, four.get(name), name));
    }

    @Test
    void evenSplitsOfTheDefaultShape() {
        SynthLayoutWriter.Plan plan = SynthLayoutWriter.Plan.of(settings(1000, 0.5, 0.25, 40));
        assertEquals(java.util.List.of(375, 375, 125, 125, 40),
                plan.folders().stream().map(SynthLayoutWriter.Folder::count).toList());
        assertEquals(1040, plan.total());
    }

    @Test
    void classFolderNamesComeFromTheSettings() throws IOException {
        Path root = dir.resolve("named");
        new SynthLayoutWriter(new SynthSettings(SynthSettings.CRACK, 8, 16, 0.5, 0.25, 2, 0.5, 0.6, "Fissure", "Sound",
                List.of(Phenomenon.values()), 10, 0.25), 1)
                .write(root, false, "", done -> { });
        assertEquals(3, pngs(root.resolve("dataset/Fissure")));
        assertEquals(3, pngs(root.resolve("dataset/Sound")));
        assertEquals(2, pngs(root.resolve("segmented/masks/Fissure")));
    }

    @Test
    void masksAreZeroOr255AndPairWithTheirImageByName() throws IOException {
        Path root = dir.resolve("data");
        SynthSettings s = settings(4, 0.5, 0.25, 5);
        write(s, 3, root, false);
        CrackSynthesizer synth = new CrackSynthesizer(32, 0.5, 0.6);
        for (int i = 0; i < 5; i++) {
            String name = SynthLayoutWriter.fileName(i);
            BufferedImage mask = Images.read(root.resolve("segmented/masks/Crack").resolve(name));
            BufferedImage image = Images.read(root.resolve("segmented/images/Crack").resolve(name));
            CrackSynthesizer.Sample expected = synth.synthesize(3, Split.SEGMENTED, true, i);
            assertEquals(BufferedImage.TYPE_BYTE_GRAY, mask.getType());
            int on = 0;
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    int v = mask.getRaster().getSample(x, y, 0);
                    assertTrue(v == 0 || v == 255, "mask value " + v);
                    assertEquals(expected.mask()[y * 32 + x], v == 255);
                    on += v == 255 ? 1 : 0;
                    assertEquals(expected.image().getRGB(x, y), image.getRGB(x, y));
                }
            }
            assertTrue(on > 0, name + ": empty mask");
        }
    }

    @Test
    void sameSeedWritesByteIdenticalLayoutsAndAnotherSeedDoesNot() throws IOException {
        SynthSettings s = settings(30, 0.5, 0.25, 4);
        write(s, 11, dir.resolve("a"), false);
        write(s, 11, dir.resolve("b"), false);
        write(s, 12, dir.resolve("c"), false);
        Map<String, byte[]> a = tree(dir.resolve("a"));
        Map<String, byte[]> b = tree(dir.resolve("b"));
        Map<String, byte[]> c = tree(dir.resolve("c"));
        assertEquals(a.keySet(), b.keySet());
        a.forEach((name, bytes) -> assertArrayEquals(bytes, b.get(name), name));
        assertEquals(a.keySet(), c.keySet());
        long same = a.entrySet().stream().filter(e -> java.util.Arrays.equals(e.getValue(), c.get(e.getKey()))).count();
        assertEquals(0, same, "files identical across seeds");
    }

    @Test
    void refusesAnExistingLayoutWithoutReplaceAndLeavesItAlone() throws IOException {
        Path root = dir.resolve("data");
        SynthSettings s = settings(10, 0.5, 0.25, 2);
        write(s, 1, root, false);
        Map<String, byte[]> before = tree(root);
        FtlError e = assertThrows(FtlError.class, () -> write(s, 2, root, false));
        assertTrue(e.getMessage().startsWith(root.toAbsolutePath().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("--overwrite"), e.getMessage());
        Map<String, byte[]> after = tree(root);
        assertEquals(before.keySet(), after.keySet());
        before.forEach((name, bytes) -> assertArrayEquals(bytes, after.get(name), name));
        assertNoStagingLeft();
    }

    @Test
    void replaceSwapsInTheNewLayoutWholeAndRemovesTheOld() throws IOException {
        Path root = dir.resolve("data");
        write(settings(40, 0.5, 0.25, 3), 1, root, false);
        write(settings(10, 0.5, 0.25, 2), 2, root, true);
        Map<String, byte[]> replaced = tree(root);
        write(settings(10, 0.5, 0.25, 2), 2, dir.resolve("fresh"), false);
        Map<String, byte[]> fresh = tree(dir.resolve("fresh"));
        assertEquals(fresh.keySet(), replaced.keySet(), "no file of the old, larger layout may survive");
        fresh.forEach((name, bytes) -> assertArrayEquals(bytes, replaced.get(name), name));
        assertNoStagingLeft();
    }

    @Test
    void refusesAFolderHoldingOtherFilesEvenWhenAskedToReplace() throws IOException {
        Path root = dir.resolve("mine");
        Files.createDirectories(root.resolve("dataset"));
        Files.writeString(root.resolve("notes.txt"), "not yours");
        FtlError e = assertThrows(FtlError.class, () -> write(settings(4, 0.5, 0.25, 1), 1, root, true));
        assertTrue(e.getMessage().contains(root.toAbsolutePath().toString()) && e.getMessage().contains("notes.txt"), e.getMessage());
        assertEquals("not yours", Files.readString(root.resolve("notes.txt")));
        assertNoStagingLeft();
    }

    @Test
    void writesIntoAnEmptyExistingFolder() throws IOException {
        Path root = Files.createDirectories(dir.resolve("empty"));
        write(settings(4, 0.5, 0.25, 1), 1, root, false);
        assertEquals(2, pngs(root.resolve("dataset/Crack")) + pngs(root.resolve("evaluation/Crack")));
    }

    @Test
    void refusesAFileInPlaceOfTheFolder() throws IOException {
        Path file = Files.writeString(dir.resolve("data"), "x");
        FtlError e = assertThrows(FtlError.class, () -> write(settings(4, 0.5, 0.25, 1), 1, file, true));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    /** A job that fails half-way leaves neither a layout under the real name nor its staging folder. */
    @Test
    void aFailedRunLeavesNothingThatLooksComplete() throws IOException {
        Path root = dir.resolve("data");
        SynthLayoutWriter writer = new SynthLayoutWriter(settings(40, 0.5, 0.25, 4), 1);
        RuntimeException e = assertThrows(RuntimeException.class, () -> writer.write(root, false, "", done -> {
            if (done >= 10) {
                throw new IllegalStateException("interrupted at 10");
            }
        }));
        assertTrue(String.valueOf(e.getMessage()).contains("interrupted at 10") || e.getCause() != null, String.valueOf(e));
        assertFalse(Files.exists(root));
        assertNoStagingLeft();
    }

    @Test
    void aFailedReplaceKeepsTheOldLayout() throws IOException {
        Path root = dir.resolve("data");
        write(settings(10, 0.5, 0.25, 2), 1, root, false);
        Map<String, byte[]> before = tree(root);
        SynthLayoutWriter writer = new SynthLayoutWriter(settings(10, 0.5, 0.25, 2), 2);
        assertThrows(RuntimeException.class, () -> writer.write(root, true, "", done -> {
            if (done >= 5) {
                throw new IllegalStateException("interrupted");
            }
        }));
        Map<String, byte[]> after = tree(root);
        assertEquals(before.keySet(), after.keySet());
        before.forEach((name, bytes) -> assertArrayEquals(bytes, after.get(name), name));
        assertNotEquals(0, after.size());
        assertNoStagingLeft();
    }
}
