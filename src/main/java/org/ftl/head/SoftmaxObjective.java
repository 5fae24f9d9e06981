package org.ftl.head;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.openblas.global.openblas;

import java.util.ArrayList;
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
 * with s the column sums of P−Y. Both matrix products are double GEMMs over the rows in place.
 *
 * <p>The GEMMs' operands and results are allocated once, when the objective is made (one per fit), and refilled
 * by each evaluation: L-BFGS evaluates a candidate's objectives thousands of times (7,700 for the demo's
 * unpruned baseline: 9 C values × 4 folds + the refit), and native arrays made and freed per evaluation were most
 * of its time. {@link #close} frees them. The products call OpenBLAS's {@code cblas_dgemm} itself, the routine
 * ND4J's {@code Nd4j.gemm} ends in: the same results to the bit (checked on these shapes), without ND4J's
 * 40-130 µs of checks and op dispatch per pair of calls, which at the demo's shapes (560 × 13…128 by 2) was 2-7x
 * the products' own time.
 */
final class SoftmaxObjective implements Lbfgs.Objective, AutoCloseable {
    private final Design design;
    private final List<Rows> runs;
    private final Standardization standardization; // null: raw features
    private final double c;
    private final int n;
    private final int classes;
    private final int features;

    private final RawSoftmax head; // W and b on raw features at the point being evaluated
    private final DoublePointer weights; // W on raw features [k, d], refilled from head
    private final List<DoublePointer> rows = new ArrayList<>(); // per run: the design's rows [m, d], in place
    private final List<DoublePointer> products = new ArrayList<>(); // per run: x·Wᵀ [m, k]
    private final List<DoublePointer> residuals = new ArrayList<>(); // per run: P − Y [m, k]
    private final DoublePointer rawGradient; // (P−Y)ᵀX [k, d], summed over the runs
    private final double[] logits; // one run's x·Wᵀ, then b added, row-major [m × k]
    private final double[] residual; // one run's P − Y [m × k]
    private final double[] gradientValues; // rawGradient on the heap [k × d]

    SoftmaxObjective(Design design, List<Rows> runs, Standardization standardization, double c) {
        this.design = design;
        this.standardization = standardization;
        this.c = c;
        this.n = Rows.count(runs);
        this.classes = design.classes();
        this.features = design.features();
        if (n == 0) {
            throw new IllegalArgumentException("no rows to fit");
        }
        this.runs = runs.stream().filter(r -> r.count() > 0).toList();
        int k = classes;
        head = new RawSoftmax(new double[k * features], new double[k], k);
        weights = new DoublePointer((long) k * features);
        int longest = 0;
        for (Rows r : this.runs) {
            rows.add(design.rows(r));
            products.add(new DoublePointer((long) r.count() * k));
            residuals.add(new DoublePointer((long) r.count() * k));
            longest = Math.max(longest, r.count());
        }
        rawGradient = new DoublePointer((long) k * features);
        logits = new double[longest * k];
        residual = new double[longest * k];
        gradientValues = new double[k * features];
    }

    int parameters() {
        return classes * features + classes;
    }

    /** The head at θ as it acts on raw features (a new one: the objective's own is refilled by each evaluation). */
    RawSoftmax raw(double[] theta) {
        RawSoftmax h = new RawSoftmax(new double[classes * features], new double[classes], classes);
        fold(theta, h);
        return h;
    }

    /** W and b of θ on raw features: the standardisation folded in. */
    private void fold(double[] theta, RawSoftmax into) {
        int kd = classes * features;
        if (standardization == null) {
            System.arraycopy(theta, 0, into.weights, 0, kd);
            System.arraycopy(theta, kd, into.intercepts, 0, classes);
        } else {
            standardization.foldWeights(theta, classes, into.weights);
            standardization.foldIntercepts(into.weights, theta, kd, into.intercepts);
        }
    }

    @Override
    public double evaluate(double[] theta, double[] gradient) {
        int k = classes;
        int d = features;
        int[] labels = design.labels();
        fold(theta, head);
        weights.put(head.weights);
        double loss = 0;
        double[] residualSums = new double[k];
        double[] z = new double[k];
        for (int r = 0; r < runs.size(); r++) {
            Rows run = runs.get(r);
            int m = run.count();
            // x·Wᵀ: [m, d] by [k, d] transposed
            openblas.cblas_dgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, openblas.CblasTrans, m, k, d,
                    1.0, rows.get(r), d, weights, d, 0.0, products.get(r), k);
            products.get(r).get(logits, 0, m * k);
            for (int i = 0; i < m; i++) {
                int y = labels[run.from() + i];
                for (int cl = 0; cl < k; cl++) {
                    z[cl] = logits[i * k + cl] + head.intercepts[cl];
                }
                double lse = RawSoftmax.logSumExp(z);
                loss += lse - z[y];
                for (int cl = 0; cl < k; cl++) {
                    double res = Math.exp(z[cl] - lse) - (cl == y ? 1 : 0);
                    residual[i * k + cl] = res;
                    residualSums[cl] += res;
                }
            }
            residuals.get(r).put(residual, 0, m * k);
            // (P−Y)ᵀX: [m, k] transposed by [m, d], added up over the runs
            openblas.cblas_dgemm(openblas.CblasRowMajor, openblas.CblasTrans, openblas.CblasNoTrans, k, d, m,
                    1.0, residuals.get(r), k, rows.get(r), d, r == 0 ? 0.0 : 1.0, rawGradient, d);
        }
        rawGradient.get(gradientValues);

        double penalty = 0;
        double inverseCn = 1.0 / (c * n);
        for (int cl = 0; cl < k; cl++) {
            for (int j = 0; j < d; j++) {
                int at = cl * d + j;
                double w = theta[at];
                penalty += w * w;
                double data = gradientValues[at];
                if (standardization != null) {
                    data = (data - residualSums[cl] * standardization.meanAt(j)) / standardization.scaleAt(j);
                }
                gradient[at] = data / n + w * inverseCn;
            }
            gradient[k * d + cl] = residualSums[cl] / n;
        }
        return loss / n + penalty * inverseCn / 2;
    }

    /** Frees the GEMMs' native arrays now rather than whenever the garbage collector gets to them. */
    @Override
    public void close() {
        weights.close();
        rawGradient.close();
        products.forEach(DoublePointer::close);
        residuals.forEach(DoublePointer::close);
    }
}
