package org.ftl.data;

import org.apache.hadoop.conf.Configuration;
import org.ftl.FtlError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The data layout as the sweep lists it, and the messages for a layout that is wrong. */
class DataListingTest {
    @TempDir
    Path root;

    private static final List<String> EXT = List.of("png", "jpg");
    private final Configuration conf = new Configuration();

    private void image(String relative) throws IOException {
        Path p = root.resolve(relative);
        Files.createDirectories(p.getParent());
        Images.writePng(new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB), p);
    }

    private String scanError() {
        return assertThrows(FtlError.class, () -> DataListing.scan(root.toString(), EXT, conf)).getMessage();
    }

    @Test
    void listsClassesSplitsAndPairsInAStableOrder() throws IOException {
        for (String f : new String[] {"dataset/Crack/b.png", "dataset/Crack/a.png", "dataset/Background/x.png",
                "evaluation/Crack/e.png", "segmented/images/Crack/s 1.png", "segmented/masks/Crack/s 1.png",
                "dataset/Crack/notes.txt.png"}) {
            image(f);
        }
        Files.writeString(root.resolve("dataset/Crack/readme.txt"), "not an image");
        DataListing l = DataListing.scan(root.toString(), EXT, conf);
        assertEquals(List.of("Background", "Crack"), l.classes());
        assertEquals(List.of("x.png", "a.png", "b.png", "notes.txt.png"), l.dataset().stream().map(ImageRef::name).toList());
        assertEquals(1, l.evaluation().size());
        assertEquals(1, l.segmented("Crack").size());
        assertEquals("s 1.png", l.segmented().get(0).name(), "names with spaces pair too");
    }

    @Test
    void aMissingRootOrDatasetFolderIsNamed() throws IOException {
        String missing = assertThrows(FtlError.class,
                () -> DataListing.scan(root.resolve("nope").toString(), EXT, conf)).getMessage();
        assertTrue(missing.contains("nope: no such data folder"), missing);
        Files.createDirectories(root.resolve("evaluation/Crack"));
        assertTrue(scanError().contains("dataset: no such folder"), scanError());
    }

    @Test
    void oneClassOrEmptyClassesAreRefused() throws IOException {
        image("dataset/Crack/a.png");
        Files.createDirectories(root.resolve("dataset/Background")); // empty: not a class
        String e = scanError();
        assertTrue(e.contains("needs at least two class folders with images, found Crack"), e);
    }

    @Test
    void evaluationClassesMustBeTrainingClasses() throws IOException {
        image("dataset/Crack/a.png");
        image("dataset/Background/b.png");
        image("evaluation/Pothole/c.png");
        String e = scanError();
        assertTrue(e.contains("class 'Pothole' is not in dataset/ (Background, Crack)"), e);
    }

    @Test
    void unpairedSegmentedFilesAreLeftOutAndNamedWhileTheirNeighboursAreUsed() throws IOException {
        image("dataset/Crack/a.png");
        image("dataset/Background/b.png");
        image("segmented/images/Crack/s.png");
        image("segmented/images/Crack/good.png");
        image("segmented/masks/Crack/good.png");
        image("segmented/masks/Crack/orphan.png");
        DataListing l = DataListing.scan(root.toString(), EXT, conf);
        assertEquals(List.of("good.png"), l.segmented().stream().map(SegmentedPair::name).toList());
        assertEquals(2, l.problems().size(), l.problems().toString());
        assertTrue(l.problems().get(0).contains("s.png: no mask named s.* in") && l.problems().get(0).endsWith("left out"),
                l.problems().get(0));
        assertTrue(l.problems().get(1).contains("orphan.png: a mask without an image"), l.problems().get(1));
    }

    @Test
    void anEmptyClassFolderBesideTwoClassesIsNamedAndTheOthersAreUsed() throws IOException {
        image("dataset/Crack/a.png");
        image("dataset/Background/b.png");
        Files.createDirectories(root.resolve("dataset/Pothole"));
        Files.writeString(root.resolve("dataset/Pothole/notes.txt"), "todo");
        DataListing l = DataListing.scan(root.toString(), EXT, conf);
        assertEquals(List.of("Background", "Crack"), l.classes());
        assertEquals(2, l.dataset().size());
        assertTrue(l.problems().stream().anyMatch(p -> p.endsWith("dataset/Pothole: no images (png, jpg); not a class")),
                l.problems().toString());
    }

    @Test
    void filesOfOtherKindsAreSummedUpByEndingNotListedOneByOne() throws IOException {
        image("dataset/Crack/a.png");
        image("dataset/Background/b.png");
        for (int i = 0; i < 500; i++) {
            Files.write(root.resolve("dataset/Crack/raw" + i + ".TIF"), new byte[] {1});
        }
        Files.write(root.resolve("dataset/Background/IMG_1.heic"), new byte[] {1});
        Files.write(root.resolve("dataset/Background/README"), new byte[] {1});
        DataListing l = DataListing.scan(root.toString(), EXT, conf);
        assertEquals(2, l.dataset().size(), "the images beside them are used");
        assertEquals(3, l.problems().size(), l.problems().toString());
        assertTrue(l.problems().get(0).endsWith("dataset/Background/README ending in no extension: not in"
                + " data.image-extensions (png, jpg); ignored"), l.problems().get(0));
        assertTrue(l.problems().get(1).endsWith("IMG_1.heic ending in .heic: not in data.image-extensions (png, jpg); ignored"));
        assertTrue(l.problems().get(2).contains("dataset/Crack/raw0.TIF and 499 more file(s) ending in .tif: not in"
                + " data.image-extensions"), l.problems().get(2));
    }

    @Test
    void fewerImagesThanFoldsNamesTheClassFolderAndTheKey() throws IOException {
        for (String f : new String[] {"dataset/Crack/a.png", "dataset/Crack/b.png", "dataset/Crack/c.png",
                "dataset/Background/x.png", "dataset/Background/y.png", "dataset/Background/z.png", "dataset/Background/w.png"}) {
            image(f);
        }
        DataListing l = DataListing.scan(root.toString(), EXT, conf);
        l.requireImagesPerClass(3);
        String e = assertThrows(FtlError.class, () -> l.requireImagesPerClass(4)).getMessage();
        assertTrue(e.endsWith("dataset/Crack: 3 images, fewer than the 4 folds of the head's cross-validation"
                + " (needs at least one per fold; add images or lower ftl.head.folds)"), e);
    }

    @Test
    void aMissingEvaluationFolderIsNoErrorForTheListing() throws IOException {
        image("dataset/Crack/a.png");
        image("dataset/Background/b.png");
        assertTrue(DataListing.scan(root.toString(), EXT, conf).evaluation().isEmpty(), "the sweep stops on it, naming it");
    }
}
