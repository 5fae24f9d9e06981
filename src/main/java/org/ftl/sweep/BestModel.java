package org.ftl.sweep;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.ftl.FtlError;
import org.ftl.Json;
import org.ftl.config.FtlConfig;
import org.ftl.data.DataFiles;
import org.ftl.head.Classifier;
import org.ftl.head.LogisticHead;
import org.ftl.prune.ConvChain;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
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

    /** A model folder at any Hadoop path (local, HDFS, S3A). */
    public static Loaded load(String dir, Configuration conf) {
        String json = DataFiles.child(dir, DESCRIPTION);
        String zip = DataFiles.child(dir, MODEL);
        if (!DataFiles.isFile(json, conf) || !DataFiles.isFile(zip, conf)) {
            throw new FtlError(dir + ": not a model folder (needs " + DESCRIPTION + " and " + MODEL + ", as a sweep's best/ has)");
        }
        org.apache.hadoop.fs.Path parent = new org.apache.hadoop.fs.Path(DataFiles.qualified(dir, conf)).getParent();
        String run = parent == null ? null : parent.toString();
        if (run != null && DataFiles.isFile(DataFiles.child(run, "run.json"), conf)
                && !DataFiles.exists(DataFiles.child(run, RunFolder.SUCCESS), conf)) {
            throw new FtlError(run + ": unfinished run (no " + RunFolder.SUCCESS + "): its best/ is not a result");
        }
        Description d;
        try {
            d = Json.MAPPER.readValue(DataFiles.read(json, conf), Description.class);
        } catch (IOException e) {
            throw new FtlError(json + ": not the JSON expected: " + e.getMessage(), e);
        }
        try {
            return new Loaded(d, ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(DataFiles.read(zip, conf)), false));
        } catch (IOException | RuntimeException e) {
            throw new FtlError(zip + ": not a DL4J model file: " + e.getMessage(), e);
        }
    }

}
