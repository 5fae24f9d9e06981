package org.ftl.head;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsTest {
    private static double[][] binary(double... positiveProbability) {
        double[][] p = new double[positiveProbability.length][];
        for (int i = 0; i < p.length; i++) {
            p[i] = new double[] {1 - positiveProbability[i], positiveProbability[i]};
        }
        return p;
    }

    @Test
    void binaryScoresOfAHandCountedConfusionMatrix() {
        // truth:     1    1    1    1    0    0    0    0    0    0
        // p(1):     .9   .8   .6   .3   .7   .4   .2   .2   .1   .1
        // predicted: 1    1    1    0    1    0    0    0    0    0   → TP 3, FN 1, FP 1, TN 5
        int[] truth = {1, 1, 1, 1, 0, 0, 0, 0, 0, 0};
        Evaluation e = Metrics.evaluate(truth, binary(.9, .8, .6, .3, .7, .4, .2, .2, .1, .1), 1);
        assertArrayEquals(new int[][] {{5, 1}, {1, 3}}, e.confusion());
        assertEquals(0.8, e.accuracy(), 1e-12);
        assertEquals(0.75, e.precision(), 1e-12);
        assertEquals(0.75, e.recall(), 1e-12);
        assertEquals(0.75, e.f1(), 1e-12);
        // pairs (positive, negative) ordered right: .9,.8 beat all 6; .6 beats 5 (not .7); .3 beats 4 → 21 of 24
        assertEquals(21.0 / 24, e.auc(), 1e-12);
        assertEquals(10, e.count());
    }

    @Test
    void thePositiveClassIsTheOneAsked() {
        int[] truth = {1, 1, 1, 1, 0, 0, 0, 0, 0, 0};
        Evaluation e = Metrics.evaluate(truth, binary(.9, .8, .6, .3, .7, .4, .2, .2, .1, .1), 0);
        // class 0: TP 5, FP 1 (the .3 crack), FN 1 (the .7 background)
        assertEquals(5.0 / 6, e.precision(), 1e-12);
        assertEquals(5.0 / 6, e.recall(), 1e-12);
        assertEquals(21.0 / 24, e.auc(), 1e-12); // p(0) = 1 − p(1) ranks the pairs the same way
    }

    @Test
    void tiedScoresCountHalfInTheAuc() {
        // positives .5 .5 .9; negatives .5 .1: pairs (.5,.5) ties ×2 = 1, (.5,.1) ×2 = 2, (.9,·) = 2 → 5 of 6
        assertEquals(5.0 / 6, Metrics.auc(new double[] {.5, .5, .9, .5, .1},
                new boolean[] {true, true, true, false, false}), 1e-12);
        // a constant score is a coin
        assertEquals(0.5, Metrics.auc(new double[] {.3, .3, .3, .3}, new boolean[] {true, false, true, false}), 1e-12);
        assertEquals(1.0, Metrics.auc(new double[] {.1, .2, .8}, new boolean[] {false, false, true}), 1e-12);
        assertEquals(0.0, Metrics.auc(new double[] {.9, .2, .1}, new boolean[] {false, true, true}), 1e-12);
    }

    @Test
    void edgeCasesAreDefined() {
        // never predicts the positive class: precision 0, recall 0, F1 0
        Evaluation none = Metrics.evaluate(new int[] {1, 0, 0}, binary(.4, .2, .1), 1);
        assertEquals(0, none.precision());
        assertEquals(0, none.recall());
        assertEquals(0, none.f1());
        assertEquals(1.0, none.auc(), 1e-12);
        // no positive image at all: recall 0, AUC undefined
        Evaluation noPositives = Metrics.evaluate(new int[] {0, 0}, binary(.6, .1), 1);
        assertEquals(0, noPositives.recall());
        assertEquals(0, noPositives.precision());
        assertTrue(Double.isNaN(noPositives.auc()));
        assertEquals(0.5, noPositives.accuracy());
        // a tie between the classes predicts the lower index
        assertArrayEquals(new int[] {0, 1}, Metrics.predictions(new double[][] {{.5, .5}, {.4, .6}}));
    }

    @Test
    void threeClassesAreMacroAveraged() {
        // truth/predicted:            0→0 0→0 0→1 1→1 1→1 1→2 2→2 2→0
        int[] truth = {0, 0, 0, 1, 1, 1, 2, 2};
        double[][] p = {
                {.8, .1, .1}, {.6, .3, .1}, {.3, .5, .2},
                {.2, .7, .1}, {.1, .6, .3}, {.1, .3, .6},
                {.1, .2, .7}, {.5, .2, .3}};
        Evaluation e = Metrics.evaluate(truth, p, 1);
        assertArrayEquals(new int[][] {{2, 1, 0}, {0, 2, 1}, {1, 0, 1}}, e.confusion());
        assertTrue(e.macro());
        assertEquals(5.0 / 8, e.accuracy(), 1e-12);
        // per class precision 2/3, 2/3, 1/2; recall 2/3, 2/3, 1/2; F1 the same
        assertEquals((2.0 / 3 + 2.0 / 3 + 0.5) / 3, e.precision(), 1e-12);
        assertEquals((2.0 / 3 + 2.0 / 3 + 0.5) / 3, e.recall(), 1e-12);
        assertEquals((2.0 / 3 + 2.0 / 3 + 0.5) / 3, e.f1(), 1e-12);
        double auc0 = Metrics.auc(new double[] {.8, .6, .3, .2, .1, .1, .1, .5},
                new boolean[] {true, true, true, false, false, false, false, false});
        double auc1 = Metrics.auc(new double[] {.1, .3, .5, .7, .6, .3, .2, .2},
                new boolean[] {false, false, false, true, true, true, false, false});
        double auc2 = Metrics.auc(new double[] {.1, .1, .2, .1, .3, .6, .7, .3},
                new boolean[] {false, false, false, false, false, false, true, true});
        assertEquals((auc0 + auc1 + auc2) / 3, e.auc(), 1e-12);
        // class 0 by hand: positives .8 .6 .3 vs negatives .2 .1 .1 .1 .5 → 5 + 5 + 4 = 14 of 15
        assertEquals(14.0 / 15, auc0, 1e-12);
    }

    @Test
    void macroF1IsTheMeanOfTheClassesF1() {
        // class 2 never predicted nor present except once: P 0, R 0, F1 0 pulls the macro F1 down
        int[] truth = {0, 0, 1, 1, 2};
        double[][] p = {{.9, .05, .05}, {.9, .05, .05}, {.1, .8, .1}, {.1, .8, .1}, {.8, .1, .1}};
        Evaluation e = Metrics.evaluate(truth, p, 0);
        double f0 = 2 * (2.0 / 3) * 1 / (2.0 / 3 + 1);
        assertEquals((f0 + 1 + 0) / 3, e.f1(), 1e-12);
    }
}
