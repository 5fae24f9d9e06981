package org.ftl.data.synth;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The segmented set is only useful if each mask is exactly where the drawn crack is. */
class SynthMaskTest {
    private static final long SEED = 77;

    /** The same image rendered without its crack differs from the real one exactly on the mask, and only by darkening. */
    @ParameterizedTest(name = "size {0}, difficulty {1}")
    @CsvSource({"64, 0.0", "64, 0.5", "64, 1.0", "128, 0.5", "37, 0.7"})
    void changedPixelsAreExactlyTheMask(int size, double difficulty) {
        CrackSynthesizer synth = new CrackSynthesizer(size, difficulty, 0.6);
        for (int index = 0; index < 25; index++) {
            CrackSynthesizer.Sample withCrack = synth.synthesize(SEED, Split.SEGMENTED, true, index);
            CrackSynthesizer.Sample without = synth.surfaceOnly(SEED, Split.SEGMENTED, index);
            float[] a = ImageStats.luminance(withCrack.image());
            float[] b = ImageStats.luminance(without.image());
            boolean[] mask = withCrack.mask();
            assertTrue(withCrack.maskPixels() >= size / 2, "image " + index + ": crack too small: " + withCrack.maskPixels());
            for (int p = 0; p < a.length; p++) {
                boolean changed = withCrack.image().getRGB(p % size, p / size) != without.image().getRGB(p % size, p / size);
                assertEquals(mask[p], changed, "image " + index + " pixel (" + p % size + "," + p / size + "): mask "
                        + mask[p] + " but changed " + changed);
                if (changed) {
                    assertTrue(a[p] < b[p], "image " + index + ": a crack pixel got lighter at " + p);
                }
            }
        }
    }

    /** Seen in the image alone: crack pixels are markedly darker than the pixels right around them. */
    @Test
    void maskPixelsAreMarkedlyDarkerThanTheirNeighbourhood() {
        int size = 64;
        CrackSynthesizer synth = new CrackSynthesizer(size, 0.5, 0.6);
        double[] ratios = new double[60];
        for (int index = 0; index < ratios.length; index++) {
            CrackSynthesizer.Sample s = synth.synthesize(SEED, Split.DATASET, true, index);
            ratios[index] = maskToNeighbourhoodBrightness(ImageStats.luminance(s.image()), s.mask(), size, 3);
            assertTrue(ratios[index] < 0.85, "image " + index + ": mask only " + ratios[index]
                    + " as bright as the 3-pixel ring around it");
        }
        Arrays.sort(ratios);
        assertTrue(ratios[ratios.length / 2] < 0.7, "median mask/ring brightness " + ratios[ratios.length / 2]);
    }

    /** A mask shifted by a few pixels no longer sits on dark pixels: the check above can tell a misplaced mask. */
    @Test
    void aShiftedMaskIsNotDarkerThanItsNeighbourhood() {
        int size = 64;
        CrackSynthesizer synth = new CrackSynthesizer(size, 0.5, 0.6);
        int misplaced = 0;
        for (int index = 0; index < 20; index++) {
            CrackSynthesizer.Sample s = synth.synthesize(SEED, Split.DATASET, true, index);
            boolean[] shifted = new boolean[size * size];
            for (int p = 0; p < shifted.length; p++) {
                int x = p % size;
                int y = p / size;
                shifted[p] = x >= 6 && y >= 6 && s.mask()[(y - 6) * size + (x - 6)];
            }
            misplaced += maskToNeighbourhoodBrightness(ImageStats.luminance(s.image()), shifted, size, 3) >= 0.85 ? 1 : 0;
        }
        assertTrue(misplaced >= 15, "only " + misplaced + " of 20 shifted masks looked misplaced");
    }

    @Test
    void backgroundImagesHaveEmptyMasks() {
        CrackSynthesizer synth = new CrackSynthesizer(64, 0.5, 1.0);
        for (int index = 0; index < 10; index++) {
            assertEquals(0, synth.synthesize(SEED, Split.DATASET, false, index).maskPixels());
        }
    }

    /** Mean brightness of mask pixels over that of the non-mask pixels within {@code ring} pixels of the mask. */
    static double maskToNeighbourhoodBrightness(float[] lum, boolean[] mask, int size, int ring) {
        double in = 0;
        double out = 0;
        int nIn = 0;
        int nOut = 0;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int p = y * size + x;
                if (mask[p]) {
                    in += lum[p];
                    nIn++;
                } else if (near(mask, size, x, y, ring)) {
                    out += lum[p];
                    nOut++;
                }
            }
        }
        return nIn == 0 || nOut == 0 ? 1 : (in / nIn) / (out / nOut);
    }

    private static boolean near(boolean[] mask, int size, int x, int y, int ring) {
        for (int yy = Math.max(0, y - ring); yy <= Math.min(size - 1, y + ring); yy++) {
            for (int xx = Math.max(0, x - ring); xx <= Math.min(size - 1, x + ring); xx++) {
                if (mask[yy * size + xx]) {
                    return true;
                }
            }
        }
        return false;
    }
}
