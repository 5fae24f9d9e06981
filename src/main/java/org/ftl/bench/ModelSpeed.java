package org.ftl.bench;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.ftl.cost.Flops;
import org.ftl.cost.Latency;
import org.ftl.cost.LatencyProbe;
import org.ftl.cost.LatencySettings;
import org.ftl.cost.Nd4jThreads;
import org.ftl.data.InputShape;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

/**
 * The winner against its baseline, and both against a plain matrix product, all timed in this process with
 * {@link LatencyProbe} (warm-up first, then the two inferences of a pair alternately, medians):
 * <ul>
 *   <li>latency: one image, batch 1, one thread — the cheap edge device the method aims at;</li>
 *   <li>throughput: a batch of images on all the threads ND4J has — a server;</li>
 *   <li>FLOP/s: the network's FLOPs (as {@link Flops} counts them) over its time, against ND4J's matrix
 *       product in the im2col shape of the winner's costliest convolution, and a square one, on one thread
 *       and on all.</li>
 * </ul>
 * The four pairs run one after the other, and the whole set {@code rounds} times, so that a busy spell of a
 * shared machine falls on every figure rather than on one; each figure is the median over the rounds.
 */
public final class ModelSpeed {
    /**
     * @param rounds      times the four pairs are measured, interleaved
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

    /** One network's figures. FLOP/s in GFLOP/s: FLOPs per image × images per second / 1e9. */
    public record Network(String candidate, long params, long flops, double f1, double latencyMs, double latencyIqrMs,
                          double batchMs, double imagesPerSecond, double gflopsOneThread, double gflopsAllThreads) {
    }

    /** One matrix product's figures: milliseconds and GFLOP/s per call, on one thread and on all. */
    public record GemmFigure(String name, String source, long m, long k, long n, int threads, double ms, double gflops) {
    }

    /** One round's medians, in milliseconds. */
    public record Round(double winnerMs, double baselineMs, double winnerIqrMs, double baselineIqrMs,
                        double winnerBatchMs, double baselineBatchMs,
                        double gemmShapedOneMs, double gemmSquareOneMs, double gemmShapedAllMs, double gemmSquareAllMs,
                        int latencyRepetitions, int throughputRepetitions) {
    }

    /**
     * @param latencySpeedup      baseline latency / winner latency (the target: at least 10)
     * @param throughputRatio     winner images/s / baseline images/s
     * @param winnerShareOneThread  the winner's GFLOP/s on one thread / the shaped product's on one thread
     * @param winnerShareAllThreads the same on all threads (batch for the network, batch·M rows for the product)
     */
    public record Result(String run, int latencyThreads, int throughputThreads, int batch, Network winner, Network baseline,
                         double latencySpeedup, double latencySpeedupTarget, double throughputRatio, List<GemmFigure> gemm,
                         double winnerShareOneThread, double winnerShareAllThreads, double baselineShareOneThread,
                         double baselineShareAllThreads, Settings settings, List<Round> rounds) {
    }

    public static final double LATENCY_TARGET = 10.0;

    private ModelSpeed() {
    }

