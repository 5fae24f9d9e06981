package org.ftl.head;

import org.ftl.job.FtlConfig;

import org.ftl.FtlError;
import org.ftl.config.SettingOverride;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeadTrainerTest {
    /** reference.conf's head settings, seed 7. */
    private static final HeadTrainer DEFAULT = new HeadTrainer(
            FtlConfig.load(null, List.of(SettingOverride.set("seed=7")), java.util.Map.of()).head());

    @Test
    void crossValidationAvoidsAStrongRegularisationThatHidesTheSignal() {
        TrainedHead trained = DEFAULT.train(HeadData.sharedNoise(200, 3, 1), 1);
        CvTable cv = trained.cv();
        assertEquals(9, cv.rows().size());
        assertTrue(cv.row(0.001).mean() < 0.8, cv.rows().toString());
        assertTrue(cv.chosen() >= 0.1, "chose C=" + cv.chosen() + " from " + cv.rows());
        assertTrue(cv.bestMean() > 0.95, cv.rows().toString());
        assertEquals(cv.chosen(), trained.head().c());
    }

    @Test
    void crossValidationPicksAStrongRegularisationWhenFeaturesAreManyAndNoisy() {
        // 160 images, 140 features carrying a weak signal each: weak regularisation fits the noise
        TrainedHead trained = DEFAULT.train(HeadData.isotropic(160, 140, 2.5, 1), 1);
        CvTable cv = trained.cv();
        assertTrue(cv.chosen() <= 0.01, "chose C=" + cv.chosen() + " from " + cv.rows());
        assertTrue(cv.bestMean() >= cv.row(100000.0).mean() + 0.05, cv.rows().toString());
    }

    @Test
    void onNoiseTheHeldOutScoresStayAtChanceThoughTheTrainingFitIsPerfect() {
        LabelledFeatures noise = HeadData.noise(80, 200, 3);
        TrainedHead trained = DEFAULT.train(noise, 1);
        for (CvTable.Row row : trained.cv().rows()) {
            assertTrue(row.mean() < 0.7, "held-out score on noise: " + row);
        }
        LogisticHead overfit = LogisticHead.fit(noise, 100000, true, new Convergence(1000, 1e-6));
        Evaluation onTraining = Metrics.evaluate(noise.labels(), overfit.probabilities(noise.features()), 1);
        assertEquals(1.0, onTraining.accuracy());
    }

    @Test
    void tiedScoresChooseTheSmallerC() {
        // well apart: every C classifies every held-out image right
        TrainedHead trained = DEFAULT.train(HeadData.blobs(80, 3, 2, 12.0, 5), 0);
        for (CvTable.Row row : trained.cv().rows()) {
            assertEquals(1.0, row.mean(), 1e-12, row.toString());
        }
        assertEquals(0.001, trained.cv().chosen());
    }

    @Test
    void parallelFoldsGiveTheSameHeadAndTable() {
        LabelledFeatures data = HeadData.blobs(120, 20, 3, 1.5, 9);
        HeadSettings settings = new HeadSettings(List.of(0.01, 1.0, 100.0), 4, true, "f1", 500, 1e-6, 11);
        TrainedHead sequential = new HeadTrainer(settings).train(data, 0);
        TrainedHead parallel = new HeadTrainer(settings).parallelFolds(true).train(data, 0);
        assertEquals(sequential.cv(), parallel.cv());
        for (int c = 0; c < 3; c++) {
            assertArrayEquals(sequential.head().coefficients()[c], parallel.head().coefficients()[c]);
        }
        assertArrayEquals(sequential.head().intercepts(), parallel.head().intercepts());
        // and again: the same data and seed give the same result
        assertEquals(sequential.cv(), new HeadTrainer(settings).train(data, 0).cv());
    }

    @Test
    void f1IsTheTargetClasssWithTwoClasses() {
        LabelledFeatures data = HeadData.blobs(100, 4, 2, 2.0, 13);
        HeadSettings f1 = new HeadSettings(List.of(1.0), 4, true, "f1", 500, 1e-6, 3);
        HeadSettings accuracy = new HeadSettings(List.of(1.0), 4, true, "accuracy", 500, 1e-6, 3);
        double asPositive0 = new HeadTrainer(f1).train(data, 0).cv().bestMean();
        double asPositive1 = new HeadTrainer(f1).train(data, 1).cv().bestMean();
        double acc = new HeadTrainer(accuracy).train(data, 1).cv().bestMean();
        assertTrue(asPositive0 != asPositive1 || asPositive0 != acc, "f1 of class 0, of class 1 and accuracy all equal: "
                + asPositive0);
    }

    @Test
    void tooFewImagesOfAClassForTheFoldsIsRefusedByName() {
        float[] v = new float[10 * 2];
        int[] labels = {0, 0, 0, 0, 0, 0, 0, 1, 1, 1};
        LabelledFeatures data = new LabelledFeatures(new FeatureMatrix(v, 10, 2), labels, List.of("Background", "Crack"));
        FtlError e = assertThrows(FtlError.class, () -> DEFAULT.train(data, 1));
        assertTrue(e.getMessage().contains("'Crack' has 3 training images"), e.getMessage());
        assertTrue(e.getMessage().contains("4 folds"), e.getMessage());
    }

    @Test
    void settingsAreCheckedAndTheGridSorted() {
        HeadSettings s = new HeadSettings(List.of(10.0, 0.1, 1.0, 0.1), 4, false, "accuracy", 100, 1e-6, 1);
        assertEquals(List.of(0.1, 1.0, 10.0), s.cGrid());
        assertThrows(IllegalArgumentException.class, () -> new HeadSettings(List.of(), 4, true, "accuracy", 100, 1e-6, 1));
        assertThrows(IllegalArgumentException.class, () -> new HeadSettings(List.of(-1.0), 4, true, "accuracy", 100, 1e-6, 1));
        assertThrows(IllegalArgumentException.class, () -> new HeadSettings(List.of(1.0), 1, true, "accuracy", 100, 1e-6, 1));
        assertThrows(IllegalArgumentException.class, () -> new HeadSettings(List.of(1.0), 4, true, "auc", 100, 1e-6, 1));
        assertThrows(IllegalArgumentException.class, () -> new HeadSettings(List.of(1.0), 4, true, "f1", 0, 1e-6, 1));
        assertEquals(HeadReference.METHOD_GRID, FtlConfig.load(null, List.of(), java.util.Map.of()).head().cGrid(),
                "reference.conf's C grid is the method's: 0.001 to 100000 in ten-fold steps");
    }
}
