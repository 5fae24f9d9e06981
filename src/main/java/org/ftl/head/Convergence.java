package org.ftl.head;

import java.io.Serializable;

/**
 * When L-BFGS stops: after {@code maxIterations} iterations, or when the objective's relative improvement
 * or the gradient's norm relative to the objective falls below {@code tolerance} (Breeze's default
 * convergence check, the one Spark ML's LogisticRegression uses with its {@code tol}).
 */
public record Convergence(int maxIterations, double tolerance) implements Serializable {
    public Convergence {
        if (maxIterations < 1) {
            throw new IllegalArgumentException("max iterations must be at least 1, got " + maxIterations);
        }
        if (!(tolerance > 0 && tolerance < 1)) {
            throw new IllegalArgumentException("tolerance must be in (0, 1), got " + tolerance);
        }
    }

    /** The head settings' limits: {@code ftl.head.max-iterations} and {@code ftl.head.tolerance}. */
    static Convergence of(org.ftl.head.HeadSettings settings) {
        return new Convergence(settings.maxIterations(), settings.tolerance());
    }
}
