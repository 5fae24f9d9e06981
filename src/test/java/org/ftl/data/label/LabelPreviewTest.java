package org.ftl.data.label;

import org.ftl.data.Images;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The preview: photo | photo with red mask, twice as wide, same height. */
class LabelPreviewTest {
    @TempDir
    Path dir;

    @Test
    void previewIsThePhotoBesideItsTintedCopy() {
        BufferedImage photo = LabelTestImages.crackPhoto(); // 40x30, crack (40) in columns 10-11 on 200
        LabelledMask m = new MaskThresholder(ThresholdMethod.FIXED, 120, Polarity.DARK, 0).label(photo, null);
        Path file = dir.resolve("p.png");
        Images.writePng(Preview.render(photo, m.mask(), null), file);

        assertTrue(Files.isRegularFile(file));
        BufferedImage p = Images.read(file);
        assertEquals(80, p.getWidth());
        assertEquals(30, p.getHeight());
        assertEquals(0x282828, p.getRGB(10, 5) & 0xFFFFFF, "left half: the crack as it is");
        assertEquals(0xC8C8C8, p.getRGB(0, 5) & 0xFFFFFF, "left half: the surface as it is");
        assertEquals(0x931414, p.getRGB(40 + 10, 5) & 0xFFFFFF, "right half: crack blended half with red");
        assertEquals(0xC8C8C8, p.getRGB(40 + 0, 5) & 0xFFFFFF, "right half: background untouched");
    }

    @Test
    void regionOfInterestIsOutlinedOnTheRightHalf() {
        BufferedImage photo = LabelTestImages.rgb(20, 20, (x, y) -> 128);
        BufferedImage p = Preview.render(photo, new boolean[400], new Roi(2, 3, 5, 4));
        assertEquals(0xFFFF00, p.getRGB(20 + 2, 3) & 0xFFFFFF);
        assertEquals(0xFFFF00, p.getRGB(20 + 6, 6) & 0xFFFFFF);
        assertEquals(0x808080, p.getRGB(20 + 4, 5) & 0xFFFFFF, "inside the box untouched");
        assertEquals(0x808080, p.getRGB(2, 3) & 0xFFFFFF, "left half untouched");
    }

    @Test
    void greyPhotosKeepTheirStoredLevels() {
        BufferedImage grey = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(0, 0, 0, 60);
        grey.getRaster().setSample(1, 0, 0, 200);
        BufferedImage p = Preview.render(grey, new boolean[2], null);
        assertEquals(0x3C3C3C, p.getRGB(0, 0) & 0xFFFFFF);
        assertEquals(0xC8C8C8, p.getRGB(3, 0) & 0xFFFFFF);
    }
}
