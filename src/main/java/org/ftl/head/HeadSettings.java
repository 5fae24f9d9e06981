package org.ftl.head;

import java.io.Serializable;
import java.util.List;
import java.util.TreeSet;

/**
 * How a candidate's head is chosen and fitted.
 *
 * @param cGrid         values of C tried (inverse regularisation strength, scikit-learn's); kept sorted, distinct
 * @param folds         k of the stratified k-fold cross-validation on the training split
 * @param standardize   standardise features (mean 0, scale 1 on the training rows) before the regression
 * @param cvMetric      what cross-validation maximises: {@code accuracy} or {@code f1} (of the target class; macro F1
 *                      with three or more classes)
 * @param maxIterations L-BFGS iteration limit of one fit
 * @param tolerance     L-BFGS relative tolerance (objective improvement and gradient norm)
 * @param seed          seed of the fold assignment
 */
public record HeadSettings(List<Double> cGrid, int folds, boolean standardize, String cvMetric, int maxIterations,
                           double tolerance, long seed) implements Serializable {

    /** 0.001, 0.01, … 100000: the method's grid, ten-fold steps. */
    public static final List<Double> DEFAULT_C_GRID =
            List.of(0.001, 0.01, 0.1, 1.0, 10.0, 100.0, 1000.0, 10000.0, 100000.0);
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
        new Convergence(maxIterations, tolerance); // validates both
    }

    /** The settings of {@code ftl.head}, with the configuration's seed for the folds. */
    public static HeadSettings of(org.ftl.config.HeadConfig c, long seed) {
        return new HeadSettings(c.cGrid(), c.folds(), c.standardize(), c.cvMetric(), c.maxIterations(), c.tolerance(), seed);
    }

    /** The defaults proposed for {@code ftl.head}: the method's grid, 4 folds, standardised, accuracy. */
    public static HeadSettings defaults(long seed) {
        return new HeadSettings(DEFAULT_C_GRID, 4, true, "accuracy", 1000, 1e-6, seed);
    }

    public Convergence convergence() {
        return new Convergence(maxIterations, tolerance);
    }
}
