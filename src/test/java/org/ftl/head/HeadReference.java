package org.ftl.head;


import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * What a head's training gave before issue 15 changed how the objective is computed: per case, the chosen C,
 * the cross-validation table, the refitted head's test metrics and probabilities. {@link HeadReferenceTest}
 * holds the trainer to them; {@link #record} wrote them (with the code as it was at the commit that added them).
 *
 * @param probabilities the refitted head's class probabilities of the evaluation rows [n][k]
 * @param iterations    L-BFGS iterations of the refit (for information: a different path is allowed)
 */
record HeadReference(String name, double chosen, List<CvTable.Row> cv, double accuracy, double precision,
                     double recall, double f1, double auc, int[][] confusion, double[][] probabilities, int iterations) {

    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** One case: training and evaluation features, the trainer's settings and the positive class. */
    record Case(String name, Supplier<FeatureFile> data, HeadSettings settings, int positive) {
    }

    /** The method's C grid: 0.001 … 100000, ten-fold steps. */
    static final List<Double> METHOD_GRID = List.of(0.001, 0.01, 0.1, 1.0, 10.0, 100.0, 1000.0, 10000.0, 100000.0);

    /** The demo's head settings (conf/demo.conf on reference.conf: seed 42, at most 500 iterations). */
    static final HeadSettings DEMO = new HeadSettings(METHOD_GRID, 4, true, "accuracy", 500, 1e-6, 42);

    /**
     * Real features first — two iou candidates of the demo (d = 64 and 13; 750 training and 250 evaluation
     * images; extracted by {@code HeadStageBench} from the demo's generated data and its cached half-width AlexNet)
     * — then synthetic sets for what those lack: three classes, raw (unstandardised) features, more features than
     * images (where large C runs into the iteration limit), F1 as the CV metric.
     */
    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        for (String candidate : List.of("iou-0.50", "iou-0.10")) {
            cases.add(new Case("demo-" + candidate, () -> resource(candidate + ".features"), DEMO, 0));
        }
        cases.add(new Case("blobs-3-classes", () -> split(HeadData.blobs(300, 12, 3, 2.0, 17), 225),
                new HeadSettings(METHOD_GRID, 4, true, "f1", 500, 1e-6, 5), 1));
        cases.add(new Case("raw-features", () -> split(HeadData.sharedNoise(240, 6, 4), 180),
                new HeadSettings(METHOD_GRID, 3, false, "accuracy", 500, 1e-6, 9), 1));
        cases.add(new Case("wide-noise", () -> split(HeadData.isotropic(200, 300, 2.5, 8), 150), DEMO, 1));
        return cases;
    }

    /** The demo's classes are Background, Crack (folder order); its target class is Crack. */
    private static FeatureFile resource(String name) {
        try (InputStream in = HeadReference.class.getResourceAsStream("reference/" + name)) {
            if (in == null) {
                throw new IllegalStateException("test resource org/ftl/head/reference/" + name + " is missing");
            }
            return FeatureFile.read(in, name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first {@code training} rows train, the rest test. */
    private static FeatureFile split(LabelledFeatures all, int training) {
        int d = all.features().columns();
        float[] v = all.features().values();
        int n = all.size();
        return new FeatureFile(
                new LabelledFeatures(new FeatureMatrix(java.util.Arrays.copyOf(v, training * d), training, d),
                        java.util.Arrays.copyOf(all.labels(), training), all.classes()),
                new LabelledFeatures(new FeatureMatrix(java.util.Arrays.copyOfRange(v, training * d, n * d), n - training, d),
                        java.util.Arrays.copyOfRange(all.labels(), training, n), all.classes()));
    }

    /** Trains the case's head as the sweep does and tests it on the evaluation rows. */
    static HeadReference compute(Case c) {
        FeatureFile data = c.data().get();
        TrainedHead trained = new HeadTrainer(c.settings()).train(data.training(), c.positive());
        double[][] p = trained.head().probabilities(data.evaluation().features());
        Evaluation e = Metrics.evaluate(data.evaluation().labels(), p, c.positive());
        return new HeadReference(c.name(), trained.cv().chosen(), trained.cv().rows(), e.accuracy(), e.precision(),
                e.recall(), e.f1(), e.auc(), e.confusion(), p, trained.head().report().iterations());
    }

    static HeadReference read(String name) {
        try (InputStream in = HeadReference.class.getResourceAsStream("reference/" + name + ".json")) {
            if (in == null) {
                throw new IllegalStateException("test resource org/ftl/head/reference/" + name + ".json is missing");
            }
            return MAPPER.readValue(in, HeadReference.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes every case's reference into {@code dir}. */
    static void record(Path dir) throws IOException {
        for (Case c : cases()) {
            MAPPER.writeValue(dir.resolve(c.name() + ".json").toFile(), compute(c));
        }
    }
}
