package org.ftl.cost;


import org.ftl.infer.OnnxModel;

import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * Median per-image latency of a candidate and its baseline at batch 1, on a fixed number of threads.
 *
 * <p>What is timed for two deployed models: one image through each as a device runs it, in ONNX Runtime (see
 * {@link #compare(byte[], byte[], float[])}); any other pair of inferences (the benchmarks' matrix products and
 * batches) through {@link #compare(Inference, Inference)}.
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
     * ND4J's thread settings are partly process-wide (see {@link Nd4jThreads}): two ND4J probes overlapping in one JVM
     * could restore each other's settings out of order. One at a time.
     */
    private static final Object ONE_PROBE_PER_JVM = new Object();

    private final CostSettings settings;
    private final LongSupplier nanoClock;
    private final ThreadPinning threads;

    public LatencyProbe(CostSettings settings) {
        this(settings, System::nanoTime, new Nd4jThreads());
    }

    /**
     * @param nanoClock a monotonic clock in nanoseconds ({@code System::nanoTime}; a scripted one in tests)
     * @param threads   sets and restores the inference thread count
     */
    public LatencyProbe(CostSettings settings, LongSupplier nanoClock, ThreadPinning threads) {
        this.settings = settings;
        this.nanoClock = nanoClock;
        this.threads = threads;
    }

    public CostSettings settings() {
        return settings;
    }

    /**
     * Latency of two ONNX models (classifiers as deployed) on the same image, each in ONNX Runtime as a device runs
     * it: {@code settings.threads()} intra-op threads, sequential execution, every graph optimisation, input and
     * output buffers made once.
     *
     * @param image one image as the models take it: channel-first pixels, C·H·W values
     */
    public Latency compare(byte[] candidate, byte[] baseline, float[] image) {
        try (OnnxModel c = OnnxModel.load(candidate, settings.threads());
             OnnxModel b = OnnxModel.load(baseline, settings.threads())) {
            return compare(c, b, image);
        }
    }

    /**
     * As {@link #compare(byte[], byte[], float[])} for models already loaded with the settings' thread count (a
     * baseline loaded once per executor, say). ONNX Runtime's threads are each session's own, so nothing is pinned and
     * probes of concurrent tasks do not wait for each other: each measures its two models alternately, which keeps
     * their ratio whatever the other core does.
     */
    public Latency compare(OnnxModel candidate, OnnxModel baseline, float[] image) {
        long[] shape = candidate.imageShape();
        if (image.length != shape[0] * shape[1] * shape[2] || !java.util.Arrays.equals(shape, baseline.imageShape())) {
            throw new IllegalArgumentException("latency is measured per image at batch 1: " + image.length
                    + " values for models taking " + java.util.Arrays.toString(shape) + " and "
                    + java.util.Arrays.toString(baseline.imageShape()));
        }
        try (OnnxModel.Batch cb = candidate.batch(1); OnnxModel.Batch bb = baseline.batch(1)) {
            cb.input().put(image);
            bb.input().put(image);
            return measure(new ModelRun(cb), new ModelRun(bb));
        }
    }

    /** A model's run on its image; its output is read so that no run is wasted work. */
    private static final class ModelRun implements Inference {
        private final OnnxModel.Batch batch;
        private double sink;

        ModelRun(OnnxModel.Batch batch) {
            this.batch = batch;
        }

        @Override
        public void run() {
            sink += batch.run().get(0);
        }
    }

    /**
     * Latency of two inferences, alternately, after warm-up, on the settings' thread count (ND4J's, set for the
     * calling thread and restored after; one such probe at a time per JVM).
     */
    public Latency compare(Inference candidate, Inference baseline) {
        synchronized (ONE_PROBE_PER_JVM) {
            try (ThreadPinning.Pin pinned = threads.pin(settings.threads())) {
                return measure(candidate, baseline);
            }
        }
    }

    /** Warm-up, then the two alternately until both the minimum count and the minimum time are reached. */
    private Latency measure(Inference candidate, Inference baseline) {
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
