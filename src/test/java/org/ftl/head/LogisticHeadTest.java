package org.ftl.head;

import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.linalg.Matrix;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogisticHeadTest {
    private static final Convergence TIGHT = new Convergence(2000, 1e-10);

    @Test
    void matchesSparkMlsMultinomialLogisticRegression() {
        LabelledFeatures three = HeadData.blobs(150, 5, 3, 2.0, 11);
        LabelledFeatures two = HeadData.blobs(120, 4, 2, 1.5, 12);
        SparkSession spark = SparkSession.builder().master("local[1]").appName("head-reference")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "1").getOrCreate();
        try {
            for (double c : new double[] {0.05, 1.0}) {
                compareWithSpark(spark, three, c);
                compareWithSpark(spark, two, c);
            }
        } finally {
            spark.stop();
        }
    }

    private static void compareWithSpark(SparkSession spark, LabelledFeatures data, double c) {
        int n = data.size();
        int d = data.features().columns();
        int k = data.classCount();
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double[] x = new double[d];
            for (int j = 0; j < d; j++) {
                x[j] = data.features().get(i, j); // the same float values, widened
            }
            rows.add(RowFactory.create((double) data.labels()[i], Vectors.dense(x)));
        }
        StructType schema = new StructType(new StructField[] {
                DataTypes.createStructField("label", DataTypes.DoubleType, false),
                DataTypes.createStructField("features", SQLDataTypes.VectorType(), false)});
        Dataset<Row> frame = spark.createDataFrame(rows, schema);
        LogisticRegressionModel reference = new LogisticRegression().setFamily("multinomial").setElasticNetParam(0)
                .setRegParam(1.0 / (c * n)).setStandardization(false).setFitIntercept(true)
                .setTol(1e-12).setMaxIter(2000).fit(frame);

        LogisticHead head = LogisticHead.fit(data, c, false, TIGHT);
        Matrix w = reference.coefficientMatrix();
        double[][] ours = head.coefficients();
        String where = "C=" + c + ", " + k + " classes";
        assertEquals(k, w.numRows(), where);
        for (int cl = 0; cl < k; cl++) {
            for (int j = 0; j < d; j++) {
                assertEquals(w.apply(cl, j), ours[cl][j], 2e-4 * Math.max(1, Math.abs(w.apply(cl, j))),
                        where + ": coefficient [" + cl + "][" + j + "]");
            }
            assertEquals(reference.interceptVector().apply(cl), head.intercepts()[cl], 1e-3, where + ": intercept " + cl);
        }
        double[][] p = head.probabilities(data.features());
        List<Row> predicted = reference.transform(frame).select("probability").collectAsList();
        for (int i = 0; i < n; i++) {
            org.apache.spark.ml.linalg.Vector sp = predicted.get(i).getAs(0);
            for (int cl = 0; cl < k; cl++) {
                assertEquals(sp.apply(cl), p[i][cl], 1e-4, where + ": probability of row " + i);
            }
        }
    }

    @Test
    void gradientVanishesAtTheOptimumByFiniteDifferences() {
        LabelledFeatures data = HeadData.blobs(90, 4, 3, 2.0, 21);
        for (boolean standardize : new boolean[] {false, true}) {
            try (Design design = Design.of(data)) {
                List<Rows> all = List.of(new Rows(0, design.size()));
                Standardization std = standardize ? Standardization.fit(design, all) : null;
                LogisticHead head = LogisticHead.fit(design, all, 0.5, std, TIGHT, null);
                SoftmaxObjective f = new SoftmaxObjective(design, all, std, 0.5);
                double[] theta = head.parameters();
                double[] analytic = new double[theta.length];
                double value = f.evaluate(theta, analytic);
                double h = 1e-3;
                for (int i = 0; i < theta.length; i++) {
                    double[] up = theta.clone();
                    double[] down = theta.clone();
                    up[i] += h;
                    down[i] -= h;
                    double numeric = (f.evaluate(up, new double[theta.length]) - f.evaluate(down, new double[theta.length])) / (2 * h);
                    assertEquals(0, numeric, 2e-4, "finite-difference gradient, parameter " + i + ", standardised " + standardize);
                    assertEquals(0, analytic[i], 1e-5, "analytic gradient, parameter " + i);
                }
                assertTrue(value > 0 && value < Math.log(3), "objective " + value);
            }
        }
    }

    @Test
    void analyticGradientMatchesFiniteDifferencesAwayFromTheOptimum() {
        LabelledFeatures data = HeadData.blobs(60, 3, 3, 1.0, 31);
        try (Design design = Design.of(data)) {
            List<Rows> some = List.of(new Rows(0, 20), new Rows(35, 60)); // two runs, as a fold's training part
            Standardization std = Standardization.fit(design, some);
            SoftmaxObjective f = new SoftmaxObjective(design, some, std, 2.0);
            java.util.Random r = new java.util.Random(3);
            double[] theta = new double[f.parameters()];
            for (int i = 0; i < theta.length; i++) {
                theta[i] = r.nextGaussian();
            }
            double[] analytic = new double[theta.length];
            f.evaluate(theta, analytic);
            double h = 1e-3;
            for (int i = 0; i < theta.length; i++) {
                double[] up = theta.clone();
                double[] down = theta.clone();
                up[i] += h;
                down[i] -= h;
                double numeric = (f.evaluate(up, new double[theta.length]) - f.evaluate(down, new double[theta.length])) / (2 * h);
                assertEquals(numeric, analytic[i], 1e-3 * Math.max(1, Math.abs(numeric)), "parameter " + i);
            }
        }
    }

    @Test
    void standardisingInsideTheHeadEqualsFittingOnStandardisedFeatures() {
        LabelledFeatures data = HeadData.blobs(100, 6, 2, 2.0, 41);
        LogisticHead inside = LogisticHead.fit(data, 0.3, true, TIGHT);
        Standardization std = inside.standardization().orElseThrow();
        int n = data.size();
        int d = data.features().columns();
        float[] z = new float[n * d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                z[i * d + j] = (float) ((data.features().get(i, j) - std.mean()[j]) / std.scale()[j]);
            }
        }
        LogisticHead outside = LogisticHead.fit(new LabelledFeatures(new FeatureMatrix(z, n, d), data.labels(),
                data.classes()), 0.3, false, TIGHT);
        for (int c = 0; c < 2; c++) {
            assertArrayEquals(outside.coefficients()[c], inside.coefficients()[c], 1e-4);
        }
        assertArrayEquals(outside.intercepts(), inside.intercepts(), 1e-4);
        // the folded weights act on raw features exactly as the head does on standardised ones
        double[][] p = inside.probabilities(data.features());
        double[][] w = inside.rawCoefficients();
        double[] b = inside.rawIntercepts();
        for (int i = 0; i < n; i++) {
            double[] logits = b.clone();
            for (int c = 0; c < 2; c++) {
                for (int j = 0; j < d; j++) {
                    logits[c] += w[c][j] * data.features().get(i, j);
                }
            }
            double p1 = 1 / (1 + Math.exp(logits[0] - logits[1]));
            assertEquals(p1, p[i][1], 1e-5);
        }
    }

    @Test
    void theSameDataGiveTheSameCoefficientsBitForBit() throws Exception {
        LabelledFeatures data = HeadData.blobs(80, 7, 3, 1.5, 51);
        Convergence usual = new Convergence(500, 1e-6);
        LogisticHead a = LogisticHead.fit(data, 10, true, usual);
        LogisticHead b = LogisticHead.fit(data, 10, true, usual);
        for (int c = 0; c < 3; c++) {
            assertArrayEquals(a.coefficients()[c], b.coefficients()[c]);
        }
        assertArrayEquals(a.intercepts(), b.intercepts());
        assertEquals(0, java.util.Arrays.stream(a.intercepts()).sum(), 1e-12, "intercepts are centred");
        assertFalse(a.report().hitIterationLimit(), a.report().toString());

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(a);
        }
        LogisticHead back;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            back = (LogisticHead) in.readObject();
        }
        double[][] pa = a.probabilities(data.features());
        double[][] pb = back.probabilities(data.features());
        for (int i = 0; i < pa.length; i++) {
            assertArrayEquals(pa[i], pb[i]);
        }
    }

    @Test
    void strongerRegularisationShrinksTheCoefficients() {
        LabelledFeatures data = HeadData.blobs(100, 5, 2, 2.0, 61);
        double previous = 0;
        for (double c : new double[] {0.001, 0.1, 10}) {
            double norm = 0;
            for (double[] row : LogisticHead.fit(data, c, true, TIGHT).coefficients()) {
                for (double v : row) {
                    norm += v * v;
                }
            }
            assertTrue(norm > previous, "‖W‖² " + norm + " at C=" + c + " should exceed " + previous);
            previous = norm;
        }
    }
}
