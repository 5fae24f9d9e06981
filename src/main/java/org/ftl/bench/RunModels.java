package org.ftl.bench;

import org.ftl.decide.Metric;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.ftl.FtlError;
import org.ftl.backbone.BackboneTrainer;
import org.ftl.backbone.Backbones;
import org.ftl.job.FtlConfig;
import org.ftl.data.DataListing;
import org.ftl.cost.Flops;
import org.ftl.data.InputShape;
import org.ftl.data.Preprocessing;
import org.ftl.infer.OnnxExport;
import org.ftl.head.Classifier;
import org.ftl.head.LogisticHead;
import org.ftl.backbone.ConvChain;
import org.ftl.report.MetricsCsv;
import org.ftl.report.MetricsRow;
import org.ftl.sweep.BestModel;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A finished run's winner and its f = 1 baseline, both as deployed (backbone + head), the way the sweep's
 * cost probe builds them, each as a DL4J network and as an ONNX graph: the winner is {@code best/model.zip} and
 * {@code best/model.onnx} (written from the zip for runs made before there was one); the baseline is the run's backbone
 * (from the settings snapshot {@code best/config.conf}: a model file, or the trained built-in in the backbone
 * cache), batch-norm folded, with a head of the same shape. The baseline's head weights are zeros, as in the sweep:
 * they do not change its time.
 *
 * @param winnerF1   the winner's test F1 from the run's metrics (NaN if not recorded)
 * @param baselineF1 the baseline's test F1 from the run's metrics.csv (NaN if not recorded)
 */
public record RunModels(Path run, String winnerId, MultiLayerNetwork winner, MultiLayerNetwork baseline, byte[] winnerOnnx,
                        byte[] baselineOnnx, InputShape input, double winnerF1, double baselineF1) {

    public long winnerParams() {
        return winner.numParams();
    }

    public long baselineParams() {
        return baseline.numParams();
    }

    public long winnerFlops() {
        return Flops.of(winner, input).total();
    }

    public long baselineFlops() {
        return Flops.of(baseline, input).total();
    }

    /** A backbone cache miss stops here rather than training a backbone for a benchmark. */
    private static final BackboneTrainer.Fitter NO_TRAINING = BackboneTrainer.cacheOnly(
            "ftl bench does not train one; pass a run whose backbone is cached");

    /** A run folder's path as the sweep reports it ({@code file:/…} or a plain path); local only. */
    public static Path localPath(String runPath) {
        if (runPath.startsWith("file:")) {
            return Path.of(URI.create(runPath));
        }
        if (runPath.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
            throw new FtlError(runPath + ": ftl bench times models in this JVM and reads local run folders only");
        }
        return Path.of(runPath);
    }

    public static RunModels load(Path run, Consumer<String> log) {
        Path best = run.resolve("best");
        BestModel.Loaded loaded = BestModel.load(best.toString(), new Configuration()); // refuses an unfinished run
        BestModel.Description d = loaded.description();
        Path snapshot = best.resolve(BestModel.CONFIG);
        if (!Files.isRegularFile(snapshot)) {
            throw new FtlError(best + ": no " + BestModel.CONFIG + ": the baseline is the run's backbone, named there");
        }
        // the snapshot alone: this process's FTL_DATA/FTL_RUNS must not point the baseline at other data
        FtlConfig config = FtlConfig.load(snapshot.toString(), List.of(), Map.of());
        InputShape input = config.input().shape();
        if (input.height() != d.height() || input.width() != d.width() || input.channels() != d.channels()) {
            throw new FtlError(best + ": " + BestModel.DESCRIPTION + " and " + BestModel.CONFIG + " disagree on the input size");
        }
        // folded like the sweep's f = 1 baseline (batch-norm in the conv weights), so both are timed the same way
        ConvChain backbone = org.ftl.prune.Folding.fold(baseline(config, log));
        List<String> classes = Classifier.load(best.resolve(BestModel.MODEL)).classes();
        int features = (int) config.features().mode().features(backbone.outputShape());
        MultiLayerNetwork baseline = Classifier.assemble(backbone, config.features().mode(),
                LogisticHead.zeros(features, classes.size()), classes).network();
        Preprocessing pre = config.input().preprocessing();
        Path onnx = best.resolve(BestModel.ONNX);
        byte[] winnerOnnx;
        try {
            winnerOnnx = Files.isRegularFile(onnx) ? Files.readAllBytes(onnx)
                    : OnnxExport.classifier(loaded.network(), input, pre, Map.of());
        } catch (IOException e) {
            throw new FtlError(onnx + ": cannot read: " + e.getMessage(), e);
        }
        // the baseline as the sweep's cost probe builds it: the folded backbone's feature graph and a zero head
        byte[] baselineOnnx = OnnxExport.withHead(OnnxExport.features(backbone.network(), input, pre, config.features().mode(),
                config.features().channelMultiple()), new double[classes.size()][features], new double[classes.size()], Map.of());
        return new RunModels(run, d.candidate(), loaded.network(), baseline, winnerOnnx, baselineOnnx, input,
                number(d.metrics().get("f1")), baselineF1(run));
    }

    private static ConvChain baseline(FtlConfig config, Consumer<String> log) {
        Backbones.Source source = Backbones.Source.parse(config.backbone().source());
        Configuration hadoop = new Configuration();
        if (!(source instanceof Backbones.Builtin b)) {
            return Backbones.load(source, config.input().shape(), hadoop);
        }
        // the data the backbone was trained on: backbone.pretrain.data's when set, as the sweep did
        DataListing listing = Backbones.trainingData(config.backboneRequest(), hadoop);
        return Backbones.trainOrReuse(config.backboneRequest(), b.architecture(), listing, hadoop, log, false, NO_TRAINING).backbone();
    }

    private static double baselineF1(Path run) {
        Path csv = run.resolve("metrics.csv");
        try {
            for (MetricsRow r : MetricsCsv.parse(Files.readAllBytes(csv))) {
                if (r.baseline()) {
                    return r.number(Metric.F1);
                }
            }
            return Double.NaN;
        } catch (IOException e) {
            throw new FtlError(csv + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static double number(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
