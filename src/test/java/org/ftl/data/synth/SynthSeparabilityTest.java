package org.ftl.data.synth;

import org.ftl.job.FtlConfig;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The classes must not be told apart by a plain brightness statistic, or a classifier trained on them learns
 * that statistic instead of cracks. For each statistic the best single-threshold classifier is found; at the
 * default settings none may reach the accuracy a crack classifier is expected to beat.
 */
class SynthSeparabilityTest {
    private static final int PER_CLASS = 200;
    private static final long SEED = 20240611L;

    private static final Map<String, ToDoubleFunction<float[]>> STATISTICS = new LinkedHashMap<>();

    static {
        STATISTICS.put("mean brightness", ImageStats::mean);
        STATISTICS.put("brightness std", ImageStats::std);
        STATISTICS.put("min brightness", ImageStats::min);
        STATISTICS.put("dark-pixel fraction (< 64)", l -> ImageStats.darkFraction(l, 64));
        STATISTICS.put("dark-pixel fraction (< 0.6 x median)", l -> ImageStats.relativeDarkFraction(l, 0.6));
    }

    /** Best single-threshold accuracy per statistic on a balanced generated set. */
    private static Map<String, Double> accuracies(CrackSynthesizer synth) {
        float[][] lum = new float[2 * PER_CLASS][];
        boolean[] crack = new boolean[2 * PER_CLASS];
        IntStream.range(0, 2 * PER_CLASS).parallel().forEach(i -> {
            crack[i] = i < PER_CLASS;
            lum[i] = ImageStats.luminance(synth.synthesize(SEED, Split.DATASET, crack[i], i % PER_CLASS).image());
        });
        Map<String, Double> acc = new LinkedHashMap<>();
        STATISTICS.forEach((name, f) -> {
            double[] v = new double[lum.length];
            for (int i = 0; i < lum.length; i++) {
                v[i] = f.applyAsDouble(lum[i]);
            }
            acc.put(name, ImageStats.bestThresholdAccuracy(v, crack));
        });
        return acc;
    }

    @Test
    void atTheDefaultSettingsNoSimpleStatisticSeparatesTheClasses() {
        SynthSettings s = FtlConfig.load(null, java.util.List.of(), Map.of()).synth();
        Map<String, Double> acc = accuracies(new CrackSynthesizer(s.size(), s.difficulty(), s.hardNegativeFraction()));
        acc.forEach((name, a) -> assertTrue(a < 0.75, name + " alone classifies with accuracy " + a + "; all: " + acc));
    }

    @Test
    void largerImagesAreNotSeparableEither() {
        Map<String, Double> acc = accuracies(new CrackSynthesizer(128, 0.5, 0.6));
        acc.forEach((name, a) -> assertTrue(a < 0.75, name + " alone classifies with accuracy " + a + "; all: " + acc));
    }

    /** The measurement itself works: wide dark cracks on backgrounds without hard negatives do give themselves away. */
    @Test
    void theSameStatisticsDoSeparateEasyCracksOnPlainBackgrounds() {
        Map<String, Double> acc = accuracies(new CrackSynthesizer(64, 0, 0));
        assertTrue(acc.get("min brightness") > 0.8, "expected the darkest pixel to give easy cracks away: " + acc);
    }

    @Test
    void bestThresholdAccuracyFindsASeparatingThresholdInEitherDirection() {
        boolean[] pos = {true, true, false, false};
        assertTrue(ImageStats.bestThresholdAccuracy(new double[] {5, 6, 1, 2}, pos) == 1.0);
        assertTrue(ImageStats.bestThresholdAccuracy(new double[] {1, 2, 5, 6}, pos) == 1.0);
        assertTrue(ImageStats.bestThresholdAccuracy(new double[] {3, 3, 3, 3}, pos) == 0.5);
    }
}
