package org.ftl.data.synth;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The broad pretraining task: deterministic, every image shows its class's phenomenon, the crack's mask is exact,
 * and no plain brightness statistic tells the classes apart (a backbone must learn shapes and textures).
 */
class BroadSynthesizerTest {
    private static final long SEED = 31;
    private static final BroadSynthesizer SYNTH = new BroadSynthesizer(64, 0.5);

    private static byte[] png(long seed, Split split, Phenomenon p, int index) {
        return SynthDeterminismTest.png(SYNTH.synthesize(seed, split, p, index).image());
    }

    @Test
    void sameSeedSameBytesAndEveryPartOfTheSeedMatters() {
        BroadSynthesizer other = new BroadSynthesizer(64, 0.5);
        for (Phenomenon p : Phenomenon.values()) {
            byte[] ref = png(SEED, Split.DATASET, p, 3);
            assertArrayEquals(ref, SynthDeterminismTest.png(other.synthesize(SEED, Split.DATASET, p, 3).image()), p + ": same seed");
            assertFalse(Arrays.equals(ref, png(SEED + 1, Split.DATASET, p, 3)), p + ": seed");
            assertFalse(Arrays.equals(ref, png(SEED, Split.EVALUATION, p, 3)), p + ": split");
            assertFalse(Arrays.equals(ref, png(SEED, Split.DATASET, p, 4)), p + ": index");
        }
        assertFalse(Arrays.equals(png(SEED, Split.DATASET, Phenomenon.CONCRETE, 3), png(SEED, Split.DATASET, Phenomenon.ASPHALT, 3)));
    }

    /** The broad crack class is not the crack data set's image under another name. */
    @Test
    void broadCrackImagesAreNotTheCrackDataSetsImages() {
        CrackSynthesizer crackSet = new CrackSynthesizer(64, 0.5, 0.6);
        for (int i = 0; i < 5; i++) {
            assertFalse(Arrays.equals(png(SEED, Split.DATASET, Phenomenon.CRACK, i),
                    SynthDeterminismTest.png(crackSet.synthesize(SEED, Split.DATASET, true, i).image())), "image " + i);
        }
    }

    /**
     * Compared with the same surface drawn without it, each phenomenon changes a visible part of nearly every image
     * (a class whose images often show nothing teaches nothing); the plain surfaces are exactly their surface.
     */
    @Test
    void everyImageShowsItsPhenomenon() {
        int images = 40;
        for (Phenomenon p : Phenomenon.values()) {
            int shown = 0;
            for (int i = 0; i < images; i++) {
                float[] with = ImageStats.luminance(SYNTH.synthesize(SEED, Split.DATASET, p, i).image());
                float[] without = ImageStats.luminance(SYNTH.surfaceOnly(SEED, Split.DATASET, p, i).image());
                int changed = 0;
                for (int k = 0; k < with.length; k++) {
                    changed += Math.abs(with[k] - without[k]) >= 12 ? 1 : 0;
                }
                if (p == Phenomenon.CONCRETE || p == Phenomenon.ASPHALT) {
                    assertEquals(0, changed, p + " image " + i + ": a plain surface has nothing drawn on it");
                    shown++;
                } else if (changed >= with.length / 200) { // 0.5 % of the image: 20 pixels at 64x64
                    shown++;
                }
            }
            assertTrue(shown >= images * 0.9, p + ": only " + shown + " of " + images + " images show it");
        }
    }

    @Test
    void theCrackMaskIsExactlyTheDarkenedPixels() {
        for (int i = 0; i < 20; i++) {
            CrackSynthesizer.Sample with = SYNTH.synthesize(SEED, Split.SEGMENTED, Phenomenon.CRACK, i);
            CrackSynthesizer.Sample without = SYNTH.surfaceOnly(SEED, Split.SEGMENTED, Phenomenon.CRACK, i);
            assertTrue(with.maskPixels() >= 32, "image " + i + ": crack too small: " + with.maskPixels());
            for (int k = 0; k < with.mask().length; k++) {
                int x = k % 64;
                int y = k / 64;
                boolean changed = with.image().getRGB(x, y) != without.image().getRGB(x, y);
                assertEquals(with.mask()[k], changed, "image " + i + " pixel (" + x + "," + y + ")");
            }
        }
        for (Phenomenon p : Phenomenon.values()) {
            if (p != Phenomenon.CRACK) {
                assertEquals(0, SYNTH.synthesize(SEED, Split.DATASET, p, 0).maskPixels(), p + " has no mask");
            }
        }
    }

