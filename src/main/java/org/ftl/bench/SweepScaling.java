package org.ftl.bench;

import org.ftl.job.FtlConfig;
import org.ftl.config.SettingOverride;
import org.ftl.sweep.CandidatePlan;
import org.ftl.runs.StageUsage;
import org.ftl.sweep.SweepJob;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * How a sweep's wall time grows with its candidates: the real {@link SweepJob}, once per candidate count,
 * in this JVM's Spark session.
 *
 * <p>"N candidates" counts the rows of the sweep's metrics table, as the method does (0.01, 0.02, … 1.00 is
 * its 100 candidates, f = 1 being the unpruned baseline): the f = 1 baseline plus N − 1 pruned iou candidates
 * with leave factors k / N, k = 1…N − 1, rounded to 0.01 (candidate ids carry two decimals, so at most 100).
 * 100 candidates are then exactly the demo's iou grid; one candidate is the baseline alone, the fixed cost
 * of any sweep (data, backbone, decoding, the baseline's features, head and latency) without the masks and
 * layer scores that pruning adds, so cost(100)/cost(1) is, if anything, overstated. The factors spread
 * evenly over (0, 1), so the average variant is about the same size for every N: what grows is the count.
 * Only the iou criterion is swept (the comparison criteria are not part of this measure).
 *
 * <p>The sweeps run largest first: the JVM's warm-up (class loading, JIT, ND4J's first allocations) then
 * falls on the big sweep, and the cost of the small one is measured warm, so the ratio is not made to look
 * better by a cold start of the one-candidate sweep.
 */
public final class SweepScaling {
    /**
     * One sweep's figures.
     *
     * @param candidates   the candidates asked for, the baseline included
     * @param planSize     rows of the metrics table the sweep actually had (equal to candidates)
     * @param stageSeconds the sweep's own per-stage wall times (run.json's stageSeconds), "total" included
     * @param totalSeconds end to end, as the sweep measured it
     * @param sparkStageSeconds the Spark stages' wall times per kind (run.json's): features and heads apart
     * @param stageUsage   per stage CPU time, peak resident set and page faults (run.json's stageUsage)
     */
    public record Point(int candidates, int planSize, String run, Map<String, Double> stageSeconds, double totalSeconds,
                        Map<String, Double> sparkStageSeconds, long failed, String winner, Map<String, StageUsage> stageUsage) {
    }

    /**
     * cost(largest) / cost(smallest) of the total wall time, against the target (at most 20 for 100 candidates
     * against 1).
     */
    public record Ratio(int fromCandidates, int toCandidates, double ratio, double target, boolean met) {
    }

    public static final double TARGET = 20.0;

    private SweepScaling() {
    }

    /** Most candidates a sweep here can have: leave factors 0.01 … 0.99 and the baseline. */
    public static final int MAX_CANDIDATES = 100;

    /** The leave factors below 1 of N candidates: k / N, k = 1…N − 1, to 0.01; none for N = 1. */
    public static List<Double> leaveFactors(int candidates) {
        if (candidates < 1 || candidates > MAX_CANDIDATES) {
            throw new IllegalArgumentException("candidates must be 1 to " + MAX_CANDIDATES + ": " + candidates);
        }
        List<Double> f = new ArrayList<>();
        for (int k = 1; k < candidates; k++) {
            f.add(Math.round(100.0 * k / candidates) / 100.0);
        }
        return f;
    }

    /** The settings that make a sweep of N candidates out of the base settings. */
    public static List<SettingOverride> overrides(int candidates) {
        List<Double> factors = new ArrayList<>(leaveFactors(candidates));
        factors.add(1.0); // the baseline: never pruned, always in the plan; keeps the list non-empty for N = 1
        String list = factors.stream().map(d -> String.format(Locale.ROOT, "%.2f", d))
                .collect(Collectors.joining(", ", "[", "]"));
        return List.of(SettingOverride.option("name", "bench-" + candidates, "ftl bench"),
                SettingOverride.option("prune.criteria", "[iou]", "ftl bench"),
                SettingOverride.option("prune.factors", list, "ftl bench"));
    }

    /**
     * Runs one sweep per count, largest first; returns the points smallest first.
     *
     * @param config   the settings of a sweep of N candidates (the base settings plus {@link #overrides})
     * @param console  where each sweep prints its own lines
     * @param progress one line per sweep started
     */
    public static List<Point> run(List<Integer> counts, Function<List<SettingOverride>, FtlConfig> config, PrintStream console,
                                  Consumer<String> progress) {
        List<Integer> order = counts.stream().distinct().sorted(Comparator.reverseOrder()).toList();
        List<Point> points = new ArrayList<>();
        int i = 0;
        for (int n : order) {
            i++;
            FtlConfig c = config.apply(overrides(n));
            int planSize = CandidatePlan.of(c.prune()).size();
            progress.accept(String.format(Locale.ROOT, "sweep %d/%d: %d candidate(s), the baseline included", i, order.size(), n));
            SweepJob.Result r = new SweepJob(c, console).run();
            Map<String, Double> stages = r.stageSeconds();
            points.add(new Point(n, planSize, r.run().path(), stages, stages.getOrDefault("total", Double.NaN),
                    r.sparkStageSeconds(), r.failed(), r.winner().candidate(), r.stageUsage()));
            progress.accept(String.format(Locale.ROOT, "sweep %d/%d: %d candidate(s) took %.1f s", i, order.size(), n,
                    stages.getOrDefault("total", Double.NaN)));
        }
        points.sort(Comparator.comparingInt(Point::candidates));
        return points;
    }

    /** The ratio of the largest sweep's total to the smallest's; null with fewer than two sweeps. */
    public static Ratio ratio(List<Point> points) {
        if (points.size() < 2) {
            return null;
        }
        Point small = points.get(0);
        Point large = points.get(points.size() - 1);
        double ratio = large.totalSeconds() / small.totalSeconds();
        return new Ratio(small.candidates(), large.candidates(), ratio, TARGET, ratio <= TARGET);
    }
}
