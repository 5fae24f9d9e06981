package org.ftl.head;

import org.ftl.cost.Nd4jThreads;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Issue 15's measurement, not a test: one objective evaluation (value and gradient on a fold's training rows) as
 * {@link SoftmaxObjective} computes it — the design as a double copy off-heap, two double GEMMs into arrays made
 * once per fit — against plain Java over the float features (no copy, one pass, {@link Plain}) and against the
 * same GEMMs with their arrays made and freed per evaluation, as before issue 15. Demo-sized (d = 128) up to
 * VGG16-sized flatten features at 224 px (d = 25,088); one thread; the thread's CPU time per evaluation, median of
 * rounds; the values of both ways are printed side by side.
 * {@code OPENBLAS_CORETYPE=SkylakeX mvn -o test -Dtest=ObjectiveBench -Dftl.bench=true}
 */
class ObjectiveBench {
    /**
     * The objective in plain Java over the float rows (no copy): each row widened to double, its k logits as dot
     * products, its residual's share of (P−Y)ᵀX added while the row is in cache. Raw features, no standardisation.
     */
    static final class Plain implements Lbfgs.Objective {
        final Design design;
        final List<Rows> runs;
        final double c;
        final int n;
        final int k;
        final int d;
        final RawSoftmax head;
        final double[] rawGradient;
        final double[] row;
        final double[] logits;

        Plain(Design design, List<Rows> runs, double c) {
            this.design = design;
            this.runs = runs;
            this.c = c;
            this.n = Rows.count(runs);
            this.k = design.classes();
            this.d = design.features();
            head = new RawSoftmax(new double[k * d], new double[k], k);
            rawGradient = new double[k * d];
            row = new double[d];
            logits = new double[k];
        }

        @Override
        public double evaluate(double[] theta, double[] gradient) {
            System.arraycopy(theta, 0, head.weights, 0, k * d);
            System.arraycopy(theta, k * d, head.intercepts, 0, k);
            java.util.Arrays.fill(rawGradient, 0);
            double[] sums = new double[k];
            double loss = 0;
            int[] labels = design.labels();
            for (Rows r : runs) {
                for (int i = r.from(); i < r.to(); i++) {
                    head.logits(design.values(), design.offset(i), row, logits);
                    int y = labels[i];
                    double lse = RawSoftmax.logSumExp(logits);
                    loss += lse - logits[y];
                    for (int cl = 0; cl < k; cl++) {
                        double res = Math.exp(logits[cl] - lse) - (cl == y ? 1 : 0);
                        sums[cl] += res;
                        int at = cl * d;
                        for (int j = 0; j < d; j++) {
                            rawGradient[at + j] += res * row[j];
                        }
                    }
                }
            }
            double penalty = 0;
            for (int i = 0; i < k * d; i++) {
                penalty += theta[i] * theta[i];
                gradient[i] = rawGradient[i] / n + theta[i] / (c * n);
            }
            for (int cl = 0; cl < k; cl++) {
                gradient[k * d + cl] = sums[cl] / n;
            }
            return loss / n + penalty / (c * n) / 2;
        }
    }

    @Test
    void javaAgainstGemm() {
        Assumptions.assumeTrue(Boolean.getBoolean("ftl.bench"), "benchmark: -Dftl.bench=true");
        Nd4jThreads.useForTask(1);
        int rounds = Integer.getInteger("ftl.bench.rounds", 5);
        System.out.println("    n       d  evaluations  java µs  gemm µs  gemm, buffers per evaluation µs  java/gemm"
                + "  |value difference|");
        for (int[] shape : new int[][] {{750, 128}, {750, 1024}, {1000, 5000}, {1500, 25088}}) {
            int n = shape[0];
            int d = shape[1];
            LabelledFeatures data = sparse(n, d, 7);
            // a fold's training part: rows before and after the held-out quarter, as HeadTrainer fits
            List<Rows> runs = List.of(new Rows(0, n / 4), new Rows(n / 2, n));
            Random r = new Random(1);
            double[] theta = new double[2 * d + 2];
            for (int i = 0; i < theta.length; i++) {
                theta[i] = 0.01 * r.nextGaussian();
            }
            double[] g1 = new double[theta.length];
            double[] g2 = new double[theta.length];
            int evaluations = Math.max(3, (int) (1e8 / ((long) n * d))); // about the same work per shape
            try (Design design = Design.of(data); SoftmaxObjective gemm = new SoftmaxObjective(design, runs, null, 1.0)) {
                Plain plain = new Plain(design, runs, 1.0);
                double diff = Math.abs(plain.evaluate(theta, g1) - gemm.evaluate(theta, g2));
                double[] tj = new double[rounds];
                double[] tg = new double[rounds];
                double[] ta = new double[rounds];
                for (int round = 0; round < rounds; round++) {
                    long t = HeadBench.now();
                    for (int e = 0; e < evaluations; e++) {
                        plain.evaluate(theta, g1);
                    }
                    tj[round] = (HeadBench.now() - t) / 1e3 / evaluations;
                    t = HeadBench.now();
                    for (int e = 0; e < evaluations; e++) {
                        gemm.evaluate(theta, g2);
                    }
                    tg[round] = (HeadBench.now() - t) / 1e3 / evaluations;
                    t = HeadBench.now();
                    for (int e = 0; e < evaluations; e++) {
                        try (SoftmaxObjective once = new SoftmaxObjective(design, runs, null, 1.0)) {
                            once.evaluate(theta, g2);
                        }
                    }
                    ta[round] = (HeadBench.now() - t) / 1e3 / evaluations;
                }
                java.util.Arrays.sort(tj);
                java.util.Arrays.sort(tg);
                java.util.Arrays.sort(ta);
                System.out.printf(Locale.ROOT, "%5d  %6d  %11d  %7.1f  %7.1f  %32.1f  %9.2f  %.2e%n", n, d, evaluations,
                        tj[rounds / 2], tg[rounds / 2], ta[rounds / 2], tj[rounds / 2] / tg[rounds / 2], diff);
            }
        }
    }

    /** ReLU-like features: non-negative, about half of them zero, two classes slightly apart. */
    private static LabelledFeatures sparse(int n, int d, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n * d];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            for (int j = 0; j < d; j++) {
                double g = r.nextGaussian() + (labels[i] == 1 && j % 7 == 0 ? 0.3 : 0);
                v[i * d + j] = (float) Math.max(0, g);
            }
        }
        return new LabelledFeatures(new FeatureMatrix(v, n, d), labels, HeadData.classes(2));
    }
}
