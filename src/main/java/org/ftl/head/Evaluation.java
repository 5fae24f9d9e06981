package org.ftl.head;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A head's scores on labelled images (see {@link Metrics} for the definitions and edge cases).
 *
 * @param positive  the positive class of precision, recall, F1 and AUC with two classes; with three or more
 *                  they are macro averages over the classes and this is -1
 * @param confusion counts [true class][predicted class]
 */
public record Evaluation(int classes, int positive, double accuracy, double precision, double recall, double f1,
                         double auc, int[][] confusion) implements Serializable {
    public Evaluation {
        confusion = copy(confusion);
    }

    @Override
    public int[][] confusion() {
        return copy(confusion);
    }

    /** Images evaluated. */
    public int count() {
        return Arrays.stream(confusion).flatMapToInt(Arrays::stream).sum();
    }

    public boolean macro() {
        return positive < 0;
    }

    private static int[][] copy(int[][] m) {
        return Arrays.stream(m).map(int[]::clone).toArray(int[][]::new);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Evaluation e && classes == e.classes && positive == e.positive
                && Double.compare(accuracy, e.accuracy) == 0 && Double.compare(precision, e.precision) == 0
                && Double.compare(recall, e.recall) == 0 && Double.compare(f1, e.f1) == 0
                && Double.compare(auc, e.auc) == 0 && Arrays.deepEquals(confusion, e.confusion);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(confusion) * 31 + Double.hashCode(accuracy);
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT,
                "Evaluation[accuracy=%.4f, precision=%.4f, recall=%.4f, f1=%.4f, auc=%.4f, %s, confusion=%s]",
                accuracy, precision, recall, f1, auc, macro() ? "macro" : "positive=" + positive,
                Arrays.deepToString(confusion));
    }
}
