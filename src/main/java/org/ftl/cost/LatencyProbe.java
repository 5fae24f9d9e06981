package org.ftl.cost;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * Median per-image latency of a candidate and its baseline at batch 1, on a fixed number of threads.
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
        NetworkInference c = new NetworkInference(candidate, image, "ftl-latency-candidate");
        NetworkInference b = new NetworkInference(baseline, image, "ftl-latency-baseline");
        return compare(c, b);
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
