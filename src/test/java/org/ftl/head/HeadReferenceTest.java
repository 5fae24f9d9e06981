package org.ftl.head;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The head trainer gives what it gave before issue 15 made it faster ({@link HeadReference}): on real demo
 * features and on synthetic sets, the same C, the same held-out score on every fold for every C, the same test
 * metrics, and probabilities equal up to where L-BFGS stops (its tolerance is relative, 1e-6 on the objective).
 */
class HeadReferenceTest {
    /** Probabilities may differ this much: another summation order moves L-BFGS's stopping point a little. */
    static final double PROBABILITY = 1e-6;

    @Test
    void theTrainerGivesTheRecordedResults() {
        for (HeadReference.Case c : HeadReference.cases()) {
            HeadReference expected = HeadReference.read(c.name());
            HeadReference actual = HeadReference.compute(c);
            String where = c.name() + ": ";
            assertEquals(expected.chosen(), actual.chosen(), where + "chosen C; cv " + actual.cv());
            assertEquals(expected.cv().size(), actual.cv().size(), where + "C grid");
            for (int i = 0; i < expected.cv().size(); i++) {
                CvTable.Row e = expected.cv().get(i);
                CvTable.Row a = actual.cv().get(i);
                assertEquals(e.c(), a.c(), where + "C grid");
                assertArrayEquals(e.folds(), a.folds(), where + "held-out scores of C = " + e.c());
            }
            assertEquals(expected.accuracy(), actual.accuracy(), where + "accuracy");
            assertEquals(expected.precision(), actual.precision(), where + "precision");
            assertEquals(expected.recall(), actual.recall(), where + "recall");
            assertEquals(expected.f1(), actual.f1(), where + "f1");
            assertEquals(expected.auc(), actual.auc(), 1e-12, where + "auc");
            double worst = 0;
            for (int i = 0; i < expected.probabilities().length; i++) {
                for (int k = 0; k < expected.probabilities()[i].length; k++) {
                    worst = Math.max(worst, Math.abs(expected.probabilities()[i][k] - actual.probabilities()[i][k]));
                }
            }
            assertEquals(0, worst, PROBABILITY, where + "largest difference of a test probability");
        }
    }

    /** Rewrites the references: only with {@code -Dftl.head.record=DIR}, and only with the code they were made with. */
    @Test
    void record() throws IOException {
        String dir = System.getProperty("ftl.head.record");
        Assumptions.assumeTrue(dir != null, "records only with -Dftl.head.record=DIR");
        HeadReference.record(Path.of(dir));
    }
}
