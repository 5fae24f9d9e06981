package org.ftl.head;

/**
 * A head as it acts on unstandardised features: p = softmax(W·x + b), with the standardisation folded into W and
 * b; plain Java over the float rows, widened to double and accumulated in double. Predicting is one pass over
 * the rows, a few dot products each: done on the heap it needs no native copy of the features (a fold's held-out
 * rows are scored 9 times per candidate, once per C).
 *
 * <p>{@link #weights} and {@link #intercepts} are the head's own arrays, not copies: {@link SoftmaxObjective}
 * refills them at every point it evaluates.
 */
final class RawSoftmax {
    final int classes;
    final int features;
    final double[] weights; // [k × d] row-major
    final double[] intercepts;

    RawSoftmax(double[] weights, double[] intercepts, int classes) {
        if (classes < 1 || weights.length % classes != 0 || intercepts.length != classes) {
            throw new IllegalArgumentException(weights.length + " weights and " + intercepts.length + " intercepts for "
                    + classes + " classes");
        }
        this.classes = classes;
        this.features = weights.length / classes;
        this.weights = weights;
        this.intercepts = intercepts;
    }

    /**
     * The logits z = W·x + b of the row at {@code values[offset … offset + d)}; the row, widened to double, is left
     * in {@code row} for the caller.
     */
    void logits(float[] values, int offset, double[] row, double[] z) {
        int d = features;
        for (int j = 0; j < d; j++) {
            row[j] = values[offset + j];
        }
        for (int c = 0; c < classes; c++) {
            z[c] = intercepts[c] + dot(weights, c * d, row, d);
        }
    }

    /** Class probabilities [n][k] of every row of x. */
    double[][] probabilities(FeatureMatrix x) {
        double[][] p = new double[x.rows()][];
        double[] row = new double[features];
        for (int i = 0; i < p.length; i++) {
            p[i] = probabilities(x.values(), i * features, row);
        }
        return p;
    }

    /** Class probabilities [m][k] of the rows [from, to) of a design. */
    double[][] probabilities(Design design, Rows rows) {
        double[][] p = new double[rows.count()][];
        double[] row = new double[features];
        for (int i = 0; i < p.length; i++) {
            p[i] = probabilities(design.values(), design.offset(rows.from() + i), row);
        }
        return p;
    }

    private double[] probabilities(float[] values, int offset, double[] row) {
        double[] z = new double[classes];
        logits(values, offset, row, z);
        double lse = logSumExp(z);
        for (int c = 0; c < classes; c++) {
            z[c] = Math.exp(z[c] - lse);
        }
        return z;
    }

    /** Σ w[from + j]·x[j], j < d, in four interleaved partial sums: one sum's chain of additions would bound the speed. */
    static double dot(double[] w, int from, double[] x, int d) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int j = 0;
        for (; j + 3 < d; j += 4) {
            s0 += w[from + j] * x[j];
            s1 += w[from + j + 1] * x[j + 1];
            s2 += w[from + j + 2] * x[j + 2];
            s3 += w[from + j + 3] * x[j + 3];
        }
        for (; j < d; j++) {
            s0 += w[from + j] * x[j];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** log Σ exp(z), shifted by the maximum so that no term overflows. */
    static double logSumExp(double[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (double v : z) {
            sum += Math.exp(v - max);
        }
        return max + Math.log(sum);
    }
}
