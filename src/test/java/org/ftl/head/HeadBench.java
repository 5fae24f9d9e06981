package org.ftl.head;

import org.ftl.job.FtlConfig;
import org.ftl.cost.Nd4jThreads;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Issue 15's measurement, not a test: where a candidate's head training spends its time, on real features
 * ({@link FeatureFile}s, e.g. from {@code HeadStageBench}). Per file: {@link HeadTrainer#train} timed whole, then
 * its fits done the same way (same folds, standardisation, warm starts along the C path, refit from zero) with the
 * objective counted and timed: L-BFGS iterations, objective evaluations, seconds inside the objective against
 * the fit's total (the rest is Breeze). One thread, as in a Spark task; times are the thread's CPU time.
 * {@code mvn -o test -Dtest=HeadBench -Dftl.bench=true -Dftl.bench.features=DIR [-Dftl.bench.rounds=5]}
 */
class HeadBench {
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    /**
     * This thread's CPU time, ns: on a machine shared with other work, wall time measures the neighbours too. ND4J
     * runs on one thread here ({@link Nd4jThreads#useForTask}), the calling one, so its GEMMs are counted.
     */
    static long now() {
        return THREADS.getCurrentThreadCpuTime();
    }

    private static final com.sun.management.OperatingSystemMXBean PROCESS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    /** The process's minor page faults so far: field 10 of /proc/self/stat. */
    static long minorFaults() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[7]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Counts and times the calls of an objective. */
    static final class Counted implements Lbfgs.Objective {
        final Lbfgs.Objective inner;
        int calls;
        long nanos;

        Counted(Lbfgs.Objective inner) {
            this.inner = inner;
        }

        @Override
        public double evaluate(double[] x, double[] gradient) {
            long t = now();
            double v = inner.evaluate(x, gradient);
            nanos += now() - t;
            calls++;
            return v;
        }
    }

    /** One C's fits over the folds (or the refit). */
    static final class Tally {
        int fits;
        int iterations;
        int evaluations;
        int maxIterationStops;
        double objectiveSeconds;
        double fitSeconds;

        void add(int iterations, int evaluations, boolean hitLimit, double objectiveSeconds, double fitSeconds) {
            fits++;
            this.iterations += iterations;
            this.evaluations += evaluations;
            maxIterationStops += hitLimit ? 1 : 0;
            this.objectiveSeconds += objectiveSeconds;
            this.fitSeconds += fitSeconds;
        }
    }

    @Test
    void headTrainingOnRealFeatures() throws IOException {
        Assumptions.assumeTrue(Boolean.getBoolean("ftl.bench"), "benchmark: -Dftl.bench=true");
        Path dir = Path.of(System.getProperty("ftl.bench.features", "target/features"));
        int rounds = Integer.getInteger("ftl.bench.rounds", 5);
        FtlConfig config = FtlConfig.load(System.getProperty("ftl.bench.conf", "demo"), List.of(), Map.of());
        HeadSettings settings = config.head();
        Nd4jThreads.useForTask(1);
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".features")).sorted().toList();
        }
        for (Path file : files) {
            FeatureFile ff = FeatureFile.read(file);
            LabelledFeatures data = ff.training();
            int positive = data.classes().indexOf(config.data().targetClass());
            HeadTrainer trainer = new HeadTrainer(settings);
            trainer.train(data, positive); // warm-up
            double[] whole = new double[rounds];
            double[] process = new double[rounds];
            double[] wall = new double[rounds];
            long[] faults = new long[rounds];
            TrainedHead fit = null;
            for (int r = 0; r < rounds; r++) {
                long t = now();
                long p = PROCESS.getProcessCpuTime();
                long w = System.nanoTime();
                long m = minorFaults();
                fit = trainer.train(data, positive);
                whole[r] = (now() - t) / 1e9;
                process[r] = (PROCESS.getProcessCpuTime() - p) / 1e9;
                wall[r] = (System.nanoTime() - w) / 1e9;
                faults[r] = minorFaults() - m;
            }
            Arrays.sort(whole);
            Arrays.sort(process);
            Arrays.sort(wall);
            Arrays.sort(faults);
            System.out.printf(Locale.ROOT, "%n%s: n = %d, d = %d, k = %d; HeadTrainer.train, median of %d: %.3f s thread CPU "
                            + "(min %.3f, max %.3f), %.3f s process CPU, %.3f s wall, %d minor page faults; chose C = %s%n",
                    file.getFileName(), data.size(), data.features().columns(), data.classCount(), rounds, whole[rounds / 2],
                    whole[0], whole[rounds - 1], process[rounds / 2], wall[rounds / 2], faults[rounds / 2], fit.cv().chosen());
            profile(data, settings, fit.cv().chosen());
            compareOrRecord(file, ff, settings, positive);
        }
    }

    /**
     * With {@code -Dftl.bench.reference=DIR}: the trainer's result on this file written there as a
     * {@link HeadReference} if it holds none yet, else compared with the one there (largest probability difference,
     * C and held-out scores).
     */
    private static void compareOrRecord(Path file, FeatureFile ff, HeadSettings settings, int positive) throws IOException {
        String dir = System.getProperty("ftl.bench.reference");
        if (dir == null) {
            return;
        }
        String name = file.getFileName().toString().replace(".features", "");
        HeadReference now = HeadReference.compute(new HeadReference.Case(name, () -> ff, settings, positive));
        Path json = Path.of(dir).resolve(name + ".json");
        if (!Files.exists(json)) {
            Files.createDirectories(json.getParent());
            HeadReference.MAPPER.writeValue(json.toFile(), now);
            System.out.println("  reference written: " + json);
            return;
        }
        HeadReference before = HeadReference.MAPPER.readValue(json.toFile(), HeadReference.class);
        double worst = 0;
        for (int i = 0; i < before.probabilities().length; i++) {
            for (int k = 0; k < before.probabilities()[i].length; k++) {
                worst = Math.max(worst, Math.abs(before.probabilities()[i][k] - now.probabilities()[i][k]));
            }
        }
        int foldsDiffering = 0;
        for (int i = 0; i < before.cv().size(); i++) {
            double[] a = before.cv().get(i).folds();
            double[] b = now.cv().get(i).folds();
            for (int f = 0; f < a.length; f++) {
                foldsDiffering += a[f] == b[f] ? 0 : 1;
            }
        }
        System.out.printf(Locale.ROOT, "  against %s: C %s -> %s, held-out scores differing %d, test accuracy %.4f -> %.4f, "
                        + "f1 %.4f -> %.4f, auc %.6f -> %.6f, largest probability difference %.3g, refit iterations %d -> %d%n",
                json, before.chosen(), now.chosen(), foldsDiffering, before.accuracy(), now.accuracy(), before.f1(), now.f1(),
                before.auc(), now.auc(), worst, before.iterations(), now.iterations());
    }

    /** The trainer's fits, one by one, with the objective counted; prints a line per C and the totals. */
    private static void profile(LabelledFeatures data, HeadSettings settings, double chosen) {
        int folds = settings.folds();
        StratifiedFolds.Layout layout = StratifiedFolds.layout(data.labels(), data.classes(), folds, settings.seed());
        Convergence convergence = Convergence.of(settings);
        List<Double> grid = settings.cGrid();
        Tally[] perC = new Tally[grid.size()];
        Arrays.setAll(perC, i -> new Tally());
        Tally refit = new Tally();
        long t0 = now();
        double standardizeSeconds = 0;
        double scoreSeconds = 0;
        try (Design design = Design.of(data, layout.order())) {
            double designSeconds = (now() - t0) / 1e9;
            for (int f = 0; f < folds; f++) {
                List<Rows> training = layout.training(f);
                Rows heldOut = layout.heldOut(f);
                long t = now();
                Standardization std = Standardization.fit(design, training);
                standardizeSeconds += (now() - t) / 1e9;
                double[] warm = null;
                for (int ci = 0; ci < grid.size(); ci++) {
                    t = now();
                    FitOutcome o = fit(design, training, grid.get(ci), std, convergence, warm);
                    perC[ci].add(o.result.iterations(), o.counted.calls, o.result.stop().contains("max iterations"),
                            o.counted.nanos / 1e9, (now() - t) / 1e9);
                    warm = o.warm;
                    t = now();
                    double[][] p;
                    try (SoftmaxObjective folded = new SoftmaxObjective(design, training, std, grid.get(ci))) {
                        p = folded.raw(o.warm).probabilities(design, heldOut);
                    }
                    Metrics.evaluate(Arrays.copyOfRange(design.labels(), heldOut.from(), heldOut.to()), p, 0);
                    scoreSeconds += (now() - t) / 1e9;
                }
            }
            List<Rows> all = List.of(new Rows(0, design.size()));
            long t = now();
            Standardization std = Standardization.fit(design, all);
            standardizeSeconds += (now() - t) / 1e9;
            t = now();
            FitOutcome o = fit(design, all, chosen, std, convergence, null);
            refit.add(o.result.iterations(), o.counted.calls, o.result.stop().contains("max iterations"),
                    o.counted.nanos / 1e9, (now() - t) / 1e9);
            System.out.println("  C          fits  iterations  evaluations  max-iter stops  objective s  fit s  "
                    + "µs/evaluation");
            Tally total = new Tally();
            for (int ci = 0; ci <= grid.size(); ci++) {
                Tally x = ci < grid.size() ? perC[ci] : refit;
                String name = ci < grid.size() ? String.valueOf(grid.get(ci)) : "refit " + chosen;
                System.out.printf(Locale.ROOT, "  %-13s %2d  %10d  %11d  %14d  %11.3f  %5.3f  %13.1f%n", name, x.fits,
                        x.iterations, x.evaluations, x.maxIterationStops, x.objectiveSeconds, x.fitSeconds,
                        1e6 * x.objectiveSeconds / Math.max(1, x.evaluations));
                total.fits += x.fits;
                total.iterations += x.iterations;
                total.evaluations += x.evaluations;
                total.maxIterationStops += x.maxIterationStops;
                total.objectiveSeconds += x.objectiveSeconds;
                total.fitSeconds += x.fitSeconds;
            }
            System.out.printf(Locale.ROOT, "  %-13s %2d  %10d  %11d  %14d  %11.3f  %5.3f  %13.1f%n", "total", total.fits,
                    total.iterations, total.evaluations, total.maxIterationStops, total.objectiveSeconds,
                    total.fitSeconds, 1e6 * total.objectiveSeconds / Math.max(1, total.evaluations));
            System.out.printf(Locale.ROOT, "  design copy %.4f s, standardisation %.4f s, held-out scoring %.4f s; "
                            + "inside L-BFGS but outside the objective (Breeze) %.3f s%n", designSeconds,
                    standardizeSeconds, scoreSeconds, total.fitSeconds - total.objectiveSeconds);
        }
    }

    private record FitOutcome(Lbfgs.Result result, Counted counted, double[] warm) {
    }

    /** What {@link LogisticHead#fit} does, with the objective counted. */
    private static FitOutcome fit(Design design, List<Rows> runs, double c, Standardization std, Convergence convergence,
                                  double[] start) {
        int k = design.classes();
        int d = design.features();
        double[] from = start != null ? start : new double[k * d + k];
        Counted objective;
        Lbfgs.Result result;
        try (SoftmaxObjective f = new SoftmaxObjective(design, runs, std, c)) {
            objective = new Counted(f);
            result = Lbfgs.minimize(objective, from, convergence);
        }
        double[] theta = result.x().clone();
        double shift = 0;
        for (int cl = 0; cl < k; cl++) {
            shift += theta[k * d + cl];
        }
        shift /= k;
        for (int cl = 0; cl < k; cl++) {
            theta[k * d + cl] -= shift;
        }
        return new FitOutcome(result, objective, theta);
    }
}