    @Test
    void concreteIsLighterThanAsphaltOnAverage() {
        double concrete = IntStream.range(0, 60).mapToDouble(i -> ImageStats.mean(ImageStats.luminance(
                SYNTH.synthesize(SEED, Split.DATASET, Phenomenon.CONCRETE, i).image()))).average().orElseThrow();
        double asphalt = IntStream.range(0, 60).mapToDouble(i -> ImageStats.mean(ImageStats.luminance(
                SYNTH.synthesize(SEED, Split.DATASET, Phenomenon.ASPHALT, i).image()))).average().orElseThrow();
        assertTrue(concrete > asphalt + 15, "concrete " + concrete + ", asphalt " + asphalt);
    }

    /**
     * Not trivial: a nearest-centroid classifier on five plain statistics (mean, spread, darkest pixel, two shares of
     * dark pixels), standardised, scored on images it was not fitted on, stays far below what a backbone reaches.
     */
    @Test
    void plainStatisticsDoNotTellTheClassesApart() {
        Phenomenon[] classes = Phenomenon.values();
        int per = 60;
        double[][][] stats = new double[classes.length][per][];
        IntStream.range(0, classes.length * per).parallel().forEach(k -> {
            int c = k / per;
            int i = k % per;
            float[] l = ImageStats.luminance(SYNTH.synthesize(SEED, Split.DATASET, classes[c], i).image());
            stats[c][i] = new double[] {ImageStats.mean(l), ImageStats.std(l), ImageStats.min(l),
                    ImageStats.darkFraction(l, 64), ImageStats.relativeDarkFraction(l, 0.6)};
        });
        int features = stats[0][0].length;
        // standardise on the fitting half (even indices), centroids from it, accuracy on the odd ones
        double[] mean = new double[features];
        double[] sd = new double[features];
        List<double[]> fit = new ArrayList<>();
        for (double[][] perClass : stats) {
            for (int i = 0; i < per; i += 2) {
                fit.add(perClass[i]);
            }
        }
        for (int f = 0; f < features; f++) {
            final int ff = f;
            mean[f] = fit.stream().mapToDouble(v -> v[ff]).average().orElseThrow();
            sd[f] = Math.sqrt(fit.stream().mapToDouble(v -> (v[ff] - mean[ff]) * (v[ff] - mean[ff])).average().orElseThrow());
        }
        double[][] centroid = new double[classes.length][features];
        for (int c = 0; c < classes.length; c++) {
            for (int i = 0; i < per; i += 2) {
                for (int f = 0; f < features; f++) {
                    centroid[c][f] += (stats[c][i][f] - mean[f]) / sd[f] / (per / 2.0);
                }
            }
        }
        int right = 0;
        for (int c = 0; c < classes.length; c++) {
            for (int i = 1; i < per; i += 2) {
                int best = -1;
                double bestD = Double.MAX_VALUE;
                for (int k = 0; k < classes.length; k++) {
                    double d = 0;
                    for (int f = 0; f < features; f++) {
                        double z = (stats[c][i][f] - mean[f]) / sd[f] - centroid[k][f];
                        d += z * z;
                    }
                    if (d < bestD) {
                        bestD = d;
                        best = k;
                    }
                }
                right += best == c ? 1 : 0;
            }
        }
        double accuracy = right / (classes.length * per / 2.0);
        assertTrue(accuracy < 0.4, "plain statistics classify the " + classes.length + " classes with accuracy " + accuracy);
    }
}
