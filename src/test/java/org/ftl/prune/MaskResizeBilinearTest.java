package org.ftl.prune;

import org.ftl.data.Images;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link MaskResize#BILINEAR} against OpenCV itself: the fixtures in {@code opencv-resize/} are 0/255 masks (thin
 * lines and scattered pixels) and where {@code cv2.resize} (OpenCV 4.6, INTER_LINEAR) made them non-zero, at the map
 * sizes of AlexNet at 224 and 64 pixels, an upscale, an exact halving and a non-square case ({@code make.py} there
 * made them).
 */
class MaskResizeBilinearTest {
    private static final String[][] CASES = {
            {"case0-mask-224x224.png", "case0-cv2-55x55.png"}, {"case1-mask-224x224.png", "case1-cv2-27x27.png"},
            {"case2-mask-224x224.png", "case2-cv2-13x13.png"}, {"case3-mask-64x64.png", "case3-cv2-55x55.png"},
            {"case4-mask-64x64.png", "case4-cv2-27x27.png"}, {"case5-mask-64x64.png", "case5-cv2-13x13.png"},
            {"case6-mask-16x16.png", "case6-cv2-40x40.png"}, {"case7-mask-100x100.png", "case7-cv2-50x50.png"},
            {"case8-mask-53x37.png", "case8-cv2-29x13.png"}};

    private static BufferedImage fixture(String name) throws IOException {
        try (InputStream in = MaskResizeBilinearTest.class.getResourceAsStream("/opencv-resize/" + name)) {
            assertNotNull(in, name);
            return Images.decode(in.readAllBytes(), name);
        }
    }

    @Test
    void matchesOpenCvOnEveryFixture() throws IOException {
        List<String> otherModesDiffer = new ArrayList<>();
        for (String[] c : CASES) {
            BufferedImage mask = fixture(c[0]);
            BufferedImage cv2 = fixture(c[1]);
            boolean[] m = Images.mask(mask);
            boolean[] expected = Images.mask(cv2);
            boolean[] got = MaskResize.resizeTo(m, mask.getHeight(), mask.getWidth(), cv2.getHeight(), cv2.getWidth(),
                    MaskResize.BILINEAR);
            assertArrayEquals(expected, got, c[0] + " to " + cv2.getWidth() + "x" + cv2.getHeight());
            boolean[] any = MaskResize.resizeTo(m, mask.getHeight(), mask.getWidth(), cv2.getHeight(), cv2.getWidth(),
                    MaskResize.ANY);
            if (!java.util.Arrays.equals(expected, any)) {
                otherModesDiffer.add(c[0]);
            }
        }
        // the fixtures tell the modes apart: FTL's footprint rule sees pixels OpenCV's samples skip
        assertTrue(otherModesDiffer.size() >= 6, "any matched OpenCV on all but " + otherModesDiffer);
    }

    /** A one-pixel line between OpenCV's samples vanishes at a coarse map; the footprint rule keeps it. */
    @Test
    void aThinLineBetweenTheSamplesIsLost() {
        int n = 224;
        boolean[] mask = new boolean[n * n];
        for (int x = 0; x < n; x++) {
            mask[100 * n + x] = true; // row 100: for 56 rows, the centres sample rows 4y+1 and 4y+2
        }
        boolean[] bilinear = MaskResize.resizeTo(mask, n, n, 56, 56, MaskResize.BILINEAR);
        boolean[] any = MaskResize.resizeTo(mask, n, n, 56, 56, MaskResize.ANY);
        boolean b = false;
        for (boolean v : bilinear) {
            b |= v;
        }
        assertFalse(b, "row 100 is 4·24 + 4: between the samples of rows 24 (97, 98) and 25 (101, 102)");
        assertTrue(any[25 * 56], "row 100 is in the footprint of map row 25");
    }
}
