package org.ftl.cost;

import org.ftl.FtlError;
import org.nd4j.linalg.api.blas.Blas;
import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * The thread count of ND4J's CPU backend (nd4j-native 1.0.0-M2.1), set at run time.
 *
 * <p>What actually takes effect in this version (read from its sources and checked by measurement, see
 * {@code LatencyBenchmarkTest}): inference runs on three independent pools, and each has its own knob.
 * <ul>
 *   <li>libnd4j's own loops (im2col, batch-norm, activations, pooling, copies) split work into
 *       {@code Environment.maxMasterThreads()} chunks, run as an OpenMP parallel region of the
 *       <em>calling thread's</em> OpenMP team size. Both must be lowered: {@code setMaxMasterThreads}
 *       (process-wide) and {@code NativeOps.setOmpNumThreads} (omp_set_num_threads: this thread only).</li>
 *   <li>Matrix products (the bulk of a conv layer after im2col) go to OpenBLAS, whose thread count is the
 *       process-wide {@code blas_set_num_threads}, reached through {@link Blas#setMaxThreads}.</li>
 *   <li>{@code Environment.setMaxThreads} is a no-op in M2.1 (commented out in libnd4j). The ceiling
 *       {@code maxThreads()} is fixed at start-up from {@code OMP_NUM_THREADS}, {@code SD_MAX_THREADS} or
 *       the core count, and {@code setMaxMasterThreads} is capped by it: more threads than the JVM started
 *       with cannot be had at run time, so such a request is refused rather than silently lowered.</li>
 * </ul>
 * Two of the three knobs are process-wide: while a pin is held, any other thread's ND4J work in this JVM
 * (another Spark task on the same executor) runs on the pinned count too. {@link LatencyProbe} holds pins
 * one at a time per JVM so that two probes never restore each other's settings out of order.
 */
public final class Nd4jThreads implements ThreadPinning {
    public Nd4jThreads() {
    }

    /** The three knobs' values. */
    public record Setting(int masterThreads, int blasThreads, int ompThreads) {
        @Override
        public String toString() {
            return "libnd4j master threads " + masterThreads + ", OpenBLAS threads " + blasThreads
                    + ", OpenMP threads of this thread " + ompThreads;
        }
    }

    /** The current values, as the libraries report them. */
    public static Setting current() {
        return new Setting(environment().maxMasterThreads(), blas().getMaxThreads(), nativeOps().ompGetMaxThreads());
    }

    /** The ceiling fixed when ND4J started (see the class comment). */
    public static int ceiling() {
        return environment().maxThreads();
    }

    @Override
    public Pin pin(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1: " + threads);
        }
        int ceiling = ceiling();
        if (threads > ceiling) {
            throw new FtlError("cannot measure latency on " + threads + " threads: ND4J started with at most "
                    + ceiling + " (OMP_NUM_THREADS, SD_MAX_THREADS or the core count at JVM start-up)");
        }
        Setting before = current();
        apply(new Setting(threads, threads, threads));
        Setting now = current();
        if (now.masterThreads() != threads || now.blasThreads() != threads || now.ompThreads() != threads) {
            apply(before);
            throw new IllegalStateException("ND4J did not take the thread count " + threads + ": " + now);
        }
        return () -> apply(before);
    }

    /**
     * Sets the thread count for ND4J work from now on, without a pin to restore: for a Spark task, whose share of
     * the executor's cores is fixed ({@code spark.task.cpus}). With every core running a task, each task on more
     * threads than its share only makes OpenMP and OpenBLAS workers wait for each other. Capped at the ceiling.
     */
    public static void useForTask(int threads) {
        int t = Math.max(1, Math.min(threads, ceiling()));
        Setting now = current();
        if (now.masterThreads() != t || now.blasThreads() != t || now.ompThreads() != t) {
            apply(new Setting(t, t, t));
        }
    }

    /** Puts back a setting read with {@link #current()} (the OpenMP count of the calling thread only). */
    public static void restore(Setting s) {
        apply(s);
    }

    private static void apply(Setting s) {
        environment().setMaxMasterThreads(s.masterThreads());
        blas().setMaxThreads(s.blasThreads());
        nativeOps().setOmpNumThreads(s.ompThreads());
    }

    private static Environment environment() {
        return Nd4j.getEnvironment();
    }

    private static Blas blas() {
        return Nd4j.factory().blas();
    }

    private static NativeOps nativeOps() {
        return NativeOpsHolder.getInstance().getDeviceNativeOps();
    }
}
