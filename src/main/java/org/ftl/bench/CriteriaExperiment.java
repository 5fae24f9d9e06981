package org.ftl.bench;

import org.ftl.decide.Metric;
import org.apache.hadoop.conf.Configuration;
import org.ftl.FtlError;
import org.ftl.Json;
import org.ftl.backbone.Backbones;
import org.ftl.job.FtlConfig;
import org.ftl.config.SettingOverride;
import org.ftl.prune.PruneSettings;
import org.ftl.data.DataListing;
import org.ftl.backbone.ConvChain;
import org.ftl.prune.L1Criterion;
import org.ftl.prune.Pruner;
import org.ftl.report.CriteriaPage;
import org.ftl.report.MetricsCsv;
import org.ftl.report.MetricsRow;
import org.ftl.AtomicFiles;
import org.ftl.sweep.SparkSessions;
import org.ftl.sweep.SweepJob;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Criteria × parameter budgets over several splits: one real sweep ({@link SweepJob}) per split, its grid cut to
 * the leave factors that hit the budgets, every criterion on the same factors; then per criterion and budget the
 * mean test F1 over the sweeps and its spread. One split's numbers cannot say whether a criterion is better or
 * the split was kind to it; the spread says how much of a difference is the split's. With {@code seeds} above 1
 * every split is swept once per seed (a trained backbone's start, the head's folds, the random criterion), so the
 * spread holds the training's luck too, and per budget the paired difference iou − l1 (same split, same seed)
 * says how often iou leads.
 *
 * <p>The splits are the data roots {@code DATA/split-1 … split-K} (by-photo splits made by {@code ftl tile --seed k},
 * or synthetic sets made by {@code ftl synth --seed k}), swept with the seeds {@code seed … seed + seeds − 1};
 * when DATA is itself a data root, its K × seeds sweeps each take the next seed from {@code seed} on.
 */
public final class CriteriaExperiment {
    public static final String SCHEMA = "ftl-bench-criteria/2";

    /**
     * @param budgets percentages of the backbone's parameters the pruned variants are to keep
     * @param seeds   sweeps per split, with the seeds seed, seed + 1, … (1 to 20)
     * @param label   a name for this experiment in its runs and JSON (e.g. scratch, pretrained)
     */
    public record Options(String data, int splits, int seeds, List<Double> budgets, List<String> criteria, Path out,
                          Path json, String label) {
    }

    /** One sweep: its split (1 to K), data, the seed it ran with, run folder, the baseline's F1 and its wall time. */
    public record Split(int split, String data, long seed, String run, double baselineF1, double seconds) {
    }

    /**
     * One criterion at one budget over the splits.
     *
     * @param paramsPercent mean % of the parameters the candidates kept (metrics' params_ratio)
     * @param f1            each sweep's test F1 in sweep order (NaN where the candidate failed)
     * @param std           sample standard deviation over the sweeps (NaN for one sweep)
     */
    public record Cell(String criterion, double budgetPercent, double leaveFactor, double paramsPercent, List<Double> f1,
                       double mean, double std, double min, double max) {
    }

    /** How iou fares against l1 over the budgets up to 10 %: the target. */
    public record Target(int budgets, int iouAtLeastL1, int iouAboveBySpread, boolean met) {
    }

    /**
     * iou against l1 at one budget sweep by sweep (same split, same seed): in how many of the sweeps where both ran
     * iou's F1 is at least l1's, and the mean and sample standard deviation of iou − l1. Pooled means over seeds
     * carry each seed's luck in their spread; the paired difference takes it out.
     */
    public record Paired(double budgetPercent, double leaveFactor, int sweeps, int iouAtLeastL1, double meanDifference,
                         double stdDifference) {
    }

    /** {@code splits} holds one entry per sweep: K splits × seeds. */
    public record Result(String schema, String label, String started, String finished, String commit, String machine,
                         Map<String, String> iouSettings, int seeds, List<Split> splits, List<Double> factors,
                         List<Cell> cells, double baselineMean, double baselineStd, Target target, List<Paired> paired) {
    }

    private CriteriaExperiment() {
    }

