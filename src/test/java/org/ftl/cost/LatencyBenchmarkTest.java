package org.ftl.cost;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.ftl.backbone.Architecture;
import org.ftl.data.InputShape;
import org.ftl.prune.ConvChain;
import org.ftl.prune.Surgery;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Real numbers on this machine, not a test: skipped unless run with {@code -Dftl.bench=true}, e.g.
 * {@code mvn -B -q -o test -Dtest='LatencyBenchmark*' -Dftl.bench=true}. Prints to stdout and appends to
 * {@code target/cost-bench.txt}. Nothing is asserted on times.
 */
@Tag("bench")
class LatencyBenchmarkTest {
    private static final InputShape IN = new InputShape(64, 64, 3);
    private static final Path OUT = Path.of("target", "cost-bench.txt");

    /** Per test rather than per class, so that surefire lists the benchmarks as skipped. */
    private static void onlyWhenAskedFor() {
        Assumptions.assumeTrue(Boolean.getBoolean("ftl.bench"), "benchmark: run with -Dftl.bench=true");
    }

    /**
     * Does pinning take effect? Wall time alone cannot tell on a shared machine (another process may hold
     * the second core), so the CPU the whole process burns is compared with the CPU of the calling
     * thread: about 1 when the work stays on the caller, towards 2 when a second thread shares it.
     */
    @Test
    void threadPinningTakesEffect() {
        onlyWhenAskedFor();
        Assumptions.assumeTrue(Nd4jThreads.ceiling() >= 2, "ND4J started with 1 thread");
        INDArray a = Nd4j.rand(DataType.FLOAT, 1024, 1024);
        INDArray b = Nd4j.rand(DataType.FLOAT, 1024, 1024);
        INDArray c = Nd4j.create(DataType.FLOAT, 1024, 1024);
        INDArray big = Nd4j.rand(DataType.FLOAT, 8_000_000);
        INDArray out = big.ulike();
        report("ND4J at start: " + Nd4jThreads.current() + "; ceiling " + Nd4jThreads.ceiling());
        report(parallelism("matmul 1024x1024 (OpenBLAS sgemm)", () -> a.mmuli(b, c)));
        report(parallelism("tanh of 8M floats (libnd4j loop)", () -> Nd4j.getExecutioner().exec(new Tanh(big, out))));
    }

    private static String parallelism(String what, Runnable op) {
        ThreadMXBean tm = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        int rounds = 6;
        int perRound = 10;
        double[][] wall = new double[3][rounds * perRound];
        long[] processCpu = new long[3];
        long[] callerCpu = new long[3];
        Nd4jThreads threads = new Nd4jThreads();
        for (int round = 0; round < rounds; round++) {
            for (int t = 1; t <= 2; t++) { // alternating, as the probe does, so load changes hit both alike
                try (ThreadPinning.Pin pin = threads.pin(t)) {
                    op.run(); // warm-up after switching
                    // OpenBLAS's idle workers spin for a while before they sleep: left running from the
                    // 2-thread round they would bill CPU to the 1-thread round without sharing its work
                    sleep(300);
                    long p0 = os.getProcessCpuTime();
                    long c0 = tm.getCurrentThreadCpuTime();
                    for (int i = 0; i < perRound; i++) {
                        long w0 = System.nanoTime();
                        op.run();
                        wall[t][round * perRound + i] = (System.nanoTime() - w0) / 1e6;
                    }
                    processCpu[t] += os.getProcessCpuTime() - p0;
                    callerCpu[t] += tm.getCurrentThreadCpuTime() - c0;
                }
            }
        }
        double m1 = new Quantiles(wall[1]).median();
        double m2 = new Quantiles(wall[2]).median();
        return String.format(Locale.ROOT,
                "%s: 1 thread %.1f ms (process/caller CPU %.2f), 2 threads %.1f ms (process/caller CPU %.2f), speed-up %.2f",
                what, m1, (double) processCpu[1] / callerCpu[1], m2, (double) processCpu[2] / callerCpu[2], m1 / m2);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The built-in AlexNet conv part at 64×64 against variants keeping the first f of every layer's filters. */
    @Test
    void alexnetConvPartAgainstLeaveFactorOneTenth() {
        onlyWhenAskedFor();
        MultiLayerNetwork full = Nets.backbone(Architecture.ALEXNET, 1.0, IN);
        ConvChain baseline = ConvChain.of(full, IN);
        INDArray image = Nets.image(IN, 7).muli(255);
        report("machine: " + Runtime.getRuntime().availableProcessors() + " cores, load average "
                + ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        for (double f : new double[] {0.1, 0.01}) {
            ConvChain variant = Surgery.keep(baseline, firstFilters(baseline, f));
            for (int threads : new int[] {1, 2}) {
                if (threads > Nd4jThreads.ceiling()) {
                    continue;
                }
                LatencySettings s = new LatencySettings(threads, LatencySettings.DEFAULTS.warmup(),
                        LatencySettings.DEFAULTS.minRepetitions(), LatencySettings.DEFAULTS.minSeconds());
                Latency l = new LatencyProbe(s).compare(variant.network(), baseline.network(), image);
                report(String.format(Locale.ROOT,
                        "alexnet 64x64 conv part, f=%.2f filters %s vs f=1 %s, %d thread(s): %.3f ms (IQR %.3f) vs %.3f ms (IQR %.3f),"
                                + " latency_ratio %.3f, %d repetitions; flops %d vs %d (ratio %.4f); params %d vs %d (ratio %.4f);"
                                + " size %d vs %d bytes",
                        f, java.util.Arrays.toString(variant.filterCounts()), java.util.Arrays.toString(baseline.filterCounts()),
                        threads, l.candidateMs(), l.candidateIqrMs(), l.baselineMs(), l.baselineIqrMs(), l.ratio(),
                        l.repetitions(), Flops.of(variant.network(), IN).total(), Flops.of(baseline.network(), IN).total(),
                        (double) Flops.of(variant.network(), IN).total() / Flops.of(baseline.network(), IN).total(),
                        variant.parameters(), baseline.parameters(), (double) variant.parameters() / baseline.parameters(),
                        ModelSize.of(variant.network()).serializedBytes(), ModelSize.of(baseline.network()).serializedBytes()));
            }
        }
    }

    /** The leave factor's count, max(1, round(n·f)), taken as the first filters: the cost does not care which. */
    private static List<int[]> firstFilters(ConvChain chain, double f) {
        return chain.blocks().stream()
                .map(b -> IntStream.range(0, Math.max(1, (int) Math.round(b.filters() * f))).toArray())
                .toList();
    }

    private static void report(String line) {
        System.out.println("[cost-bench] " + line);
        try {
            Files.createDirectories(OUT.getParent());
            Files.writeString(OUT, line + System.lineSeparator(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
