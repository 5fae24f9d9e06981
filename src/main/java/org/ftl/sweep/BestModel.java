package org.ftl.sweep;

import org.ftl.runs.RunFolder;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.ftl.FtlError;
import org.ftl.ModelZip;
import org.ftl.Json;
import org.ftl.job.FtlConfig;
import org.ftl.data.DataFiles;
import org.ftl.head.Classifier;
import org.ftl.head.LogisticHead;
import org.ftl.backbone.ConvChain;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.util.stream.Stream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code best/}: the winner as deployed — {@code model.onnx}, one ONNX graph (pixels in, class probabilities out, its
 * preprocessing inside) for ONNX Runtime on any device, and {@code model.zip}, the same network for DL4J — its labels,
 * what the model takes, its metrics and the settings of the run.
 */
public final class BestModel {
    public static final String MODEL = "model.zip";
    public static final String ONNX = "model.onnx";
    public static final String DESCRIPTION = "model.json";
    public static final String LABELS = "labels.txt";
    public static final String CONFIG = "config.conf";

    /**
     * What model.json says: enough to feed the model an image and read its answer. {@code onnxInput} says what
     * model.onnx takes (its preprocessing is inside it); {@code preprocessing} is what model.zip's DL4J network expects
     * done beforehand.
     */
    public record Description(String candidate, String criterion, double leaveFactor, int height, int width,
                              int channels, String preprocessing, String features, List<String> labels,
                              String positiveClass, String filterCounts, String onnxInput, Map<String, Object> metrics) {
    }

    private BestModel() {
    }

    static void write(RunFolder run, VariantRecord winner, CandidateResult result, Row metrics, List<String> classes,
                      HeadJob job, FtlConfig config) {
        LogisticHead head = head(result.head());
        ConvChain chain = ConvChain.fromBytes(winner.model(), job.input());
        // the same file Classifier.save writes: Classifier.load reads it, class names included
        byte[] model = Classifier.assemble(chain, job.features(), head, classes).toBytes();
        byte[] onnx = HeadStage.classifier(winner.candidate().id(), winner.features(), head, job);
        Map<String, Object> values = new LinkedHashMap<>();
        for (String f : metrics.schema().fieldNames()) {
            values.put(f, metrics.isNullAt(metrics.fieldIndex(f)) ? null : metrics.getAs(f));
        }
        Description d = new Description(metrics.getAs("candidate"), metrics.getAs("criterion"), metrics.getAs("leave_factor"),
                job.input().height(), job.input().width(), job.input().channels(), config.input().preprocessing().configName(),
                job.features().key(), classes, config.data().targetClass(),
                metrics.getAs("filter_counts"),
                org.ftl.deploy.Deployed.input(job.input(), job.preprocessing(), classes.size()), values);
        run.write("best/" + ONNX, onnx);
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

    /**
     * A best/ folder as {@code ftl predict} reads it: its description, model.onnx's bytes (null in a folder written
     * before there was one) and model.zip's network (null when the folder has none).
     */
    public record Loaded(Description description, byte[] onnx, MultiLayerNetwork network) {
    }

    /** A model folder at any Hadoop path (local, HDFS, S3A). */
    public static Loaded load(String dir, Configuration conf) {
        String json = DataFiles.child(dir, DESCRIPTION);
        String zip = DataFiles.child(dir, MODEL);
        String onnx = DataFiles.child(dir, ONNX);
        boolean hasZip = DataFiles.isFile(zip, conf);
        boolean hasOnnx = DataFiles.isFile(onnx, conf);
        if (!DataFiles.isFile(json, conf) || !(hasZip || hasOnnx)) {
            throw new FtlError(dir + ": not a model folder (needs " + DESCRIPTION + " and " + ONNX + " or " + MODEL
                    + ", as a sweep's best/ has)");
        }
        org.apache.hadoop.fs.Path parent = new org.apache.hadoop.fs.Path(DataFiles.qualified(dir, conf)).getParent();
        String run = parent == null ? null : parent.toString();
        // inside a run folder (it has the run's files, written before best/ or after it) only a finished run counts;
        // a best/ copied elsewhere stands alone
        boolean inRun = run != null && Stream.of("run.json", "metrics.csv", "metrics.parquet")
                .anyMatch(f -> DataFiles.exists(DataFiles.child(run, f), conf));
        if (inRun && !DataFiles.exists(DataFiles.child(run, RunFolder.SUCCESS), conf)) {
            throw new FtlError(run + ": unfinished run (no " + RunFolder.SUCCESS + "): its best/ is not a result");
        }
        Description d;
        try {
            d = Json.MAPPER.readValue(DataFiles.read(json, conf), Description.class);
        } catch (IOException e) {
            throw new FtlError(json + ": not the JSON expected: " + e.getMessage(), e);
        }
        // a user may hand us any folder: model files are read as data only
        return new Loaded(d, hasOnnx ? DataFiles.read(onnx, conf) : null,
                hasZip ? ModelZip.network(DataFiles.read(zip, conf), zip) : null);
    }
}