    /** The data roots of the splits, and whether they are one root swept with K seeds. */
    static List<String> splitRoots(String data, int k) {
        Path root = Path.of(data);
        if (Files.isDirectory(root.resolve("split-1"))) {
            List<String> roots = new ArrayList<>();
            for (int i = 1; i <= k; i++) {
                Path s = root.resolve("split-" + i);
                if (!Files.isDirectory(s.resolve("dataset"))) {
                    throw new FtlError(s + ": no data root (dataset/) for split " + i + " of --splits " + k
                            + " (make it with ftl tile --seed " + i + " --out " + s + ")");
                }
                roots.add(s.toString());
            }
            return roots;
        }
        if (Files.isDirectory(root.resolve("dataset"))) {
            return java.util.Collections.nCopies(k, data);
        }
        throw new FtlError(data + ": neither a data root (dataset/) nor a folder of split-1 … split-" + k + " data roots");
    }

    /**
     * Per budget, the leave factor (0.01 grid) whose variants come nearest its share of the parameters. Parameters
     * depend only on how many filters each layer keeps, so any criterion gives the same count: l1 computes it
     * without activations.
     */
    public static Map<Double, Double> factorsFor(ConvChain backbone, List<Double> budgets, org.ftl.prune.KeepRule keep) {
        Pruner pruner = new Pruner(backbone, new L1Criterion(), null, keep);
        double total = backbone.parameters();
        double most = budgets.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        List<double[]> grid = new ArrayList<>(); // {f, % of params}
        for (int k = 1; k <= 100; k++) {
            double f = k / 100.0;
            double pct = 100.0 * pruner.prune(f).parameters() / total;
            grid.add(new double[] {f, pct});
            if (pct > 1.5 * most) {
                break;
            }
        }
        Map<Double, Double> out = new LinkedHashMap<>();
        for (double b : budgets) {
            double[] best = grid.get(0);
            for (double[] g : grid) {
                if (Math.abs(g[1] - b) < Math.abs(best[1] - b)) {
                    best = g;
                }
            }
            out.put(b, best[0]);
        }
        return out;
    }

    /** The sweep settings of one split on top of the user's. */
    static List<SettingOverride> overrides(Options o, int split, String root, long seed, boolean seeded, List<Double> factors) {
        String list = factors.stream().map(f -> String.format(Locale.ROOT, "%.2f", f)).collect(Collectors.joining(", ", "[", "]"));
        String name = "criteria-" + o.label() + "-split-" + split + (o.seeds() > 1 ? "-seed-" + seed : "");
        List<SettingOverride> out = new ArrayList<>(List.of(
                SettingOverride.option("name", name, "ftl bench criteria"),
                SettingOverride.option("data.root", root, "--data"),
                SettingOverride.option("runs.root", o.out().toAbsolutePath().toString(), "--out"),
                SettingOverride.option("prune.criteria", o.criteria().stream().collect(Collectors.joining(", ", "[", "]")), "--criteria"),
                SettingOverride.option("prune.factors", list, "--budgets"),
                SettingOverride.option("prune.comparison-factors", list, "--budgets")));
        if (seeded) {
            out.add(SettingOverride.option("seed", Long.toString(seed), o.seeds() > 1 ? "--seeds" : "--splits (one data root: a seed per split)"));
        }
        return out;
    }

