package org.ftl.deploy;

import org.ftl.decide.Metric;
import org.apache.hadoop.conf.Configuration;
import org.ftl.FtlError;
import org.ftl.backbone.BackboneTrainer;
import org.ftl.backbone.Backbones;
import org.ftl.job.FtlConfig;
import org.ftl.cost.Flops;
import org.ftl.data.DataFiles;
import org.ftl.data.DataFingerprint;
import org.ftl.data.DataListing;
import org.ftl.data.ImageRef;
import org.ftl.data.ImageTensors;
import org.ftl.data.Images;
import org.ftl.data.InputShape;
import org.ftl.data.Preprocessing;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.ftl.head.Classifier;
import org.ftl.head.Evaluation;
import org.ftl.head.FeatureMatrix;
import org.ftl.head.HeadSettings;
import org.ftl.head.HeadTrainer;
import org.ftl.head.HeadTrainingImages;
import org.ftl.head.LabelledFeatures;
import org.ftl.head.LogisticHead;
import org.ftl.head.Metrics;
import org.ftl.infer.OnnxExport;
import org.ftl.infer.OnnxModel;
import org.ftl.backbone.ConvChain;
import org.ftl.prune.Criteria;
import org.ftl.prune.FilterCriterion;
import org.ftl.prune.Folding;
import org.ftl.prune.Pruner;
import org.ftl.prune.SegmentedSet;
import org.ftl.report.MetricsCsv;
import org.ftl.report.MetricsRow;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Any candidate of a finished run as a deployable ONNX model, made again from the run's own record: its settings
 * snapshot ({@code best/config.conf}), the backbone from the cache, the same data (checked by fingerprint), the
 * candidate pruned again (pruning is deterministic: the parameter count must come out as the run's), its features
 * extracted in ONNX Runtime as the sweep extracts them, and its head refitted with the C the run's cross-validation
 * chose. The refitted head is tested on {@code evaluation/} again, and its F1 must be the run's.
 *
 * <p>Spark-free: one candidate is a few seconds of work in this JVM.
 */
public final class CandidateExport {
    /**
     * @param onnx    the model file's bytes
     * @param network the same classifier as a DL4J network (what best/model.zip holds for a winner)
     * @param f1      the refitted head's F1 on evaluation/, {@code runF1} the run's for the same candidate
     */
    public record Exported(String candidate, byte[] onnx, MultiLayerNetwork network, long params, long flops, double f1,
                           double runF1, List<String> labels) {
    }

    /** A backbone cache miss stops: an export never trains a backbone. */
    private static final BackboneTrainer.Fitter CACHE_ONLY = BackboneTrainer.cacheOnly(
            "ftl export does not train one; the run's backbone must still be in backbone.cache");

    private CandidateExport() {
    }

    /**
     * @param run       a finished run folder (any Hadoop path)
     * @param candidate a candidate id of its metrics.csv; null for the winner (rank 1)
     */
    public static Exported export(String run, String candidate, Configuration hadoop, Consumer<String> log) {
        if (!DataFiles.exists(DataFiles.child(run, "_SUCCESS"), hadoop)) {
            throw new FtlError(run + ": not a finished run (no _SUCCESS): only finished runs are exported");
        }
        MetricsRow row = row(run, candidate, hadoop);
        String snapshot = DataFiles.child(DataFiles.child(run, "best"), "config.conf");
        if (!DataFiles.isFile(snapshot, hadoop)) {
            throw new FtlError(run + ": no best/config.conf: the run's settings are needed to make its candidates again");
        }
        FtlConfig config = FtlConfig.load(snapshot, List.of(), Map.of());
        InputShape input = config.input().shape();
        DataListing listing = DataListing.scan(config.data().root(), config.data().imageExtensions(), hadoop);
        checkFingerprint(run, listing, hadoop);
        ConvChain backbone = Backbones.resolve(config.backboneRequest(), listing, hadoop, log, CACHE_ONLY);

        ConvChain chain = Folding.fold(row.baseline() ? backbone : prune(backbone, row, config, listing, hadoop));
        long params = chain.parameters();
        if (params != (long) row.number(Metric.PARAMS)) {
            throw new FtlError(row.candidate() + ": pruned again it has " + params + " parameters, the run's has "
                    + (long) row.number(Metric.PARAMS) + ": the backbone or the settings changed since the run");
        }
        byte[] features = OnnxExport.features(chain.network(), input, config.input().preprocessing(), config.features().mode(),
                config.features().channelMultiple());
        // the images the sweep's heads were trained on (head.train-fraction of each class, the same seeded choice)
        List<ImageRef> headImages = HeadTrainingImages.choose(listing.dataset(),
                config.head().trainFraction(), config.head().folds(), config.seed(), listing.root());
        log.accept("features of " + headImages.size() + " training and " + listing.evaluation().size()
                + " evaluation images in ONNX Runtime");
        LabelledFeatures training;
        LabelledFeatures evaluation;
        try (OnnxModel model = OnnxModel.load(features, 1)) {
            training = features(model, headImages, listing.classes(), input, config.features().batchSize(), hadoop);
            evaluation = features(model, listing.evaluation(), listing.classes(), input, config.features().batchSize(), hadoop);
        }
        double c = row.number(Metric.HEAD_C);
        // a grid of the one C the run chose: the same folds, order and refit as the sweep's head task
        HeadSettings chosen = config.head().withGrid(List.of(c));
        int positive = listing.classes().indexOf(config.data().targetClass());
        LogisticHead head = new HeadTrainer(chosen).train(training, positive).head();
        Evaluation e = Metrics.evaluate(evaluation.labels(), head.probabilities(evaluation.features()), positive);
        byte[] onnx = OnnxExport.withHead(features, head.rawCoefficients(), head.rawIntercepts(),
                Deployed.metadata(row.candidate(), listing.classes(), input, config.input().preprocessing()));
        long flops = Flops.classifier(chain.network(), input, config.features().mode(), listing.classes().size());
        MultiLayerNetwork network = Classifier.assemble(chain, config.features().mode(), head, listing.classes()).network();
        return new Exported(row.candidate(), onnx, network, params, flops, e.f1(), row.number(Metric.F1), listing.classes());
    }

    private static MetricsRow row(String run, String candidate, Configuration hadoop) {
        List<MetricsRow> rows = MetricsCsv.parse(DataFiles.read(DataFiles.child(run, "metrics.csv"), hadoop));
        for (MetricsRow r : rows) {
            if (candidate == null ? r.rank() == 1 : r.candidate().equals(candidate)) {
                if (!r.ok()) {
                    throw new FtlError(run + ": candidate " + r.candidate() + " failed in the run (" + r.text(Metric.ERROR) + ")");
                }
                return r;
            }
        }
        if (candidate == null) {
            throw new FtlError(run + "/metrics.csv: no candidate of rank 1");
        }
        List<String> ids = rows.stream().map(MetricsRow::candidate).toList();
        throw new FtlError(run + ": no candidate " + candidate + " (" + ids.size() + " candidates, e.g. "
                + String.join(", ", ids.subList(0, Math.min(5, ids.size()))) + ")");
    }

    /** The data must be the run's: other images would give another head. */
    private static void checkFingerprint(String run, DataListing listing, Configuration hadoop) {
        String json = new String(DataFiles.read(DataFiles.child(run, "run.json"), hadoop), java.nio.charset.StandardCharsets.UTF_8);
        String theirs;
        try {
            theirs = org.ftl.Json.MAPPER.readTree(json).path("dataFingerprint").asText("");
        } catch (java.io.IOException e) {
            throw new FtlError(run + "/run.json: not the JSON expected: " + e.getMessage(), e);
        }
        String ours = DataFingerprint.of(listing, hadoop);
        if (!ours.equals(theirs)) {
            throw new FtlError(listing.root() + ": the data changed since the run (fingerprint " + ours.substring(0, 12)
                    + ", the run's " + (theirs.length() >= 12 ? theirs.substring(0, 12) : "unknown") + ")");
        }
    }

    private static ConvChain prune(ConvChain backbone, MetricsRow row, FtlConfig config, DataListing listing,
                                   Configuration hadoop) {
        FilterCriterion criterion = Criteria.create(row.criterion(), config.criteriaRequest());
        SegmentedSet segmented = null;
        if (criterion.needsActivations()) {
            segmented = Criteria.segmented(config.criteriaRequest(), listing, hadoop).set();
        }
        return new Pruner(backbone, criterion, segmented, config.prune().keepRule(), config.prune().magnitude()).prune(row.number(Metric.LEAVE_FACTOR)).chain();
    }

    /** Images decoded and resized as the sweep does, their features from the model, labelled by class. */
    private static LabelledFeatures features(OnnxModel model, List<ImageRef> images, List<String> classes, InputShape shape,
                                             int batchSize, Configuration hadoop) {
        int per = shape.channels() * shape.height() * shape.width();
        List<float[]> read = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (ImageRef r : images) {
            try {
                byte[] pixels = ImageTensors.pixels(Images.decode(DataFiles.read(r.path(), hadoop), r.path()), shape);
                float[] x = new float[per];
                Preprocessing.NONE.apply(pixels, shape.channels(), x, 0);
                read.add(x);
                labels.add(classes.indexOf(r.className()));
            } catch (RuntimeException e) {
                // the sweep left such an image out too (and listed it in run.json)
            }
        }
        float[] all = new float[read.size() * per];
        for (int i = 0; i < read.size(); i++) {
            System.arraycopy(read.get(i), 0, all, i * per, per);
        }
        float[] values = model.run(all, read.size(), batchSize);
        return new LabelledFeatures(new FeatureMatrix(values, read.size(), Math.toIntExact(model.outputWidth())),
                labels.stream().mapToInt(Integer::intValue).toArray(), classes);
    }
}
