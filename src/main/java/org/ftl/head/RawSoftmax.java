package org.ftl.head;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A head as it acts on unstandardised features: p = softmax(x·Wᵀ + b), with the standardisation folded into
 * W and b; the product through ND4J's BLAS, in double precision.
 */
final class RawSoftmax {
    private final int classes;
    private final double[] intercepts;
    private final INDArray weights; // [k, d] double

    RawSoftmax(double[] weights, double[] intercepts, int classes) {
        this.classes = classes;
        this.intercepts = intercepts;
        this.weights = Nd4j.create(weights, new long[] {classes, weights.length / classes}, 'c');
    }

    /** x·Wᵀ for rows x [m, d] (double; float rows are widened first): row-major [m × k], without the intercepts. */
    double[] products(INDArray x) {
        int m = (int) x.size(0);
        if (m == 0) {
            return new double[0];
        }
        INDArray rows = x.dataType() == DataType.DOUBLE ? x : x.castTo(DataType.DOUBLE);
        INDArray out = Nd4j.createUninitialized(DataType.DOUBLE, m, classes);
        Nd4j.gemm(rows, weights, out, false, true, 1.0, 0.0);
        double[] v = out.data().asDouble();
        out.close();
        if (rows != x) {
            rows.close();
        }
        return v;
    }

    double intercept(int c) {
        return intercepts[c];
    }

    /** Class probabilities [m][k] of rows x [m, d]. */
    double[][] probabilities(INDArray x) {
        double[] z = products(x);
        int m = z.length / classes;
        double[][] p = new double[m][classes];
        double[] logits = new double[classes];
        for (int i = 0; i < m; i++) {
            for (int c = 0; c < classes; c++) {
                logits[c] = z[i * classes + c] + intercepts[c];
            }
            double lse = logSumExp(logits);
            for (int c = 0; c < classes; c++) {
                p[i][c] = Math.exp(logits[c] - lse);
            }
        }
        return p;
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

    void close() {
        weights.close();
    }
}
