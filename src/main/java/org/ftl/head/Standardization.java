package org.ftl.head;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Per-feature centring and scaling, z = (x − mean) / scale, fitted on the head's training rows (scikit-learn's
 * StandardScaler: population standard deviation; a constant feature keeps scale 1, as there is nothing to
 * scale). The head's coefficients apply to z; {@link #foldWeights} and {@link #foldIntercepts} turn them into
 * weights on x, which is how the deployed network carries the standardisation.
 */
public record Standardization(double[] mean, double[] scale) implements Serializable {
    public Standardization {
        if (mean.length != scale.length) {
            throw new IllegalArgumentException(mean.length + " means for " + scale.length + " scales");
        }
        mean = mean.clone();
        scale = scale.clone();
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[] scale() {
        return scale.clone();
    }

    double meanAt(int feature) {
        return mean[feature];
    }

    double scaleAt(int feature) {
        return scale[feature];
    }

    public int features() {
        return mean.length;
    }

    /** Fitted on the given rows of a design, reading the rows from the heap copy in double precision. */
    static Standardization fit(Design design, Iterable<Rows> runs) {
        FeatureMatrix x = design.source();
        int d = x.columns();
        float[] v = x.values();
        int[] order = design.order();
        double[] sum = new double[d];
        long n = 0;
        for (Rows r : runs) {
            for (int i = r.from(); i < r.to(); i++) {
                int off = order[i] * d;
                for (int j = 0; j < d; j++) {
                    sum[j] += v[off + j];
                }
                n++;
            }
        }
        double[] mean = new double[d];
        for (int j = 0; j < d; j++) {
            mean[j] = sum[j] / n;
        }
        // a second pass over the deviations: the one-pass Σx² − n·mean² loses the variance of features far from 0
        double[] squares = new double[d];
        for (Rows r : runs) {
            for (int i = r.from(); i < r.to(); i++) {
                int off = order[i] * d;
                for (int j = 0; j < d; j++) {
                    double dev = v[off + j] - mean[j];
                    squares[j] += dev * dev;
                }
            }
        }
        double[] scale = new double[d];
        for (int j = 0; j < d; j++) {
            double s = Math.sqrt(squares[j] / n);
            // constant up to rounding (a dead ReLU channel is common in pruned maps): leave it unscaled
            scale[j] = s <= 1e-9 * Math.max(1.0, Math.abs(mean[j])) ? 1.0 : s;
        }
        return new Standardization(mean, scale);
    }

    /** W' = W / scale: coefficients [k × d] on z as weights on x. */
    double[] foldWeights(double[] coefficients, int classes) {
        double[] w = new double[classes * mean.length];
        foldWeights(coefficients, classes, w);
        return w;
    }

    /** W' = W / scale into {@code into} [k × d], from the first k·d values of {@code coefficients}. */
    void foldWeights(double[] coefficients, int classes, double[] into) {
        int d = mean.length;
        for (int c = 0; c < classes; c++) {
            for (int j = 0; j < d; j++) {
                into[c * d + j] = coefficients[c * d + j] / scale[j];
            }
        }
    }

    /** b' = b − Σ W'·mean, with W' from {@link #foldWeights}. */
    double[] foldIntercepts(double[] foldedWeights, double[] intercepts) {
        double[] b = new double[intercepts.length];
        foldIntercepts(foldedWeights, intercepts, 0, b);
        return b;
    }

    /** b' = b − Σ W'·mean into {@code into} [k], b read from {@code intercepts} at {@code from}. */
    void foldIntercepts(double[] foldedWeights, double[] intercepts, int from, double[] into) {
        int d = mean.length;
        for (int c = 0; c < into.length; c++) {
            double shift = 0;
            for (int j = 0; j < d; j++) {
                shift += foldedWeights[c * d + j] * mean[j];
            }
            into[c] = intercepts[from + c] - shift;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Standardization s && Arrays.equals(mean, s.mean) && Arrays.equals(scale, s.scale);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(scale);
    }

    @Override
    public String toString() {
        return "Standardization[" + mean.length + " features]";
    }
}
