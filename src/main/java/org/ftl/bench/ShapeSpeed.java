package org.ftl.bench;

import org.ftl.decide.Metric;
import org.ftl.report.MetricsRow;
import org.ftl.FtlError;
import org.ftl.backbone.Architecture;
import org.ftl.backbone.Backbones;
import org.ftl.job.FtlConfig;
import org.ftl.config.SettingOverride;
import org.ftl.cost.Latency;
import org.ftl.cost.LatencyProbe;
import org.ftl.cost.CostSettings;
import org.ftl.data.InputShape;
import org.ftl.head.LogisticHead;
import org.ftl.infer.OnnxExport;
import org.ftl.infer.OnnxModel;
import org.ftl.backbone.ConvChain;
import org.ftl.prune.Folding;
import org.ftl.sweep.SweepJob;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * How fast a backbone of a given shape runs, whatever its weights: a built-in architecture at a width and input size
 * (e.g. {@code vgg16:0.2:224}, a VGG16-shaped network of 3.4 GFLOPs per image) with freshly initialised weights.
 * Two figures, each against the matrix product this machine gives:
 * <ul>
 *   <li>its classifier at batch 1 on one thread in ONNX Runtime (the deployed engine), in GFLOP/s, against the
 *       one-thread square product;</li>
 *   <li>a real sweep of a few candidates with it as the backbone, on the profile's data resized to the size: the
 *       FLOPs its feature stage computed (every candidate's FLOPs per image times the images) over that stage's wall
 *       time as Spark timed it, against the product on all threads.</li>
 * </ul>
 *
 * @param latencyGflops   FLOPs per image / latency, on one thread at batch 1
 * @param featureGflops   the feature stage's FLOPs / its wall time
 * @param gemmOneThread   GFLOP/s of the square product on one thread, {@code gemmAllThreads} on all
 */
public record ShapeSpeed(String shape, InputShape input, long baselineParams, long baselineFlops, double latencyMs,
                         double latencyGflops, double latencyTarget, double gemmOneThread, int candidates, int images,
                         double featureSeconds, double featureFlops, double featureGflops, double gemmAllThreads,
                         double featureShare, double featureShareTarget, String run) {

    /** Issue 14's targets: the baseline at batch 1 on one thread at least 40 GFLOP/s; features at least half the product. */
    public static final double LATENCY_TARGET = 40.0;
    public static final double FEATURE_SHARE_TARGET = 0.5;
    /** Leave factors of the shape's sweep besides the baseline. */
    static final List<Double> FACTORS = List.of(0.25, 0.5, 0.75);

    public static ShapeSpeed measure(String shape, Function<List<SettingOverride>, FtlConfig> config, Path out, ModelSpeed.Settings s,
                                     PrintStream console, Consumer<String> progress) {
        String[] p = shape.split(":");
        if (p.length != 3) {
            throw new FtlError("--shape " + shape + ": ARCH:WIDTH:SIZE, e.g. vgg16:0.2:224");
        }
        Architecture arch;
        double width;
        int size;
        try {
            arch = Architecture.parse(p[0]);
            width = Double.parseDouble(p[1]);
            size = Integer.parseInt(p[2]);
        } catch (IllegalArgumentException e) {
            throw new FtlError("--shape " + shape + ": ARCH:WIDTH:SIZE, e.g. vgg16:0.2:224 (" + e.getMessage() + ")");
        }
        FtlConfig base = config.apply(List.of(SettingOverride.option("input.size", String.valueOf(size), "--shape")));
        InputShape in = base.input().shape();
        ConvChain untrained = Backbones.untrained(arch, width, base.backbone().batchNorm(), in, s.seed());
        Path file = out.toAbsolutePath().resolve(String.format(Locale.ROOT, "shape-%s-%s-%d.zip", arch.configName(), p[1], size));
        try {
            Files.createDirectories(file.getParent());
        } catch (java.io.IOException e) {
            throw new FtlError(file.getParent() + ": cannot create: " + e.getMessage(), e);
        }
        untrained.save(file);

        // 1. the deployed classifier at batch 1, one thread, alternating with the one-thread product
        ConvChain folded = Folding.fold(untrained);
        byte[] features = OnnxExport.features(folded.network(), in, base.input().preprocessing(), base.features().mode(),
                base.features().channelMultiple());
        int d = Math.toIntExact(OnnxExport.outputWidth(features));
        byte[] classifier = OnnxExport.withHead(features, LogisticHead.zeros(d, 2).rawCoefficients(), new double[2], Map.of());
        long flops = org.ftl.cost.Flops.classifier(folded.network(), in, base.features().mode(), 2);
        progress.accept(String.format(Locale.ROOT, "shape %s: %,d parameters, %,d FLOPs per image; latency at batch 1",
                shape, folded.parameters(), flops));
        Gemm square = new Gemm(Gemm.square(s.gemmSize()), s.seed());
        LatencyProbe one = new LatencyProbe(new CostSettings(1, s.warmup(), s.repetitions(), s.minSeconds()));
        LatencyProbe all = new LatencyProbe(new CostSettings(s.threads(), s.warmup(), s.repetitions(), s.minSeconds()));
        List<Double> latency = new ArrayList<>();
        List<Double> gemmOne = new ArrayList<>();
        List<Double> gemmAll = new ArrayList<>();
        float[] image = ModelSpeed.noise(1, in, s.seed()).dup('c').data().asFloat();
        try (OnnxModel m = OnnxModel.load(classifier, 1); OnnxModel.Batch b = m.batch(1)) {
            b.input().put(image);
            double[] sink = new double[1];
            for (int r = 0; r < s.rounds(); r++) {
                Latency l = one.compare(() -> sink[0] += b.run().get(0), square);
                latency.add(l.candidateMs());
                gemmOne.add(l.baselineMs());
                gemmAll.add(all.compare(square, square).candidateMs());
            }
        }
        double ms = median(latency);
        double gemmFlops = 2.0 * s.gemmSize() * s.gemmSize() * s.gemmSize();

        // 2. a sweep of a few candidates with it: the feature stage's FLOP/s
        List<String> factors = new ArrayList<>(FACTORS.stream().map(f -> String.format(Locale.ROOT, "%.2f", f)).toList());
        factors.add("1.00");
        FtlConfig sweep = config.apply(List.of(SettingOverride.option("name", "bench-shape", "--shape"),
                SettingOverride.option("input.size", String.valueOf(size), "--shape"),
                SettingOverride.option("backbone.source", file.toString(), "--shape"),
                SettingOverride.option("prune.criteria", "[iou]", "--shape"),
                SettingOverride.option("prune.factors", "[" + String.join(", ", factors) + "]", "--shape")));
        progress.accept("shape " + shape + ": a sweep of " + factors.size() + " candidates with it as the backbone");
        SweepJob.Result r = new SweepJob(sweep, console).run();
        double featureSeconds = r.sparkStageSeconds().getOrDefault("features", Double.NaN);
        double total = 0;
        int images = 0;
        int candidates = 0;
        for (MetricsRow row : r.ranked()) {
            if (!row.ok()) {
                continue;
            }
            images = (int) (row.number(Metric.TRAIN_IMAGES) + row.number(Metric.EVALUATION_IMAGES));
            total += row.number(Metric.FLOPS) * images;
            candidates++;
        }
        double featureGflops = total / featureSeconds / 1e9;
        double allGflops = gemmFlops / (median(gemmAll) / 1000) / 1e9;
        return new ShapeSpeed(shape, in, folded.parameters(), flops, ms, flops / (ms / 1000) / 1e9, LATENCY_TARGET,
                gemmFlops / (median(gemmOne) / 1000) / 1e9, candidates, images, featureSeconds, total, featureGflops,
                allGflops, featureGflops / allGflops, FEATURE_SHARE_TARGET, r.run().path());
    }

    private static double median(List<Double> v) {
        return ModelSpeed.median(v.stream().mapToDouble(Double::doubleValue).toArray());
    }
}
