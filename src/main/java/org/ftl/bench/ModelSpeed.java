package org.ftl.bench;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.ftl.cost.Latency;
import org.ftl.cost.LatencyProbe;
import org.ftl.cost.CostSettings;
import org.ftl.cost.Nd4jThreads;
import org.ftl.data.InputShape;
import org.ftl.infer.OnnxModel;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

/**
 * The winner against its baseline in both engines FTL has — ONNX Runtime running {@code model.onnx} (what a device
 * runs, and what the sweep's features and latency use) and DL4J running {@code model.zip} — and both against a plain
 * matrix product, all timed in this process with {@link LatencyProbe} (warm-up first, then the two inferences of a
 * pair alternately, medians):
 * <ul>
 *   <li>latency: one image, batch 1, one thread — the cheap edge device the method aims at;</li>
 *   <li>throughput: a batch of images on all the threads — a server, and the sweep's feature extraction;</li>
 *   <li>FLOP/s: the network's FLOPs over its time, against ND4J's matrix product in the im2col shape of the winner's
 *       costliest convolution, and a square one, on one thread and on all.</li>
 * </ul>
 * Every pair runs one after the other, and the whole set {@code rounds} times, so that a busy spell of a shared
 * machine falls on every figure rather than on one; each figure is the median over the rounds.
 */
public final class ModelSpeed {
    /** The engines compared. */
    public enum Engine {
        /** ONNX Runtime on the exported graph: intra-op threads as asked, sequential, every optimisation. */
        ONNX_RUNTIME("onnxruntime"),
        /** Deeplearning4j's forward pass of the same network (model.zip), ND4J's threads as asked. */
        DL4J("dl4j");

        private final String key;

        Engine(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }
    }

    /**
     * @param rounds      times the pairs are measured, interleaved
     * @param warmup      untimed runs of each inference before each pair
     * @param repetitions timed runs of each inference per pair at least
     * @param minSeconds  and at least this long per pair
     * @param batch       images per forward pass for throughput
     * @param threads     threads for throughput and the all-core product (at most ND4J's ceiling)
     * @param gemmSize    n of the square n×n×n product
     */
    public record Settings(int rounds, int warmup, int repetitions, double minSeconds, int batch, int threads,
                           int gemmSize, long seed) {
        public Settings {
            if (rounds < 1 || repetitions < 1 || warmup < 0 || !(minSeconds >= 0) || batch < 1 || threads < 1 || gemmSize < 1) {
                throw new IllegalArgumentException("bench settings out of range: " + this);
            }
        }
    }

    /** One network's figures in one engine. FLOP/s in GFLOP/s: FLOPs per image × images per second / 1e9. */
    public record Speed(double latencyMs, double latencyIqrMs, double batchMs, double imagesPerSecond,
                        double gflopsOneThread, double gflopsAllThreads) {
    }

    /** One network's figures, per engine (keyed by {@link Engine#key()}). */
    public record Network(String candidate, long params, long flops, double f1, Map<String, Speed> engines) {
        public Speed in(Engine e) {
            return engines.get(e.key());
        }
    }

    /** One matrix product's figures: milliseconds and GFLOP/s per call, on one thread and on all. */
    public record GemmFigure(String name, String source, long m, long k, long n, int threads, double ms, double gflops) {
    }

    /** One round's medians, in milliseconds, per engine; then the products. */
    public record Round(Map<String, double[]> winner, Map<String, double[]> baseline, double gemmShapedOneMs,
                        double gemmSquareOneMs, double gemmShapedAllMs, double gemmSquareAllMs) {
    }

    /**
     * @param latencySpeedup      baseline latency / winner latency in ONNX Runtime (the deployed engine)
     * @param latencyRatio        winner / baseline latency in ONNX Runtime, and {@code flopsRatio} its FLOPs ratio:
     *                            latency follows FLOPs when the first is at most {@link #FOLLOWS_FLOPS} times the second
     * @param winnerShareOneThread  the winner's GFLOP/s in ONNX Runtime on one thread / the shaped product's
     * @param winnerShareAllThreads the same on all threads (batch for the network, batch·M rows for the product)
     */
    public record Result(String run, int latencyThreads, int throughputThreads, int batch, Network winner, Network baseline,
                         double latencySpeedup, double latencySpeedupTarget, double latencyRatio, double flopsRatio,
                         double throughputRatio, List<GemmFigure> gemm, double winnerShareOneThread,
                         double winnerShareAllThreads, double baselineShareOneThread, double baselineShareAllThreads,
                         Settings settings, List<Round> rounds) {
    }

