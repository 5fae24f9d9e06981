package org.ftl.sweep;

import org.apache.spark.sql.Row;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.ftl.FtlError;
import org.ftl.Json;
import org.ftl.config.FtlConfig;
import org.ftl.head.Classifier;
import org.ftl.head.LogisticHead;
import org.ftl.prune.ConvChain;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code best/}: the winner as one deployable DL4J model (pruned backbone + head), its labels, how to
 * preprocess an image for it, its metrics and the settings of the run.
 */
public final class BestModel {
    public static final String MODEL = "model.zip";
    public static final String DESCRIPTION = "model.json";
    public static final String LABELS = "labels.txt";
    public static final String CONFIG = "config.conf";

    /** What model.json says: enough to feed the model an image and read its answer. */
    public record Description(String candidate, String criterion, double leaveFactor, int height, int width,
                              int channels, String preprocessing, String features, List<String> labels,
                              String positiveClass, String filterCounts, Map<String, Object> metrics) {
    }

    private BestModel() {
    }

    static void write(RunFolder run, ConvChain chain, CandidateResult result, Row metrics, List<String> classes,
                      HeadJob job, FtlConfig config) {
        // the same file Classifier.save writes: Classifier.load reads it, class names included
        byte[] model = Classifier.assemble(chain, job.features(), head(result.head()), classes).toBytes();
        Map<String, Object> values = new LinkedHashMap<>();
        for (String f : metrics.schema().fieldNames()) {
            values.put(f, metrics.isNullAt(metrics.fieldIndex(f)) ? null : metrics.getAs(f));
        }
        Description d = new Description(metrics.getAs("candidate"), metrics.getAs("criterion"), metrics.getAs("leave_factor"),
                job.input().height(), job.input().width(), job.input().channels(), config.input().preprocessing().configName(),
                job.features().key(), classes, config.data().targetClass(),
                metrics.getAs("filter_counts"), values);
        run.write("best/" + MODEL, model);
        run.write("best/" + LABELS, String.join("\n", classes) + "\n");
        run.write("best/" + CONFIG, config.render());
        run.write("best/" + DESCRIPTION, Json.write(d));
    }

    /** The head the winner's task fitted (bytes made by this run's own executors, never a user's file). */
    private static LogisticHead head(byte[] bytes) {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return (LogisticHead) in.readObject();
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException("cannot read back the winner's head", e);
        }
    }

    /** A best/ folder as {@code ftl predict} reads it: description and network. */
    public record Loaded(Description description, MultiLayerNetwork network) {
    }

    public static Loaded load(Path dir) {
        Path json = dir.resolve(DESCRIPTION);
        Path zip = dir.resolve(MODEL);
        if (!Files.isRegularFile(json) || !Files.isRegularFile(zip)) {
            throw new FtlError(dir + ": not a model folder (needs " + DESCRIPTION + " and " + MODEL + ", as a sweep's best/ has)");
        }
        Path run = dir.toAbsolutePath().getParent();
        if (run != null && Files.isRegularFile(run.resolve("run.json")) && !Files.exists(run.resolve(RunFolder.SUCCESS))) {
            throw new FtlError(run + ": unfinished run (no " + RunFolder.SUCCESS + "): its best/ is not a result");
        }
        Description d = Json.read(json, Description.class);
        try {
            return new Loaded(d, ModelSerializer.restoreMultiLayerNetwork(zip.toFile(), false));
        } catch (IOException | RuntimeException e) {
            throw new FtlError(zip + ": not a DL4J model file: " + e.getMessage(), e);
        }
    }

}
