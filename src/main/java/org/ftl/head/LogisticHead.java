package org.ftl.head;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A candidate's classifier: L2-regularised multinomial (softmax) logistic regression on its features.
 * p(class | x) = softmax(W·z + b), z the features, standardised when the head carries a
 * {@link Standardization}. Fitted by minimising scikit-learn's objective
 * {@code C·Σ log-loss + ½‖W‖²} (here divided by C·n: mean log-loss + ‖W‖²/(2·C·n), the same minimiser; it is
 * Spark ML's with regParam = 1/(C·n)) with Breeze's L-BFGS; the intercepts are not penalised.
 *
 * <p>Softmax intercepts are defined up to a common shift; they are kept centred (sum 0), as Spark does.
 * Two classes give two rows of coefficients, w₁ = −w₀ (the binary model is the multinomial one, so its C is
 * not scikit-learn's binomial C: that penalises ‖w₁ − w₀‖² = 4‖w₀‖², not 2‖w₀‖²).
 *
 * <p>Immutable; the same data, C and settings give the same coefficients, bit for bit.
 */
public final class LogisticHead implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int classes;
    private final int features;
    private final double c;
    private final double[] coefficients; // [k × d] row-major, on z
    private final double[] intercepts;
    private final Standardization standardization; // null: z = x
    private final FitReport report;

    private LogisticHead(int classes, int features, double c, double[] coefficients, double[] intercepts,
                         Standardization standardization, FitReport report) {
        this.classes = classes;
        this.features = features;
        this.c = c;
        this.coefficients = coefficients;
        this.intercepts = intercepts;
        this.standardization = standardization;
        this.report = report;
    }

    /**
     * A head of the given shape with zero weights. What a dense layer costs to run does not depend on its
     * values, so this stands in for a real head when only the network's speed is measured.
     */
    public static LogisticHead zeros(int features, int classes) {
        return new LogisticHead(classes, features, Double.NaN, new double[classes * features], new double[classes], null,
                new FitReport(0, "not fitted: zero weights for timing", Double.NaN));
    }

    /**
     * A head on raw features with the given weights, as {@link #rawCoefficients} and {@link #rawIntercepts} gave
     * them (no standardisation: it is folded in). It predicts and deploys exactly as the head they came from;
     * a sweep's checkpoint files keep heads this way, as plain numbers.
     */
    public static LogisticHead ofRaw(double c, double[][] coefficients, double[] intercepts, FitReport report) {
        int k = intercepts.length;
        if (coefficients.length != k || k < 2) {
            throw new IllegalArgumentException(coefficients.length + " rows of coefficients for " + k + " intercepts");
        }
        int d = coefficients[0].length;
        double[] w = new double[k * d];
        for (int cl = 0; cl < k; cl++) {
            if (coefficients[cl].length != d) {
                throw new IllegalArgumentException("coefficient rows of different lengths");
            }
            System.arraycopy(coefficients[cl], 0, w, cl * d, d);
        }
        return new LogisticHead(k, d, c, w, intercepts.clone(), null, report);
    }

    /**
     * Fits a head on all of {@code data}.
     *
     * @param c           inverse regularisation strength (larger: weaker), as in scikit-learn
     * @param standardize fit on standardised features (the standardisation, fitted on {@code data}, is kept)
     */
    public static LogisticHead fit(LabelledFeatures data, double c, boolean standardize, Convergence convergence) {
        try (Design design = Design.of(data)) {
            List<Rows> all = List.of(new Rows(0, design.size()));
            return fit(design, all, c, standardize ? Standardization.fit(design, all) : null, convergence, null);
        }
    }

    /**
     * Fits a head on some rows of a design, standardised by {@code std} (fitted on the same rows; null: raw
     * features), starting L-BFGS at {@code start} (parameters of a head on the same rows and standardisation, as
     * {@link #parameters}; null: zero). The objective is strictly convex in W, so the start changes the path,
     * not the optimum.
     */
    static LogisticHead fit(Design design, List<Rows> runs, double c, Standardization std, Convergence convergence,
                            double[] start) {
        if (!(c > 0) || Double.isInfinite(c)) {
            throw new IllegalArgumentException("C must be positive and finite, got " + c);
        }
        Lbfgs.Result result;
        try (SoftmaxObjective objective = new SoftmaxObjective(design, runs, std, c)) {
            double[] from = start != null ? start : new double[objective.parameters()];
            result = Lbfgs.minimize(objective, from, convergence);
        }
        int k = design.classes();
        int d = design.features();
        double[] w = Arrays.copyOf(result.x(), k * d);
        double[] b = Arrays.copyOfRange(result.x(), k * d, k * d + k);
        double shift = Arrays.stream(b).sum() / k;
        for (int cl = 0; cl < k; cl++) {
            b[cl] -= shift;
        }
        return new LogisticHead(k, d, c, w, b, std,
                new FitReport(result.iterations(), result.stop(), result.value()));
    }

    /** W and b as one vector: the form {@link #fit(Design, List, double, Standardization, Convergence, double[])} starts from. */
    double[] parameters() {
        double[] theta = Arrays.copyOf(coefficients, coefficients.length + classes);
        System.arraycopy(intercepts, 0, theta, coefficients.length, classes);
        return theta;
    }

    /** The head as it acts on raw features. */
    RawSoftmax raw() {
        return new RawSoftmax(rawCoefficientsFlat(), rawIntercepts(), classes);
    }

    /** Class probabilities [n][k] for features [n][d]. */
    public double[][] probabilities(FeatureMatrix x) {
        checkFeatures(x.columns());
        return raw().probabilities(x);
    }

    /** Class probabilities [n][k] for features [n, d] already off-heap (e.g. from {@link org.ftl.infer.FeatureMode#features}). */
    public double[][] probabilities(INDArray x) {
        checkFeatures(x.size(1));
        return probabilities(FeatureMatrix.of(x));
    }

    /** Class probabilities [m][k] of some rows of a design (a held-out fold). */
    double[][] probabilities(Design design, Rows rows) {
        checkFeatures(design.features());
        return raw().probabilities(design, rows);
    }

    /** The most probable class of each row (the lower index on a tie). */
    public int[] predict(FeatureMatrix x) {
        return Metrics.predictions(probabilities(x));
    }

    private void checkFeatures(long d) {
        if (d != features) {
            throw new IllegalArgumentException("this head takes " + features + " features, got " + d);
        }
    }

    public int classes() {
        return classes;
    }

    public int features() {
        return features;
    }

    /** The C it was fitted with. */
    public double c() {
        return c;
    }

    /** W [k][d], on standardised features if {@link #standardization} is present. */
    public double[][] coefficients() {
        double[][] w = new double[classes][];
        for (int cl = 0; cl < classes; cl++) {
            w[cl] = Arrays.copyOfRange(coefficients, cl * features, (cl + 1) * features);
        }
        return w;
    }

    /** b [k], centred. */
    public double[] intercepts() {
        return intercepts.clone();
    }

    public Optional<Standardization> standardization() {
        return Optional.ofNullable(standardization);
    }

    /** W / scale [k][d]: weights on the raw features, the standardisation folded in. */
    public double[][] rawCoefficients() {
        double[] flat = rawCoefficientsFlat();
        double[][] w = new double[classes][];
        for (int cl = 0; cl < classes; cl++) {
            w[cl] = Arrays.copyOfRange(flat, cl * features, (cl + 1) * features);
        }
        return w;
    }

    /** b − Σ (W / scale)·mean [k]: intercepts on the raw features. */
    public double[] rawIntercepts() {
        return standardization == null ? intercepts.clone()
                : standardization.foldIntercepts(rawCoefficientsFlat(), intercepts);
    }

    private double[] rawCoefficientsFlat() {
        return standardization == null ? coefficients.clone() : standardization.foldWeights(coefficients, classes);
    }

    public FitReport report() {
        return report;
    }

    @Override
    public String toString() {
        return "LogisticHead[" + classes + " classes, " + features + " features, C=" + c
                + (standardization != null ? ", standardised" : "") + ", " + report + "]";
    }
}
