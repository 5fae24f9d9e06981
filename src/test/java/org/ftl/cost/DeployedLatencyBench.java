package org.ftl.cost;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.ftl.backbone.Architecture;
import org.ftl.backbone.Backbones;
import org.ftl.data.InputShape;
import org.ftl.head.Classifier;
import org.ftl.head.FeatureMode;
import org.ftl.head.LogisticHead;
import org.ftl.prune.ConvChain;
import org.ftl.prune.Folding;
import org.ftl.prune.Surgery;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Issue 8's latency levers, not a test: the deployable network (conv chain + head, as the sweep's cost probe
 * and {@code ftl predict} run it) of the f = 1 baseline and of small variants, each lever measured alternately
 * against the other side by {@link LatencyProbe} on 1 thread. Run with
 * {@code mvn -o test -Dtest=DeployedLatencyBench -Dftl.bench=true [-Dftl.bench.backbone=FILE.zip]
 * [-Dftl.bench.size=64] [-Dftl.bench.width=0.5]}; prints lines and appends them to {@code target/cost-bench.txt}.
 */
class DeployedLatencyBench {
    private static final Path OUT = Path.of("target", "cost-bench.txt");

    @Test
    void foldedAgainstUnfolded() {
        Assumptions.assumeTrue(Boolean.getBoolean("ftl.bench"), "benchmark: -Dftl.bench=true");
        int size = Integer.getInteger("ftl.bench.size", 64);
        double width = Double.parseDouble(System.getProperty("ftl.bench.width", "0.5"));
        InputShape in = new InputShape(size, size, 3);
        String file = System.getProperty("ftl.bench.backbone");
        ConvChain chain = file != null ? ConvChain.load(Path.of(file), in)
                : Backbones.untrained(Architecture.ALEXNET, width, true, in, 1);
        INDArray image = Nets.image(in, 7).muli(255).subi(120);
        LatencySettings s = new LatencySettings(1, 20, 200, 3.0);
        report(String.format(Locale.ROOT, "machine: %d cores, load average %.1f; backbone %s, %dx%d, filters %s",
                Runtime.getRuntime().availableProcessors(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                file != null ? file : "untrained alexnet width " + width, size, size,
                java.util.Arrays.toString(chain.filterCounts())));

        org.ftl.prune.ConvChain foldedChain = Folding.fold(chain);
        INDArray batch = org.nd4j.linalg.factory.Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 16, 3, size, size)
                .muli(255).subi(120);
        INDArray expected = chain.output(batch);
        double err = org.nd4j.linalg.ops.transforms.Transforms.abs(expected.sub(foldedChain.output(batch))).maxNumber()
                .doubleValue() / expected.amaxNumber().doubleValue();
        report(String.format(Locale.ROOT, "folded vs unfolded maps on 16 random images: max relative error %.2e; layers %d -> %d",
                err, chain.network().getnLayers(), foldedChain.network().getnLayers()));
        MultiLayerNetwork base = deployable(chain);
        MultiLayerNetwork baseFolded = deployable(Folding.fold(chain));
        line("f=1 folded vs f=1 unfolded", new LatencyProbe(s).compare(baseFolded, base, image));
        for (double f : new double[] {0.5, 0.13, 0.05, 0.01}) {
            ConvChain v = Surgery.keep(chain, firstFilters(chain, f));
            MultiLayerNetwork vUnfolded = deployable(v);
            MultiLayerNetwork vFolded = deployable(Folding.fold(v));
            line(String.format(Locale.ROOT, "f=%.2f unfolded vs f=1 unfolded", f), new LatencyProbe(s).compare(vUnfolded, base, image));
            line(String.format(Locale.ROOT, "f=%.2f folded vs f=1 folded", f), new LatencyProbe(s).compare(vFolded, baseFolded, image));
            line(String.format(Locale.ROOT, "f=%.2f folded vs f=1 unfolded", f), new LatencyProbe(s).compare(vFolded, base, image));
        }
    }

