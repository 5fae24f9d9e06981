package org.ftl.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What {@code ftl bench} found, as written to its JSON file (one per run, named by date and commit, so that
 * results of different commits sit side by side) and printed as tables.
 *
 * @param schema          the file format's name and version
 * @param commit          the source's git commit, when the installation is a git checkout (else null)
 * @param commitDirty     whether the checkout had uncommitted changes to tracked files (null without git)
 * @param loadAverageStart the machine's 1/5/15-minute load average when the benchmark started: other work
 *                        on the machine slows every figure
 * @param sweeps          null with --skip-sweeps
 * @param candidate       one more candidate of the timed run against the baseline (--candidate); null without
 * @param shape           a backbone shape's speed (--shape); null without
 */
public record BenchReport(String schema, String started, String finished, String commit, Boolean commitDirty,
                          String ftlVersion, Map<String, String> versions, MachineFacts machine,
                          List<Double> loadAverageStart, List<Double> loadAverageEnd, Sweeps sweeps, ModelSpeed.Result models,
                          CandidateSpeed candidate, ShapeSpeed shape) {

    public static final String SCHEMA = "ftl-bench/2";

    /**
     * @param candidates        what a candidate count means (see {@link SweepScaling})
     * @param sparkStartSeconds starting the Spark session, before and outside every sweep
     * @param costRatio         cost(largest)/cost(smallest); null with a single sweep
     */
    public record Sweeps(String candidates, String order, double sparkStartSeconds, List<SweepScaling.Point> points,
                         SweepScaling.Ratio costRatio) {
    }

    public void print(PrintWriter out) {
        out.println();
        out.printf(Locale.ROOT, "ftl bench %s, commit %s%s, %s%n", started, commit == null ? "unknown" : commit,
                Boolean.TRUE.equals(commitDirty) ? " (uncommitted changes)" : "", machine.describe());
        out.printf(Locale.ROOT, "load average (1/5/15 min): %s at the start, %s at the end%n", load(loadAverageStart),
                load(loadAverageEnd));
        if (sweeps != null) {
            printSweeps(out);
        }
        if (models != null) {
            printModels(out);
        }
        if (candidate != null) {
            printCandidate(out);
        }
        if (shape != null) {
            printShape(out);
        }
        out.flush();
    }

    private void printSweeps(PrintWriter out) {
        out.println();
        out.printf(Locale.ROOT, "1. sweep wall time per stage, seconds (N candidates: the f = 1 baseline and N-1 iou leave factors; "
                + "Spark start-up %.1f s, not included)%n", sweeps.sparkStartSeconds());
        Set<String> stages = new LinkedHashSet<>();
        sweeps.points().forEach(p -> stages.addAll(p.stageSeconds().keySet()));
        List<String> header = new ArrayList<>(List.of("candidates", "plan"));
        header.addAll(stages);
        List<List<String>> rows = new ArrayList<>();
        for (SweepScaling.Point p : sweeps.points()) {
            List<String> row = new ArrayList<>(List.of(String.valueOf(p.candidates()), String.valueOf(p.planSize())));
            for (String s : stages) {
                Double v = p.stageSeconds().get(s);
                row.add(v == null ? "-" : String.format(Locale.ROOT, "%.1f", v));
            }
            rows.add(row);
        }
        table(out, header, rows);
        SweepScaling.Ratio r = sweeps.costRatio();
        if (r != null) {
            out.printf(Locale.ROOT, "cost(%d)/cost(%d) = %.1fx (total wall time; target <= %.0fx for 100 against 1): %s%n",
                    r.toCandidates(), r.fromCandidates(), r.ratio(), r.target(), r.met() ? "met" : "NOT met");
        }
        printUsage(out);
        for (SweepScaling.Point p : sweeps.points()) {
            if (p.failed() > 0) {
                out.printf(Locale.ROOT, "sweep of %d: %d candidate(s) failed (see %s/metrics.csv)%n", p.candidates(),
                        p.failed(), p.run());
            }
        }
    }

    /** Per sweep and stage: CPU against wall time, peak resident set and page faults (run.json's stageUsage). */
    private void printUsage(PrintWriter out) {
        out.println();
        out.println("   per stage: the JVM's CPU time (all threads; system part), its largest resident set during the stage"
                + " and page faults");
        List<List<String>> rows = new ArrayList<>();
        for (SweepScaling.Point p : sweeps.points()) {
            if (p.stageUsage() == null) {
                continue;
            }
            p.stageUsage().forEach((stage, u) -> rows.add(List.of(String.valueOf(p.candidates()), stage,
                    num(u.wallSeconds(), 1), u.cpuSeconds() == null ? "-" : num(u.cpuSeconds(), 1),
                    u.systemCpuSeconds() == null ? "-" : num(u.systemCpuSeconds(), 1),
                    u.peakResidentBytes() == null ? "-" : num(u.peakResidentBytes() / 1048576.0, 0),
                    u.minorFaults() == null ? "-" : String.format(Locale.ROOT, "%,d", u.minorFaults()),
                    u.majorFaults() == null ? "-" : String.valueOf(u.majorFaults()))));
        }
        table(out, List.of("candidates", "stage", "wall s", "CPU s", "system s", "peak RSS MB", "minor faults",
                "major faults"), rows);
    }

    private void printModels(PrintWriter out) {
        ModelSpeed.Result m = models;
        ModelSpeed.Network w = m.winner();
        ModelSpeed.Network b = m.baseline();
        out.println();
        out.printf(Locale.ROOT, "2. the winner %s against the baseline (run %s; medians of %d round(s))%n", w.candidate(),
                m.run(), m.rounds().size());
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("parameters", String.format(Locale.ROOT, "%,d", w.params()), String.format(Locale.ROOT, "%,d", b.params()),
                ratio((double) w.params() / b.params())));
        rows.add(List.of("FLOPs per image", String.format(Locale.ROOT, "%,d", w.flops()), String.format(Locale.ROOT, "%,d", b.flops()),
                ratio((double) w.flops() / b.flops())));
        rows.add(List.of("test F1", num(w.f1(), 4), num(b.f1(), 4), String.format(Locale.ROOT, "%+.4f", w.f1() - b.f1())));
        for (ModelSpeed.Engine e : ModelSpeed.Engine.values()) {
            ModelSpeed.Speed ws = w.in(e);
            ModelSpeed.Speed bs = b.in(e);
            rows.add(List.of(e.key() + ": latency ms (batch 1, 1 thread)", num(ws.latencyMs(), 3), num(bs.latencyMs(), 3),
                    ratio(ws.latencyMs() / bs.latencyMs())));
            rows.add(List.of("  its interquartile range, ms", num(ws.latencyIqrMs(), 3), num(bs.latencyIqrMs(), 3), ""));
            rows.add(List.of(String.format(Locale.ROOT, "%s: images/s (batch %d, %d threads)", e.key(), m.batch(),
                    m.throughputThreads()), num(ws.imagesPerSecond(), 1), num(bs.imagesPerSecond(), 1),
                    ratio(ws.imagesPerSecond() / bs.imagesPerSecond())));
        }
        table(out, List.of("", "winner", "baseline", "winner/baseline"), rows);
        out.printf(Locale.ROOT, "deployed (onnxruntime): the winner is %.1fx faster than the baseline at batch 1 (target >= %.0fx): %s;"
                        + " latency ratio %.3f against FLOPs ratio %.3f = %.2f times (latency follows FLOPs at <= %.2f): %s%n",
                m.latencySpeedup(), m.latencySpeedupTarget(), m.latencySpeedup() >= m.latencySpeedupTarget() ? "met" : "NOT met",
                m.latencyRatio(), m.flopsRatio(), m.latencyRatio() / m.flopsRatio(), ModelSpeed.FOLLOWS_FLOPS,
                m.latencyRatio() <= ModelSpeed.FOLLOWS_FLOPS * m.flopsRatio() ? "met" : "NOT met");
        ModelSpeed.Speed wo = w.in(ModelSpeed.Engine.ONNX_RUNTIME);
        ModelSpeed.Speed wd = w.in(ModelSpeed.Engine.DL4J);
        ModelSpeed.Speed bo = b.in(ModelSpeed.Engine.ONNX_RUNTIME);
        ModelSpeed.Speed bd = b.in(ModelSpeed.Engine.DL4J);
        out.printf(Locale.ROOT, "onnxruntime against dl4j: batch 1 %.1fx (winner) %.1fx (baseline), batch %d %.1fx %.1fx%n",
                wd.latencyMs() / wo.latencyMs(), bd.latencyMs() / bo.latencyMs(), m.batch(),
                wo.imagesPerSecond() / wd.imagesPerSecond(), bo.imagesPerSecond() / bd.imagesPerSecond());

        out.println();
        out.printf(Locale.ROOT, "3. achieved GFLOP/s against ND4J's matrix product (single precision)%n");
        List<List<String>> g = new ArrayList<>();
        for (ModelSpeed.Engine e : ModelSpeed.Engine.values()) {
            g.add(List.of("winner " + w.candidate() + ", " + e.key(), num(w.in(e).gflopsOneThread(), 2), num(w.in(e).gflopsAllThreads(), 2)));
            g.add(List.of("baseline, " + e.key(), num(b.in(e).gflopsOneThread(), 2), num(b.in(e).gflopsAllThreads(), 2)));
        }
        ModelSpeed.GemmFigure imOne = m.gemm().get(0);
        ModelSpeed.GemmFigure sqOne = m.gemm().get(1);
        ModelSpeed.GemmFigure imAll = m.gemm().get(2);
        ModelSpeed.GemmFigure sqAll = m.gemm().get(3);
        g.add(List.of(String.format(Locale.ROOT, "gemm %dx%dx%d / %dx%dx%d (%s)", imOne.m(), imOne.k(), imOne.n(), imAll.m(),
                imAll.k(), imAll.n(), imOne.source()), num(imOne.gflops(), 2), num(imAll.gflops(), 2)));
        g.add(List.of(String.format(Locale.ROOT, "gemm %dx%dx%d (square)", sqOne.m(), sqOne.k(), sqOne.n()),
                num(sqOne.gflops(), 2), num(sqAll.gflops(), 2)));
        g.add(List.of("winner (onnxruntime) / im2col gemm", percent(m.winnerShareOneThread()), percent(m.winnerShareAllThreads())));
        g.add(List.of("baseline (onnxruntime) / im2col gemm", percent(m.baselineShareOneThread()), percent(m.baselineShareAllThreads())));
        g.add(List.of("winner (onnxruntime) / square gemm", percent(wo.gflopsOneThread() / sqOne.gflops()),
                percent(wo.gflopsAllThreads() / sqAll.gflops())));
        table(out, List.of("", "1 thread, batch 1", m.throughputThreads() + " threads, batch " + m.batch()), g);
    }

    private void printCandidate(PrintWriter out) {
        CandidateSpeed c = candidate;
        out.println();
        out.printf(Locale.ROOT, "4. %s against the baseline, as deployed (onnxruntime, batch 1, 1 thread; medians of %d round(s))%n",
                c.candidate(), c.rounds().size());
        table(out, List.of("", c.candidate(), "baseline", "ratio"), List.of(
                List.of("parameters", String.format(Locale.ROOT, "%,d", c.params()),
                        String.format(Locale.ROOT, "%,d", models.baseline().params()), ""),
                List.of("FLOPs per image", String.format(Locale.ROOT, "%,d", c.flops()),
                        String.format(Locale.ROOT, "%,d", models.baseline().flops()), ratio(c.flopsRatio())),
                List.of("latency ms", num(c.latencyMs(), 4), num(c.baselineLatencyMs(), 4),
                        ratio(c.latencyMs() / c.baselineLatencyMs()))));
        out.printf(Locale.ROOT, "%s is %.1fx faster than the baseline (target >= %.0fx): %s%n", c.candidate(), c.speedup(),
                c.target(), c.speedup() >= c.target() ? "met" : "NOT met");
    }

    private void printShape(PrintWriter out) {
        ShapeSpeed s = shape;
        out.println();
        out.printf(Locale.ROOT, "5. backbone shape %s (%dx%dx%d, untrained weights: speed does not depend on them)%n", s.shape(),
                s.input().height(), s.input().width(), s.input().channels());
        table(out, List.of("", "value", "reference", "share", "target"), List.of(
                List.of(String.format(Locale.ROOT, "baseline, batch 1, 1 thread: %,d FLOPs in %.2f ms, GFLOP/s", s.baselineFlops(),
                        s.latencyMs()), num(s.latencyGflops(), 1), num(s.gemmOneThread(), 1) + " (1-thread gemm)",
                        percent(s.latencyGflops() / s.gemmOneThread()), ">= " + num(s.latencyTarget(), 0) + " GFLOP/s: "
                                + (s.latencyGflops() >= s.latencyTarget() ? "met" : "NOT met")),
                List.of(String.format(Locale.ROOT, "sweep features: %d candidates x %d images, %.3g FLOP in %.1f s, GFLOP/s",
                        s.candidates(), s.images(), s.featureFlops(), s.featureSeconds()), num(s.featureGflops(), 1),
                        num(s.gemmAllThreads(), 1) + " (all-thread gemm)", percent(s.featureShare()),
                        ">= " + percent(s.featureShareTarget()) + ": " + (s.featureShare() >= s.featureShareTarget() ? "met" : "NOT met"))));
    }

    private static String load(List<Double> l) {
        return l.stream().map(d -> String.format(Locale.ROOT, "%.2f", d)).reduce((a, b) -> a + " " + b).orElse("?");
    }

    private static String num(double v, int decimals) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static String ratio(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "x%.3f", v);
    }

    private static String percent(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f %%", 100 * v);
    }

    /** Left-aligned first column, the others right-aligned, each as wide as its widest cell. */
    static void table(PrintWriter out, List<String> header, List<List<String>> rows) {
        int[] width = new int[header.size()];
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        for (List<String> r : all) {
            for (int i = 0; i < r.size(); i++) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        for (List<String> r : all) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.size(); i++) {
                String cell = r.get(i);
                String pad = " ".repeat(width[i] - cell.length());
                line.append(i == 0 ? cell + pad : "  " + pad + cell);
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
