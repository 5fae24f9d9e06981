package org.ftl.data.label;

import org.ftl.FtlError;
import org.ftl.data.Images;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.ftl.data.label.LabelTestImages.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Labelling a folder: mask names, previews, a corrupt image that does not stop the others. */
class LabelerTest {
    @TempDir
    Path dir;
    Path images;
    Path masks;
    Path previews;
    final Labeler otsu = new Labeler(new MaskThresholder(ThresholdMethod.OTSU, 0, Polarity.DARK, 0));

    @BeforeEach
    void photos() {
        images = dir.resolve("images");
        masks = dir.resolve("masks");
        previews = dir.resolve("previews");
        Images.writePng(LabelTestImages.crackPhoto(), images.resolve("a.png"));
        Images.writePng(LabelTestImages.rgb(20, 10, (x, y) -> y == 3 ? 30 : 180), images.resolve("b.bmp"));
    }

    @Test
    void writesOneMaskPerImageNamedLikeIt() throws IOException {
        Files.writeString(images.resolve("notes.txt"), "not an image, not listed");
        List<Labeler.Result> seen = new ArrayList<>();
        Labeler.Summary s = otsu.labelFolder(images, masks, previews, null, false, seen::add);

        assertEquals(2, s.images());
        assertEquals(2, s.labelled());
        assertTrue(s.failures().isEmpty());
        assertEquals(2, seen.size());
        boolean[] a = Images.mask(Images.read(masks.resolve("a.png")));
        assertEquals(60, count(a));
        boolean[] b = Images.mask(Images.read(masks.resolve("b.png")));
        assertEquals(20, count(b));
        assertEquals((60 / 1200.0 + 20 / 200.0) / 2, s.meanFraction(), 1e-12);
        // 0/255 grey, the masks' contract
        assertEquals(255, Images.read(masks.resolve("a.png")).getRaster().getSample(10, 0, 0));
        assertEquals(0, Images.read(masks.resolve("a.png")).getRaster().getSample(0, 0, 0));
        assertEquals(80, Images.read(previews.resolve("a.png")).getWidth());
        assertEquals(40, Images.read(previews.resolve("b.png")).getWidth());
    }

    @Test
    void aCorruptImageIsReportedAndTheOthersAreStillLabelled() throws IOException {
        Files.writeString(images.resolve("0-broken.jpg"), "this is not a JPEG");
        Labeler.Summary s = otsu.labelFolder(images, masks, null, null, false, r -> { });
        assertEquals(3, s.images());
        assertEquals(2, s.labelled());
        assertEquals(1, s.failures().size());
        assertTrue(s.failures().get(0).error().contains("0-broken.jpg"), s.failures().get(0).error());
        assertTrue(Files.exists(masks.resolve("a.png")));
        assertTrue(Files.exists(masks.resolve("b.png")));
        assertFalse(Files.exists(masks.resolve("0-broken.png")));
    }

    @Test
    void regionsApplyByFileName() throws IOException {
        Path csv = dir.resolve("roi.csv");
        Files.writeString(csv, "file,x,y,width,height\na.png,0,0,40,10\n");
        Labeler.Summary s = otsu.labelFolder(images, masks, null, RoiTable.read(csv), false, r -> { });
        assertEquals(1, s.withRoi());
        assertEquals(20, count(Images.mask(Images.read(masks.resolve("a.png")))), "only rows 0-9 of the crack");
        assertEquals(20, count(Images.mask(Images.read(masks.resolve("b.png")))), "b has no row: labelled whole");
    }

    @Test
    void refusesANonEmptyOutputUnlessOverwrite() throws IOException {
        Files.createDirectories(masks);
        Files.writeString(masks.resolve("old.txt"), "x");
        FtlError e = assertThrows(FtlError.class, () -> otsu.labelFolder(images, masks, null, null, false, r -> { }));
        assertTrue(e.getMessage().contains(masks.toString()) && e.getMessage().contains("--overwrite"), e.getMessage());
        assertEquals(2, otsu.labelFolder(images, masks, null, null, true, r -> { }).labelled());
        assertTrue(Files.exists(masks.resolve("old.txt")), "other files are left alone");
    }

    @Test
    void refusesTwoImagesThatWouldShareAMaskName() {
        Images.writePng(LabelTestImages.crackPhoto(), images.resolve("b.png"));
        FtlError e = assertThrows(FtlError.class, () -> otsu.labelFolder(images, masks, null, null, false, r -> { }));
        assertTrue(e.getMessage().contains("b.bmp") && e.getMessage().contains("b.png"), e.getMessage());
        assertFalse(Files.exists(masks), "nothing written");
    }

    @Test
    void refusesMasksIntoTheImagesFolder() {
        FtlError e = assertThrows(FtlError.class, () -> otsu.labelFolder(images, images, null, null, true, r -> { }));
        assertTrue(e.getMessage().contains("must differ"), e.getMessage());
    }

    @Test
    void aMissingFolderIsNamed() {
        Path nowhere = dir.resolve("nowhere");
        FtlError e = assertThrows(FtlError.class, () -> otsu.labelFolder(nowhere, masks, null, null, false, r -> { }));
        assertTrue(e.getMessage().contains(nowhere.toString()), e.getMessage());
    }
}
