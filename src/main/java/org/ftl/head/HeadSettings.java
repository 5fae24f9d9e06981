package org.ftl.head;

import org.ftl.config.Settings;

import java.io.Serializable;
import java.util.List;
import java.util.TreeSet;

/**
 * {@code ftl.head}: how a candidate's head is chosen and fitted (the one record of these settings: the head package
 * trains with it, the sweep and ftl export hand it on).
 *
 * @param cGrid         values of C tried (inverse regularisation strength, scikit-learn's); kept sorted, distinct
 * @param folds         k of the stratified k-fold cross-validation on the training split
 * @param standardize   standardise features (mean 0, scale 1 on the training rows) before the regression
 * @param cvMetric      what cross-validation maximises: {@code accuracy} or {@code f1} (of the target class; macro F1
 *                      with three or more classes)
 * @param maxIterations L-BFGS iteration limit of one fit
 * @param tolerance     L-BFGS relative tolerance (objective improvement and gradient norm)
 * @param seed          seed of the fold assignment and of the training-image choice ({@code ftl.seed})
 * @param trainFraction the share of each class of dataset/ the heads are trained on (a seeded choice)
 */
public record HeadSettings(List<Double> cGrid, int folds, boolean standardize, String cvMetric, int maxIterations,
                           double tolerance, long seed, double trainFraction) implements Serializable {
    public static final List<String> CV_METRICS = List.of("accuracy", "f1");

    public HeadSettings {
        if (cGrid.isEmpty()) {
            throw new IllegalArgumentException("the C grid must hold at least one value");
        }
        for (Double c : cGrid) {
            if (c == null || !(c > 0) || c.isInfinite()) {
                throw new IllegalArgumentException("every C must be positive and finite, got " + c);
            }
        }
        cGrid = List.copyOf(new TreeSet<>(cGrid));
        if (folds < 2) {
            throw new IllegalArgumentException("cross-validation needs at least 2 folds, got " + folds);
        }
        if (!CV_METRICS.contains(cvMetric)) {
            throw new IllegalArgumentException("the cv metric must be one of " + CV_METRICS + ", got '" + cvMetric + "'");
        }
        if (maxIterations < 1) {
            throw new IllegalArgumentException("max iterations must be at least 1, got " + maxIterations);
        }
        if (!(tolerance > 0 && tolerance < 1)) {
            throw new IllegalArgumentException("tolerance must be in (0, 1), got " + tolerance);
        }
        if (!(trainFraction > 0 && trainFraction <= 1)) {
            throw new IllegalArgumentException("the training fraction must be in (0, 1], got " + trainFraction);
        }
    }

    /** Settings that train on all of dataset/. */
    public HeadSettings(List<Double> cGrid, int folds, boolean standardize, String cvMetric, int maxIterations,
                        double tolerance, long seed) {
        this(cGrid, folds, standardize, cvMetric, maxIterations, tolerance, seed, 1.0);
    }

    /** The same settings with only {@code c} in the grid (a chosen head refitted, as ftl export does). */
    public HeadSettings withGrid(List<Double> grid) {
        return new HeadSettings(grid, folds, standardize, cvMetric, maxIterations, tolerance, seed, trainFraction);
    }

    public static HeadSettings from(Settings s) {
        List<Double> grid = s.doubleList("ftl.head.c-grid", Double.MIN_VALUE, 1e12);
        if (grid.isEmpty()) {
            throw s.invalid("ftl.head.c-grid", "must list at least one C > 0");
        }
        return new HeadSettings(grid, s.intIn("ftl.head.folds", 2, 20), s.bool("ftl.head.standardize"),
                s.oneOf("ftl.head.cv-metric", CV_METRICS.toArray(String[]::new)), s.intIn("ftl.head.max-iterations", 10, 100_000),
                s.doubleIn("ftl.head.tolerance", 1e-12, 1e-2), s.longIn("ftl.seed", Long.MIN_VALUE, Long.MAX_VALUE),
                s.doubleIn("ftl.head.train-fraction", 0.05, 1));
    }
}