    public static Result run(Options o, Function<List<SettingOverride>, FtlConfig> config, PrintWriter console) {
        FtlConfig base = config.apply(List.of(SettingOverride.option("runs.root", o.out().toAbsolutePath().toString(), "--out")));
        for (String c : o.criteria()) {
            if (!PruneSettings.CRITERIA.contains(c)) {
                throw new FtlError("--criteria: '" + c + "' is not a criterion: " + String.join(", ", PruneSettings.CRITERIA));
            }
        }
        Configuration hadoop = base.spark().hadoopConfiguration();
        List<String> roots = splitRoots(o.data(), o.splits());
        boolean oneRoot = !Files.isDirectory(Path.of(o.data()).resolve("split-1"));
        // the seed is set per sweep when it changes between sweeps; otherwise every sweep runs with the config's
        boolean seeded = o.seeds() > 1 || (oneRoot && o.splits() > 1);
        Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        MachineFacts machine = MachineFacts.collect();
        progress(console, "machine: " + machine.describe() + "; load average " + MachineFacts.loadAverage());

        // the first split's backbone (trained and cached if need be; its sweep reuses it) sets the factors: the
        // architecture, so the parameter counts, are the same on every split
        FtlConfig first = config.apply(overrides(o, 1, roots.get(0), base.seed(), seeded, List.of(1.0)));
        DataListing listing = DataListing.scan(first.data().root(), first.data().imageExtensions(), hadoop);
        ConvChain backbone = Backbones.resolve(first.backboneRequest(), listing, hadoop, line -> progress(console, line));
        Map<Double, Double> byBudget = factorsFor(backbone, o.budgets(), first.prune().keepRule());
        List<Double> factors = new ArrayList<>(new TreeSet<>(byBudget.values()));
        progress(console, "budgets " + o.budgets() + " % of " + backbone.parameters() + " parameters: leave factors " + factors);

        SparkSessions.start(base.spark());
        List<Split> splits = new ArrayList<>();
        List<List<MetricsRow>> metrics = new ArrayList<>();
        int sweeps = roots.size() * o.seeds();
        for (int i = 0; i < roots.size(); i++) {
            for (int s = 0; s < o.seeds(); s++) {
                long seed = !seeded ? base.seed() : base.seed() + (oneRoot ? (long) i * o.seeds() + s : s);
                FtlConfig c = config.apply(overrides(o, i + 1, roots.get(i), seed, seeded, factors));
                String which = String.format(Locale.ROOT, "sweep %d/%d, split %d: %s%s", splits.size() + 1, sweeps, i + 1,
                        roots.get(i), seeded ? " (seed " + seed + ")" : "");
                progress(console, which);
                long t = System.nanoTime();
                PrintStream lines = Bench.indented(console);
                SweepJob.Result r = new SweepJob(c, lines).run();
                lines.close();
                double secs = (System.nanoTime() - t) / 1e9;
                List<MetricsRow> rows = MetricsCsv.parse(r.run().read("metrics.csv"));
                metrics.add(rows);
                double baseline = rows.stream().filter(MetricsRow::baseline).mapToDouble(m -> m.number(Metric.F1)).findFirst().orElse(Double.NaN);
                splits.add(new Split(i + 1, roots.get(i), seed, r.run().path(), baseline, secs));
                progress(console, String.format(Locale.ROOT, "sweep %d/%d: %.0f s, baseline F1 %.4f, %d failed", splits.size(),
                        sweeps, secs, baseline, r.failed()));
            }
        }
        List<Cell> cells = cells(o.criteria(), byBudget, factors, metrics);
        double[] baselines = splits.stream().mapToDouble(Split::baselineF1).toArray();
        Result result = new Result(SCHEMA, o.label(), started.toString(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                Bench.git(System.getenv().getOrDefault("FTL_HOME", "."), "rev-parse", "--short=12", "HEAD"),
                machine.describe(), iouSettings(base), o.seeds(), splits, factors, cells, mean(baselines), std(baselines),
                target(cells), paired(cells));
        console.print(table(result));
        Path json = o.json() != null ? o.json() : o.out().resolve("criteria-" + o.label() + ".json");
        try {
            Files.createDirectories(json.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new FtlError(json + ": cannot create its folder: " + e.getMessage(), e);
        }
        AtomicFiles.write(json, (Json.write(result) + "\n").getBytes(StandardCharsets.UTF_8));
        Path html = json.resolveSibling(json.getFileName().toString().replaceFirst("\\.json$", "") + ".html");
        List<CriteriaPage.Series> series = series(result);
        AtomicFiles.write(html, CriteriaPage.html("FTL criteria: " + o.label() + ", " + sweepsText(result), series,
                result.baselineMean(), table(result), CriteriaPage.verdict(series)).getBytes(StandardCharsets.UTF_8));
        CriteriaPage.verdict(series).forEach(v -> progress(console, v));
        progress(console, "written: " + json.toAbsolutePath() + " and " + html.toAbsolutePath());
        return result;
    }

    /** Per criterion its means and spreads in factor order, for the page. */
    static List<CriteriaPage.Series> series(Result r) {
        List<CriteriaPage.Series> out = new ArrayList<>();
        for (String c : r.cells().stream().map(Cell::criterion).distinct().toList()) {
            List<Cell> cs = r.factors().stream().map(f -> r.cells().stream().filter(x -> x.criterion().equals(c)
                    && x.leaveFactor() == f).findFirst().orElse(null)).toList();
            out.add(new CriteriaPage.Series(c, cs.stream().mapToDouble(x -> x == null ? Double.NaN : x.paramsPercent()).toArray(),
                    cs.stream().mapToDouble(x -> x == null ? Double.NaN : x.mean()).toArray(),
                    cs.stream().mapToDouble(x -> x == null ? Double.NaN : x.std()).toArray()));
        }
        return out;
    }

    /** The prune.iou settings the sweeps ran with, and the tie rule and magnitude: which variant a table is. */
    static Map<String, String> iouSettings(FtlConfig c) {
        PruneSettings p = c.prune();
        Map<String, String> m = new LinkedHashMap<>();
        m.put("binarization", p.binarization().configName());
        m.put("threshold", Double.toString(p.threshold()));
        m.put("top-fraction", Double.toString(p.topFraction()));
        m.put("mask-resize", p.maskResize().name().toLowerCase(Locale.ROOT));
        m.put("coverage", Double.toString(p.coverage()));
        m.put("score", p.score().configName());
        m.put("background-count", Integer.toString(p.backgroundCount()));
        m.put("classes", p.allClasses() ? "all" : "target");
        m.put("magnitude-weight", Double.toString(p.magnitudeWeight()));
        m.put("prune.ties", p.keepRule().ties().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        m.put("prune.magnitude", p.magnitude().configName());
        return m;
    }

    static List<Cell> cells(List<String> criteria, Map<Double, Double> byBudget, List<Double> factors,
                            List<List<MetricsRow>> metrics) {
        List<Cell> out = new ArrayList<>();
        Map<Double, Double> budgetOf = new LinkedHashMap<>();
        byBudget.forEach((b, f) -> budgetOf.putIfAbsent(f, b)); // the first budget a factor serves names its row
        for (double f : factors) {
            for (String c : criteria) {
                List<Double> f1 = new ArrayList<>();
                List<Double> pct = new ArrayList<>();
                for (List<MetricsRow> rows : metrics) {
                    MetricsRow r = rows.stream().filter(m -> c.equals(m.criterion()) && Math.abs(m.number(Metric.LEAVE_FACTOR) - f) < 1e-9)
                            .findFirst().orElse(null);
                    f1.add(r == null || !r.ok() ? Double.NaN : r.number(Metric.F1));
                    if (r != null && r.ok()) {
                        pct.add(r.paramsPercent());
                    }
                }
                double[] ok = f1.stream().mapToDouble(Double::doubleValue).filter(d -> !Double.isNaN(d)).toArray();
                out.add(new Cell(c, budgetOf.getOrDefault(f, Double.NaN), f,
                        pct.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN), f1, mean(ok), std(ok),
                        ok.length == 0 ? Double.NaN : java.util.Arrays.stream(ok).min().getAsDouble(),
                        ok.length == 0 ? Double.NaN : java.util.Arrays.stream(ok).max().getAsDouble()));
            }
        }
        return out;
    }

    /**
     * The target over the budgets up to 10 %: iou's mean F1 at least l1's at every one, and above it by more
     * than the spread (the larger of the two standard deviations) at half of them or more. Null without both.
     */
    static Target target(List<Cell> cells) {
        int budgets = 0;
        int atLeast = 0;
        int above = 0;
        for (Cell iou : cells) {
            Cell l1 = l1Beside(cells, iou);
            if (l1 == null || !(iou.paramsPercent() <= 10.5)) {
                continue;
            }
            budgets++;
            atLeast += iou.mean() >= l1.mean() ? 1 : 0;
            double spread = Math.max(nanToZero(iou.std()), nanToZero(l1.std()));
            above += iou.mean() - l1.mean() > spread ? 1 : 0;
        }
        return budgets == 0 ? null : new Target(budgets, atLeast, above, atLeast == budgets && 2 * above >= budgets);
    }

    /** The l1 cell at an iou cell's leave factor; null when {@code iou} is not iou's or l1 did not run. */
    private static Cell l1Beside(List<Cell> cells, Cell iou) {
        if (!iou.criterion().equals("iou")) {
            return null;
        }
        return cells.stream().filter(c -> c.criterion().equals("l1") && c.leaveFactor() == iou.leaveFactor()).findFirst().orElse(null);
    }

    /** Per budget, iou − l1 sweep by sweep; empty without both criteria. */
    static List<Paired> paired(List<Cell> cells) {
        List<Paired> out = new ArrayList<>();
        for (Cell iou : cells) {
            Cell l1 = l1Beside(cells, iou);
            if (l1 == null) {
                continue;
            }
            List<Double> d = new ArrayList<>();
            for (int k = 0; k < Math.min(iou.f1().size(), l1.f1().size()); k++) {
                double x = iou.f1().get(k) - l1.f1().get(k);
                if (!Double.isNaN(x)) {
                    d.add(x);
                }
            }
            double[] v = d.stream().mapToDouble(Double::doubleValue).toArray();
            out.add(new Paired(iou.budgetPercent(), iou.leaveFactor(), v.length, (int) d.stream().filter(x -> x >= 0).count(),
                    mean(v), std(v)));
        }
        return out;
    }

    /** "3 split(s)", or "9 sweeps (3 split(s) × 3 seeds)". */
    static String sweepsText(Result r) {
        long splits = r.splits().stream().map(Split::split).distinct().count();
        return r.seeds() > 1 ? String.format(Locale.ROOT, "%d sweeps (%d split(s) × %d seeds)", r.splits().size(), splits, r.seeds())
                : splits + " split(s)";
    }

    /** The table: one row per budget, one column per criterion, mean ± std (min–max) over the sweeps. */
    public static String table(Result r) {
        StringBuilder s = new StringBuilder();
        List<String> criteria = r.cells().stream().map(Cell::criterion).distinct().toList();
        s.append(String.format(Locale.ROOT, "criteria, %s, %s: mean test F1 ± std (min–max); iou settings %s%n",
                r.label(), sweepsText(r), r.iouSettings()));
        s.append(String.format(Locale.ROOT, "%-18s", "% params (f)"));
        for (String c : criteria) {
            s.append(String.format(Locale.ROOT, " %-26s", c));
        }
        s.append('\n');
        for (double f : r.factors()) {
            List<Cell> row = r.cells().stream().filter(c -> c.leaveFactor() == f).toList();
            if (row.isEmpty()) {
                continue;
            }
            double best = row.stream().mapToDouble(Cell::mean).filter(d -> !Double.isNaN(d)).max().orElse(Double.NaN);
            s.append(String.format(Locale.ROOT, "%-18s", String.format(Locale.ROOT, "%.1f (%.2f)", row.get(0).paramsPercent(), f)));
            for (String c : criteria) {
                Cell cell = row.stream().filter(x -> x.criterion().equals(c)).findFirst().orElse(null);
                s.append(String.format(Locale.ROOT, " %-26s", cell == null ? "-" : cellText(cell, cell.mean() == best)));
            }
            s.append('\n');
        }
        s.append(String.format(Locale.ROOT, "baseline (f = 1): %.3f ± %.3f%n", r.baselineMean(), r.baselineStd()));
        if (r.target() != null) {
            Target t = r.target();
            s.append(String.format(Locale.ROOT, "iou vs l1 at the %d budgets up to 10 %%: mean F1 at least l1's at %d, above by more "
                    + "than the spread at %d: target %s%n", t.budgets(), t.iouAtLeastL1(), t.iouAboveBySpread(), t.met() ? "met" : "not met"));
        }
        if (r.paired() != null && !r.paired().isEmpty() && r.splits().size() > 1) {
            s.append("iou - l1 sweep by sweep (same split and seed):");
            for (Paired p : r.paired()) {
                s.append(String.format(Locale.ROOT, "%n  %-16s %+.3f ± %s, iou >= l1 in %d of %d", String.format(Locale.ROOT,
                        "%.1f %% (%.2f)", r.cells().stream().filter(c -> c.leaveFactor() == p.leaveFactor()).findFirst()
                                .map(Cell::paramsPercent).orElse(Double.NaN), p.leaveFactor()), p.meanDifference(),
                        Double.isNaN(p.stdDifference()) ? "-" : String.format(Locale.ROOT, "%.3f", p.stdDifference()),
                        p.iouAtLeastL1(), p.sweeps()));
            }
            s.append('\n');
        }
        return s.toString();
    }

    /** {@code 0.672 ± 0.020 (0.65–0.69)}, a star on the row's best mean. */
    public static String cellText(Cell c, boolean best) {
        if (Double.isNaN(c.mean())) {
            return "failed";
        }
        return String.format(Locale.ROOT, "%.3f ± %s (%.2f–%.2f)%s", c.mean(), Double.isNaN(c.std()) ? "-" : String.format(Locale.ROOT, "%.3f", c.std()),
                c.min(), c.max(), best ? "*" : "");
    }

    static double mean(double[] v) {
        return v.length == 0 ? Double.NaN : java.util.Arrays.stream(v).average().getAsDouble();
    }

    /** The sample standard deviation; NaN for fewer than two values. */
    static double std(double[] v) {
        if (v.length < 2) {
            return Double.NaN;
        }
        double m = mean(v);
        double ss = 0;
        for (double d : v) {
            ss += (d - m) * (d - m);
        }
        return Math.sqrt(ss / (v.length - 1));
    }

    private static double nanToZero(double d) {
        return Double.isNaN(d) ? 0 : d;
    }

    private static void progress(PrintWriter console, String line) {
        console.println("bench criteria: " + line);
        console.flush();
    }
}
