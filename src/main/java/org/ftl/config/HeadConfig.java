package org.ftl.config;

import java.util.List;

/**
 * {@code ftl.head}: the logistic-regression head and its cross-validation.
 *
 * @param trainFraction the share of each class of dataset/ the heads are trained on (a seeded choice)
 */
public record HeadConfig(List<Double> cGrid, int folds, String cvMetric, boolean standardize, int maxIterations,
                         double tolerance, double trainFraction) {

    static HeadConfig from(Settings s) {
        List<Double> grid = s.doubleList("ftl.head.c-grid", Double.MIN_VALUE, 1e12);
        if (grid.isEmpty()) {
            throw s.invalid("ftl.head.c-grid", "must list at least one C > 0");
        }
        return new HeadConfig(grid, s.intIn("ftl.head.folds", 2, 20), s.oneOf("ftl.head.cv-metric", "accuracy", "f1"),
                s.bool("ftl.head.standardize"), s.intIn("ftl.head.max-iterations", 10, 100_000),
                s.doubleIn("ftl.head.tolerance", 1e-12, 1e-2), s.doubleIn("ftl.head.train-fraction", 0.05, 1));
    }
}
