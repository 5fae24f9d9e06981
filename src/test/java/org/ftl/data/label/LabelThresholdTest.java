package org.ftl.data.label;

import org.ftl.data.Otsu;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;

import static org.ftl.data.label.LabelTestImages.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MaskThresholder: fixed thresholds, polarity, Otsu on a photo, regions of interest, blur. */
class LabelThresholdTest {
    /** 256x1 ramp: pixel x has grey level x, so every threshold's mask size is known. */
    private static final BufferedImage RAMP = LabelTestImages.rgb(256, 1, (x, y) -> x);

    @Test
    void fixedDarkThresholdTakesLevelsAtOrBelowIt() {
        LabelledMask m = new MaskThresholder(ThresholdMethod.FIXED, 100, Polarity.DARK, 0).label(RAMP, null);
        assertEquals(100, m.threshold());
        assertEquals(101, count(m.mask()));
        assertTrue(m.mask()[100]);
        assertFalse(m.mask()[101]);
        assertEquals(101 / 256.0, m.fraction(), 1e-12);
    }

    @Test
    void lightPolarityTakesTheOtherSide() {
        LabelledMask m = new MaskThresholder(ThresholdMethod.FIXED, 100, Polarity.LIGHT, 0).label(RAMP, null);
        assertEquals(155, count(m.mask()));
        assertFalse(m.mask()[100]);
        assertTrue(m.mask()[101]);
    }

    @Test
    void otsuFindsTheDarkCrackOnALightSurface() {
        LabelledMask m = new MaskThresholder(ThresholdMethod.OTSU, 0, Polarity.DARK, 0)
                .label(LabelTestImages.crackPhoto(), null);
        assertTrue(m.threshold() >= 40 && m.threshold() < 200, "threshold " + m.threshold());
        assertEquals(2 * 30, count(m.mask()));
        for (int y = 0; y < 30; y++) {
            assertTrue(m.mask()[y * 40 + 10] && m.mask()[y * 40 + 11]);
        }
    }

    @Test
    void greyImagesAreThresholdedOnTheirStoredLevels() {
        // Java's getRGB brightens TYPE_BYTE_GRAY (stored 100 reads back as ~170); the mask must not move with it
        BufferedImage grey = new BufferedImage(256, 1, BufferedImage.TYPE_BYTE_GRAY);
        for (int x = 0; x < 256; x++) {
            grey.getRaster().setSample(x, 0, 0, x);
        }
        LabelledMask m = new MaskThresholder(ThresholdMethod.FIXED, 100, Polarity.DARK, 0).label(grey, null);
        assertEquals(101, count(m.mask()));
    }

    @Test
    void regionOfInterestRestrictsTheMask() {
        // two cracks; the region covers only the one in columns 10-11, rows 5-14
        BufferedImage photo = LabelTestImages.rgb(40, 30, (x, y) -> x == 10 || x == 11 || x == 30 ? 40 : 200);
        Roi roi = new Roi(5, 5, 15, 10);
        LabelledMask m = new MaskThresholder(ThresholdMethod.FIXED, 120, Polarity.DARK, 0).label(photo, roi);
        assertEquals(2 * 10, count(m.mask()));
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 40; x++) {
                boolean expected = (x == 10 || x == 11) && y >= 5 && y < 15;
                assertEquals(expected, m.mask()[y * 40 + x], "pixel " + x + "," + y);
            }
        }
        assertEquals(20 / 1200.0, m.fraction(), 1e-12, "fraction is of the whole image");
    }

    @Test
    void otsuLooksOnlyInsideTheRegion() {
        // left half: dark 20 vs mid 100; right half (outside the region): bright 250.
        // Over the whole image Otsu would split 20+100 from 250; inside the region it must split 20 from 100.
        BufferedImage photo = LabelTestImages.rgb(40, 10, (x, y) -> x >= 20 ? 250 : x < 5 ? 20 : 100);
        LabelledMask whole = new MaskThresholder(ThresholdMethod.OTSU, 0, Polarity.DARK, 0).label(photo, null);
        assertTrue(whole.threshold() >= 100, "whole image threshold " + whole.threshold());
        LabelledMask inRoi = new MaskThresholder(ThresholdMethod.OTSU, 0, Polarity.DARK, 0)
                .label(photo, new Roi(0, 0, 20, 10));
        assertTrue(inRoi.threshold() >= 20 && inRoi.threshold() < 100, "region threshold " + inRoi.threshold());
        assertEquals(5 * 10, count(inRoi.mask()));
    }

    @Test
    void aUniformImageGivesAnEmptyMaskWhateverThePolarity() {
        BufferedImage flat = LabelTestImages.rgb(8, 8, (x, y) -> 128);
        for (Polarity p : Polarity.values()) {
            LabelledMask m = new MaskThresholder(ThresholdMethod.OTSU, 0, p, 0).label(flat, null);
            assertEquals(Otsu.NO_SPLIT, m.threshold());
            assertEquals(0, count(m.mask()));
        }
    }

    @Test
    void blurRemovesASinglePixelSpeck() {
        // one dark pixel on light: a radius-1 box blur lifts it to (8*200 + 40) / 9 = 182, above the threshold
        BufferedImage speck = LabelTestImages.rgb(9, 9, (x, y) -> x == 4 && y == 4 ? 40 : 200);
        assertEquals(1, count(new MaskThresholder(ThresholdMethod.FIXED, 120, Polarity.DARK, 0).label(speck, null).mask()));
        assertEquals(0, count(new MaskThresholder(ThresholdMethod.FIXED, 120, Polarity.DARK, 1).label(speck, null).mask()));
    }

    @Test
    void settingsOutOfRangeAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new MaskThresholder(ThresholdMethod.FIXED, 256, Polarity.DARK, 0));
        assertThrows(IllegalArgumentException.class, () -> new MaskThresholder(ThresholdMethod.FIXED, 0, Polarity.DARK, -1));
        assertThrows(IllegalArgumentException.class, () -> Polarity.parse("sideways"));
        assertEquals(Polarity.LIGHT, Polarity.parse("Light"));
        assertEquals(ThresholdMethod.OTSU, ThresholdMethod.parse("otsu"));
    }
}