    /** The folded networks run by DL4J's layers against the same networks run as an {@link OpProgram}. */
    @Test
    void opProgramAgainstDl4j() {
        Assumptions.assumeTrue(Boolean.getBoolean("ftl.bench"), "benchmark: -Dftl.bench=true");
        int size = Integer.getInteger("ftl.bench.size", 64);
        double width = Double.parseDouble(System.getProperty("ftl.bench.width", "0.5"));
        InputShape in = new InputShape(size, size, 3);
        String file = System.getProperty("ftl.bench.backbone");
        ConvChain chain = Folding.fold(file != null ? ConvChain.load(Path.of(file), in)
                : Backbones.untrained(Architecture.ALEXNET, width, true, in, 1));
        INDArray image = Nets.image(in, 7).muli(255).subi(120);
        LatencySettings s = new LatencySettings(1, 20, 200, 3.0);
        report(String.format(Locale.ROOT, "machine: %d cores, load average %.1f; folded backbone %s, %dx%d",
                Runtime.getRuntime().availableProcessors(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                file != null ? file : "untrained alexnet width " + width, size, size));
        MultiLayerNetwork base = deployable(chain);
        OpProgram baseOps = OpProgram.of(base, 3, size, size).orElseThrow();
        LatencyProbe.Inference baseDl4j = new NetworkInference(base, image, "bench-base");
        LatencyProbe.Inference baseProgram = () -> baseOps.output(image);
        line("f=1 ops vs f=1 dl4j", new LatencyProbe(s).compare(baseProgram, baseDl4j));
        for (double f : new double[] {0.5, 0.2, 0.13, 0.05, 0.01}) {
            MultiLayerNetwork v = deployable(Surgery.keep(chain, firstFilters(chain, f)));
            OpProgram vOps = OpProgram.of(v, 3, size, size).orElseThrow();
            LatencyProbe.Inference vProgram = () -> vOps.output(image);
            line(String.format(Locale.ROOT, "f=%.2f dl4j vs f=1 dl4j", f),
                    new LatencyProbe(s).compare(new NetworkInference(v, image, "bench-v"), baseDl4j));
            line(String.format(Locale.ROOT, "f=%.2f ops vs f=1 ops", f), new LatencyProbe(s).compare(vProgram, baseProgram));
        }
    }

    /**
     * Two threads extracting features at batch 32 at once, as two Spark tasks on a 2-core executor do, with ND4J on
     * 2 threads (its default here) and on 1 thread each; alternating rounds. Wall time and process CPU per round.
     */
    @Test
    void featureThroughputByTaskThreads() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("ftl.bench"), "benchmark: -Dftl.bench=true");
        InputShape in = new InputShape(64, 64, 3);
        String file = System.getProperty("ftl.bench.backbone");
        ConvChain chain = Folding.fold(file != null ? ConvChain.load(Path.of(file), in)
                : Backbones.untrained(Architecture.ALEXNET, 0.5, true, in, 1));
        List<ConvChain> variants = List.of(chain, Surgery.keep(chain, firstFilters(chain, 0.5)),
                Surgery.keep(chain, firstFilters(chain, 0.2)));
        INDArray batch = org.nd4j.linalg.factory.Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 32, 3, 64, 64).muli(255).subi(120);
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        report(String.format(Locale.ROOT, "feature threads: load average %.1f, ND4J at start %s", os.getSystemLoadAverage(), Nd4jThreads.current()));
        int start = Nd4jThreads.current().masterThreads();
        double[][] wall = new double[3][];
        double[][] cpu = new double[3][];
        int rounds = 4;
        for (int t = 1; t <= 2; t++) {
            wall[t] = new double[rounds];
            cpu[t] = new double[rounds];
        }
        for (int r = 0; r < rounds; r++) {
            for (int t = 1; t <= 2; t++) {
                final int threads = t;
                long c0 = os.getProcessCpuTime();
                long w0 = System.nanoTime();
                Thread[] workers = new Thread[2];
                for (int k = 0; k < 2; k++) {
                    ConvChain mine = ConvChain.fromBytes(variants.get(k % variants.size()).toBytes(), in);
                    workers[k] = new Thread(() -> {
                        Nd4jThreads.useForTask(threads);
                        for (int i = 0; i < 8; i++) {
                            for (ConvChain v : List.of(mine)) {
                                v.output(batch);
                            }
                        }
                    });
                    workers[k].start();
                }
                for (Thread w : workers) {
                    w.join();
                }
                wall[t][r] = (System.nanoTime() - w0) / 1e9;
                cpu[t][r] = (os.getProcessCpuTime() - c0) / 1e9;
            }
        }
        Nd4jThreads.useForTask(start);
        for (int t = 1; t <= 2; t++) {
            report(String.format(Locale.ROOT, "2 tasks x 8 batches of 32 on %d ND4J thread(s) each: wall median %.2f s, process CPU median %.2f s (rounds %s / %s)",
                    t, new Quantiles(wall[t]).median(), new Quantiles(cpu[t]).median(), java.util.Arrays.toString(wall[t]),
                    java.util.Arrays.toString(cpu[t])));
        }
    }

    private static MultiLayerNetwork deployable(ConvChain chain) {
        long d = FeatureMode.FLATTEN.features(chain.outputShape());
        return Classifier.assemble(chain, FeatureMode.FLATTEN, LogisticHead.zeros((int) d, 2), List.of("a", "b")).network();
    }

    private static List<int[]> firstFilters(ConvChain chain, double f) {
        return chain.blocks().stream()
                .map(b -> IntStream.range(0, Math.max(1, (int) Math.round(b.filters() * f))).toArray())
                .toList();
    }

    private static void line(String what, Latency l) {
        report(String.format(Locale.ROOT, "%s: %.3f ms (IQR %.3f) vs %.3f ms (IQR %.3f), ratio %.3f (x%.1f faster), %d reps",
                what, l.candidateMs(), l.candidateIqrMs(), l.baselineMs(), l.baselineIqrMs(), l.ratio(), 1 / l.ratio(),
                l.repetitions()));
    }

    private static void report(String line) {
        System.out.println("[deployed-bench] " + line);
        try {
            Files.createDirectories(OUT.getParent());
            Files.writeString(OUT, line + System.lineSeparator(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
