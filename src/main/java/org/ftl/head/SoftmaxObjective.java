package org.ftl.head;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

/**
 * The head's training objective on some rows of a design, scikit-learn's for an L2 multinomial logistic
 * regression divided by C·n:
 * <pre>
 *   f(W, b) = (1/n) Σ_i −log softmax(W·z_i + b)[y_i]  +  ‖W‖² / (2·C·n)
 * </pre>
 * with z_i the (optionally standardised) features of row i. The intercepts b are not penalised. The
 * parameters θ are W row-major [k × d] followed by b [k], in double for L-BFGS.
 *
 * <p>Standardisation is never materialised (a second copy of a large matrix): logits use W / scale on the raw
 * rows with the mean folded into b, and the gradient takes the mean back out, ∂f/∂W = ((P−Y)ᵀX − s·meanᵀ) / scale
 * with s the column sums of P−Y. Both matrix products are ND4J GEMMs (double) over the rows' views.
 */
final class SoftmaxObjective implements Lbfgs.Objective {
    private final Design design;
    private final List<Rows> runs;
    private final Standardization standardization; // null: raw features
    private final double c;
    private final int n;
    private final int classes;
    private final int features;

    SoftmaxObjective(Design design, List<Rows> runs, Standardization standardization, double c) {
        this.design = design;
        this.runs = List.copyOf(runs);
        this.standardization = standardization;
        this.c = c;
        this.n = Rows.count(runs);
        this.classes = design.classes();
        this.features = design.features();
        if (n == 0) {
            throw new IllegalArgumentException("no rows to fit");
        }
    }

    int parameters() {
        return classes * features + classes;
    }

    /** The head at θ as it acts on raw features. */
    RawSoftmax raw(double[] theta) {
        int kd = classes * features;
        double[] w = java.util.Arrays.copyOf(theta, kd);
        double[] b = java.util.Arrays.copyOfRange(theta, kd, kd + classes);
        if (standardization == null) {
            return new RawSoftmax(w, b, classes);
        }
        double[] folded = standardization.foldWeights(w, classes);
        return new RawSoftmax(folded, standardization.foldIntercepts(folded, b), classes);
    }

    @Override
    public double evaluate(double[] theta, double[] gradient) {
        int k = classes;
        int d = features;
        int[] labels = design.labels();
        RawSoftmax head = raw(theta);
        double loss = 0;
        double[] residualSums = new double[k];
        INDArray rawGradient = Nd4j.createUninitialized(DataType.DOUBLE, k, d);
        boolean first = true;
        double[] logits = new double[k];
        for (Rows r : runs) {
            if (r.count() == 0) {
                continue;
            }
            INDArray x = design.rows(r);
            double[] z = head.products(x);
            int m = r.count();
            double[] residual = new double[m * k];
            for (int i = 0; i < m; i++) {
                int y = labels[r.from() + i];
                for (int cl = 0; cl < k; cl++) {
                    logits[cl] = z[i * k + cl] + head.intercept(cl);
                }
                double lse = RawSoftmax.logSumExp(logits);
                loss += lse - logits[y];
                for (int cl = 0; cl < k; cl++) {
                    double res = Math.exp(logits[cl] - lse) - (cl == y ? 1 : 0);
                    residual[i * k + cl] = res;
                    residualSums[cl] += res;
                }
            }
            INDArray res = Nd4j.create(residual, new long[] {m, k}, 'c');
            Nd4j.gemm(res, x, rawGradient, true, false, 1.0, first ? 0.0 : 1.0);
            res.close();
            first = false;
        }
        double[] g = rawGradient.data().asDouble();
        rawGradient.close();
        head.close();

        double penalty = 0;
        double inverseCn = 1.0 / (c * n);
        for (int cl = 0; cl < k; cl++) {
            for (int j = 0; j < d; j++) {
                int at = cl * d + j;
                double w = theta[at];
                penalty += w * w;
                double data = g[at];
                if (standardization != null) {
                    data = (data - residualSums[cl] * standardization.meanAt(j)) / standardization.scaleAt(j);
                }
                gradient[at] = data / n + w * inverseCn;
            }
            gradient[k * d + cl] = residualSums[cl] / n;
        }
        return loss / n + penalty * inverseCn / 2;
    }
}