    public static final double LATENCY_TARGET = 10.0;
    /** Latency follows FLOPs when the latency ratio is at most this times the FLOPs ratio (issue 14's target). */
    public static final double FOLLOWS_FLOPS = 1.25;

    private ModelSpeed() {
    }

    /** The largest thread count ND4J can be given in this JVM. */
    public static int allThreads() {
        return Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), Nd4jThreads.ceiling()));
    }

    public static Result measure(RunModels models, Settings s, Consumer<String> progress) {
        InputShape in = models.input();
        INDArray batch = noise(s.batch(), in, s.seed());
        float[] pixels = batch.dup('c').data().asFloat();
        Gemm.Shape shaped = Gemm.costliestConvolution(models.winner(), in);
        Gemm.Shape shapedBatch = shaped.batch(s.batch());
        Gemm.Shape square = Gemm.square(s.gemmSize());
        Gemm gemmShaped = new Gemm(shaped, s.seed());
        Gemm gemmShapedBatch = new Gemm(shapedBatch, s.seed());
        Gemm gemmSquare = new Gemm(square, s.seed());
        LatencyProbe single = new LatencyProbe(new CostSettings(1, s.warmup(), s.repetitions(), s.minSeconds()));
        LatencyProbe all = new LatencyProbe(new CostSettings(s.threads(), s.warmup(), s.repetitions(), s.minSeconds()));

        try (Pair ortOne = Pair.onnx(models, 1, 1, pixels); Pair ortBatch = Pair.onnx(models, s.threads(), s.batch(), pixels)) {
            Pair dl4jOne = Pair.dl4j(models, batch, 1);
            Pair dl4jBatch = Pair.dl4j(models, batch, s.batch());
            List<Round> rounds = new ArrayList<>();
            for (int r = 1; r <= s.rounds(); r++) {
                progress.accept(String.format(Locale.ROOT, "round %d/%d: latency (batch 1, 1 thread) and throughput (batch %d, "
                        + "%d threads) in ONNX Runtime and DL4J, matrix products", r, s.rounds(), s.batch(), s.threads()));
                Map<String, double[]> w = new LinkedHashMap<>();
                Map<String, double[]> b = new LinkedHashMap<>();
                for (Engine e : Engine.values()) {
                    Latency one = single.compare(e == Engine.ONNX_RUNTIME ? ortOne.winner : dl4jOne.winner,
                            e == Engine.ONNX_RUNTIME ? ortOne.baseline : dl4jOne.baseline);
                    Latency many = all.compare(e == Engine.ONNX_RUNTIME ? ortBatch.winner : dl4jBatch.winner,
                            e == Engine.ONNX_RUNTIME ? ortBatch.baseline : dl4jBatch.baseline);
                    w.put(e.key(), new double[] {one.candidateMs(), one.candidateIqrMs(), many.candidateMs()});
                    b.put(e.key(), new double[] {one.baselineMs(), one.baselineIqrMs(), many.baselineMs()});
                }
                Latency gemmOne = single.compare(gemmShaped, gemmSquare);
                Latency gemmAll = all.compare(gemmShapedBatch, gemmSquare);
                rounds.add(new Round(w, b, gemmOne.candidateMs(), gemmOne.baselineMs(), gemmAll.candidateMs(),
                        gemmAll.baselineMs()));
            }
            List<GemmFigure> gemm = List.of(
                    figure("im2col", shaped, 1, median(rounds, Round::gemmShapedOneMs)),
                    figure("square", square, 1, median(rounds, Round::gemmSquareOneMs)),
                    figure("im2col", shapedBatch, s.threads(), median(rounds, Round::gemmShapedAllMs)),
                    figure("square", square, s.threads(), median(rounds, Round::gemmSquareAllMs)));
            Network winner = network(models.winnerId(), models.winnerParams(), models.winnerFlops(), models.winnerF1(),
                    rounds, Round::winner, s.batch());
            Network baseline = network("baseline", models.baselineParams(), models.baselineFlops(), models.baselineF1(),
                    rounds, Round::baseline, s.batch());
            Speed wo = winner.in(Engine.ONNX_RUNTIME);
            Speed bo = baseline.in(Engine.ONNX_RUNTIME);
            return new Result(models.run().toString(), 1, s.threads(), s.batch(), winner, baseline,
                    bo.latencyMs() / wo.latencyMs(), LATENCY_TARGET, wo.latencyMs() / bo.latencyMs(),
                    (double) winner.flops() / baseline.flops(), wo.imagesPerSecond() / bo.imagesPerSecond(), gemm,
                    wo.gflopsOneThread() / gemm.get(0).gflops(), wo.gflopsAllThreads() / gemm.get(2).gflops(),
                    bo.gflopsOneThread() / gemm.get(0).gflops(), bo.gflopsAllThreads() / gemm.get(2).gflops(),
                    s, List.copyOf(rounds));
        }
    }

    /** The winner's and the baseline's inference in one engine at one batch size. */
    private record Pair(LatencyProbe.Inference winner, LatencyProbe.Inference baseline, AutoCloseable... resources)
            implements AutoCloseable {
        static Pair onnx(RunModels m, int threads, int batch, float[] pixels) {
            OnnxModel w = OnnxModel.load(m.winnerOnnx(), threads);
            OnnxModel b = OnnxModel.load(m.baselineOnnx(), threads);
            OnnxModel.Batch wb = w.batch(batch);
            OnnxModel.Batch bb = b.batch(batch);
            int n = batch * m.input().channels() * m.input().height() * m.input().width();
            wb.input().put(pixels, 0, n);
            bb.input().put(pixels, 0, n);
            double[] sink = new double[1];
            return new Pair(() -> sink[0] += wb.run().get(0), () -> sink[0] += bb.run().get(0), wb, bb, w, b);
        }

        static Pair dl4j(RunModels m, INDArray images, int batch) {
            INDArray x = images.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, batch)).dup('c');
            return new Pair(new BatchInference(m.winner(), x, "ftl-bench-winner-" + batch),
                    new BatchInference(m.baseline(), x, "ftl-bench-baseline-" + batch));
        }

        @Override
        public void close() {
            for (AutoCloseable r : resources) {
                try {
                    r.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private static Network network(String id, long params, long flops, double f1, List<Round> rounds,
                                   java.util.function.Function<Round, Map<String, double[]>> of, int batch) {
        Map<String, Speed> engines = new LinkedHashMap<>();
        for (Engine e : Engine.values()) {
            double latency = median(rounds, r -> of.apply(r).get(e.key())[0]);
            double iqr = median(rounds, r -> of.apply(r).get(e.key())[1]);
            double batchMs = median(rounds, r -> of.apply(r).get(e.key())[2]);
            double ips = batch * 1000.0 / batchMs;
            engines.put(e.key(), new Speed(latency, iqr, batchMs, ips, flops / (latency / 1000.0) / 1e9, flops * ips / 1e9));
        }
        return new Network(id, params, flops, f1, engines);
    }

    private static GemmFigure figure(String name, Gemm.Shape shape, int threads, double ms) {
        return new GemmFigure(name, shape.source(), shape.m(), shape.k(), shape.n(), threads, ms,
                shape.flops() / (ms / 1000.0) / 1e9);
    }

    /** A fixed noise batch of pixels 0–255: the networks take as long whatever the pixels are; the seed keeps runs alike. */
    static INDArray noise(int n, InputShape in, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * in.channels() * in.height() * in.width()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.floor(r.nextDouble() * 256);
        }
        return Nd4j.create(x, new long[] {n, in.channels(), in.height(), in.width()}, 'c');
    }

    static double median(List<Round> rounds, ToDoubleFunction<Round> f) {
        return median(rounds.stream().mapToDouble(f).toArray());
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
