package org.ftl.head;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * The cross-validation behind a head's C: per C, the score on each held-out fold and their mean.
 *
 * @param metric the score ({@code accuracy} or {@code f1})
 * @param rows   one per C, ascending
 * @param chosen the C picked: the best mean, the smaller C on a tie
 */
public record CvTable(String metric, List<Row> rows, double chosen) implements Serializable {
    public CvTable {
        rows = List.copyOf(rows);
    }

    /** One C: scores on folds 0 … k−1 and their mean. */
    public record Row(double c, double mean, double[] folds) implements Serializable {
        public Row {
            folds = folds.clone();
        }

        @Override
        public double[] folds() {
            return folds.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Row r && Double.compare(c, r.c) == 0 && Double.compare(mean, r.mean) == 0
                    && Arrays.equals(folds, r.folds);
        }

        @Override
        public int hashCode() {
            return Double.hashCode(c) * 31 + Arrays.hashCode(folds);
        }

        @Override
        public String toString() {
            return "Row[C=" + c + ", mean=" + mean + ", folds=" + Arrays.toString(folds) + "]";
        }
    }

    public Row row(double c) {
        return rows.stream().filter(r -> r.c() == c).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("C " + c + " is not in the grid"));
    }

    /** The mean score of the chosen C. */
    public double bestMean() {
        return row(chosen).mean();
    }
}
