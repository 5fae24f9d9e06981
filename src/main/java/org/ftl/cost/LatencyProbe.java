package org.ftl.cost;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * Median per-image latency of a candidate and its baseline at batch 1, on a fixed number of threads.
 *
 * <p>What is timed for two DL4J networks: one image through each as {@code ftl predict} runs it — an
 * {@link OpProgram} (the network's own weights through libnd4j's im2col, OpenBLAS's GEMM, pooling and softmax,
 * buffers reused) when both networks are made of layers a program runs, which FTL's folded variants with their
 * heads are; otherwise DL4J's {@code output} for both. Never one path for the candidate and another for the baseline.
 *
 * <p>The two are run <em>alternately</em> (candidate, baseline, candidate, baseline, …) in this process,
 * so that whatever else the machine does meanwhile (other Spark tasks, other users, frequency scaling)
 * slows both alike and the ratio survives it. Warm-up runs come first, untimed. Timed runs go on until
 * both a minimum count and a minimum time are reached: slow networks get the count, fast ones the time.
 */
public final class LatencyProbe {
    /** One inference on one image: what the probe times. */
    @FunctionalInterface
    public interface Inference {
        void run();
    }

    /**
     * Thread settings are partly process-wide (see {@link Nd4jThreads}): two probes overlapping in one JVM
     * would time each other and could restore each other's settings out of order. One at a time.
     */
    private static final Object ONE_PROBE_PER_JVM = new Object();

    private final LatencySettings settings;
    private final LongSupplier nanoClock;
    private final ThreadPinning threads;

    public LatencyProbe(LatencySettings settings) {
        this(settings, System::nanoTime, new Nd4jThreads());
    }

    /**
     * @param nanoClock a monotonic clock in nanoseconds ({@code System::nanoTime}; a scripted one in tests)
     * @param threads   sets and restores the inference thread count
     */
    public LatencyProbe(LatencySettings settings, LongSupplier nanoClock, ThreadPinning threads) {
        this.settings = settings;
        this.nanoClock = nanoClock;
        this.threads = threads;
    }

    public LatencySettings settings() {
        return settings;
    }

    /**
     * Latency of two networks on the same image.
     *
     * @param image one image as the networks take it, batch 1 ([1, C, H, W] for the conv backbones)
     */
    public Latency compare(MultiLayerNetwork candidate, MultiLayerNetwork baseline, INDArray image) {
        // both through the same path: as op programs (what ftl predict runs) when both networks are ones a
        // program runs, otherwise both through DL4J's layers
        long[] s = image.shape();
        if (s.length == 4) {
            java.util.Optional<OpProgram> c = OpProgram.of(candidate, s[1], s[2], s[3]);
            java.util.Optional<OpProgram> b = OpProgram.of(baseline, s[1], s[2], s[3]);
            if (c.isPresent() && b.isPresent()) {
                return compare(new ProgramInference(c.get(), image), new ProgramInference(b.get(), image));
            }
        }
        NetworkInference c = new NetworkInference(candidate, image, "ftl-latency-candidate");
        NetworkInference b = new NetworkInference(baseline, image, "ftl-latency-baseline");
        return compare(c, b);
    }

    /** A program's run on one image; its output is read so that no run is wasted work. */
    private static final class ProgramInference implements Inference {
        private final OpProgram program;
        private final INDArray image;
        private double sink;

        ProgramInference(OpProgram program, INDArray image) {
            this.program = program;
            INDArray x = image.dataType() == org.nd4j.linalg.api.buffer.DataType.FLOAT ? image
                    : image.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT);
            this.image = x.isView() || x.ordering() != 'c' ? x.dup('c') : x;
        }

        @Override
        public void run() {
            sink += program.output(image).getDouble(0);
        }
    }

    /** Latency of two inferences, alternately, after warm-up, on the settings' thread count. */
    public Latency compare(Inference candidate, Inference baseline) {
        synchronized (ONE_PROBE_PER_JVM) {
            try (ThreadPinning.Pin pinned = threads.pin(settings.threads())) {
                for (int i = 0; i < settings.warmup(); i++) {
                    candidate.run();
                    baseline.run();
                }
                Timings c = new Timings();
                Timings b = new Timings();
                long minNanos = Math.round(settings.minSeconds() * 1e9);
                long start = nanoClock.getAsLong();
                int repetitions = 0;
                while (repetitions < settings.minRepetitions() || nanoClock.getAsLong() - start < minNanos) {
                    c.add(time(candidate));
                    b.add(time(baseline));
                    repetitions++;
                }
                Quantiles cq = new Quantiles(c.millis());
                Quantiles bq = new Quantiles(b.millis());
                double cMs = cq.median();
                double bMs = bq.median();
                return new Latency(cMs, bMs, cMs / bMs, repetitions, cq.iqr(), bq.iqr(), settings.threads());
            }
        }
    }

    private long time(Inference inference) {
        long t0 = nanoClock.getAsLong();
        inference.run();
        return nanoClock.getAsLong() - t0;
    }

    /** Nanosecond timings, kept as primitives so that recording a run allocates (almost) nothing. */
    private static final class Timings {
        private long[] nanos = new long[64];
        private int n;

        void add(long t) {
            if (n == nanos.length) {
                nanos = Arrays.copyOf(nanos, 2 * n);
            }
            nanos[n++] = t;
        }

        double[] millis() {
            double[] ms = new double[n];
            for (int i = 0; i < n; i++) {
                ms[i] = nanos[i] / 1e6;
            }
            return ms;
        }
    }
}