    /** The largest thread count ND4J can be given in this JVM. */
    public static int allThreads() {
        return Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), Nd4jThreads.ceiling()));
    }

    public static Result measure(RunModels models, Settings s, Consumer<String> progress) {
        InputShape in = models.input();
        INDArray batch = noise(s.batch(), in, s.seed());
        INDArray one = batch.get(NDArrayIndex.interval(0, 1), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all()).dup('c');
        BatchInference winnerBatch = new BatchInference(models.winner(), batch, "ftl-bench-winner-batch");
        BatchInference baselineBatch = new BatchInference(models.baseline(), batch, "ftl-bench-baseline-batch");
        Gemm.Shape shaped = Gemm.costliestConvolution(models.winner(), in);
        Gemm.Shape shapedBatch = shaped.batch(s.batch());
        Gemm.Shape square = Gemm.square(s.gemmSize());
        Gemm gemmShaped = new Gemm(shaped, s.seed());
        Gemm gemmShapedBatch = new Gemm(shapedBatch, s.seed());
        Gemm gemmSquare = new Gemm(square, s.seed());

        LatencyProbe single = new LatencyProbe(new LatencySettings(1, s.warmup(), s.repetitions(), s.minSeconds()));
        LatencyProbe all = new LatencyProbe(new LatencySettings(s.threads(), s.warmup(), s.repetitions(), s.minSeconds()));
        List<Round> rounds = new ArrayList<>();
        for (int r = 1; r <= s.rounds(); r++) {
            progress.accept(String.format(Locale.ROOT, "round %d/%d: latency (batch 1, 1 thread), throughput (batch %d, %d threads), "
                    + "matrix products", r, s.rounds(), s.batch(), s.threads()));
            Latency latency = single.compare(models.winner(), models.baseline(), one);
            Latency throughput = all.compare(winnerBatch, baselineBatch);
            Latency gemmOne = single.compare(gemmShaped, gemmSquare);
            Latency gemmAll = all.compare(gemmShapedBatch, gemmSquare);
            rounds.add(new Round(latency.candidateMs(), latency.baselineMs(), latency.candidateIqrMs(), latency.baselineIqrMs(),
                    throughput.candidateMs(), throughput.baselineMs(),
                    gemmOne.candidateMs(), gemmOne.baselineMs(), gemmAll.candidateMs(), gemmAll.baselineMs(),
                    latency.repetitions(), throughput.repetitions()));
        }

        List<GemmFigure> gemm = List.of(
                figure("im2col", shaped, 1, median(rounds, Round::gemmShapedOneMs)),
                figure("square", square, 1, median(rounds, Round::gemmSquareOneMs)),
                figure("im2col", shapedBatch, s.threads(), median(rounds, Round::gemmShapedAllMs)),
                figure("square", square, s.threads(), median(rounds, Round::gemmSquareAllMs)));
        Network winner = network(models.winnerId(), models.winner(), in, models.winnerF1(), median(rounds, Round::winnerMs),
                median(rounds, Round::winnerIqrMs), median(rounds, Round::winnerBatchMs), s.batch());
        Network baseline = network("baseline", models.baseline(), in, models.baselineF1(), median(rounds, Round::baselineMs),
                median(rounds, Round::baselineIqrMs), median(rounds, Round::baselineBatchMs), s.batch());
        return new Result(models.run().toString(), 1, s.threads(), s.batch(), winner, baseline,
                baseline.latencyMs() / winner.latencyMs(), LATENCY_TARGET, winner.imagesPerSecond() / baseline.imagesPerSecond(),
                gemm, winner.gflopsOneThread() / gemm.get(0).gflops(), winner.gflopsAllThreads() / gemm.get(2).gflops(),
                baseline.gflopsOneThread() / gemm.get(0).gflops(), baseline.gflopsAllThreads() / gemm.get(2).gflops(),
                s, List.copyOf(rounds));
    }

    private static Network network(String id, MultiLayerNetwork net, InputShape in, double f1, double latencyMs, double iqrMs,
                                   double batchMs, int batch) {
        long flops = Flops.of(net, in).total();
        double ips = batch * 1000.0 / batchMs;
        return new Network(id, net.numParams(), flops, f1, latencyMs, iqrMs, batchMs, ips,
                flops / (latencyMs / 1000.0) / 1e9, flops * ips / 1e9);
    }

    private static GemmFigure figure(String name, Gemm.Shape shape, int threads, double ms) {
        return new GemmFigure(name, shape.source(), shape.m(), shape.k(), shape.n(), threads, ms,
                shape.flops() / (ms / 1000.0) / 1e9);
    }

    /** A fixed noise batch: the networks take as long whatever the pixels are; the seed keeps runs alike. */
    static INDArray noise(int n, InputShape in, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * in.channels() * in.height() * in.width()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextDouble() * 255 - 128);
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
