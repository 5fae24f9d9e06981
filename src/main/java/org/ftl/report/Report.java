package org.ftl.report;

import org.ftl.decide.Metric;
import org.ftl.prune.Criterion;
import com.fasterxml.jackson.databind.DeserializationFeature;
import org.apache.hadoop.conf.Configuration;
import org.ftl.FtlError;
import org.ftl.Json;
import org.ftl.runs.RunFolder;
import org.ftl.runs.RunRecord;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * report.html: one self-contained page per run (charts are PNG data URIs, no scripts, no network) built from
 * what the run wrote — metrics.csv and run.json — so the sweep and {@code ftl report} give the same page.
 */
public final class Report {
    public static final String FILE = "report.html";
    /** The criteria in the order the method's paper compares them; others a run may have follow. */
    static final List<String> CRITERIA = Criterion.names();
    static final int TOP = 10;
    private static final double SAME_FACTOR = 1e-6;

    private final String runId;
    private final List<MetricsRow> rows;
    private final RunRecord record;

    Report(String runId, List<MetricsRow> rows, RunRecord record) {
        this.runId = runId;
        this.rows = rows;
        this.record = record;
    }

    /** Reads the run's metrics.csv and run.json and writes report.html beside them. */
    public static void write(RunFolder run, Configuration conf) {
        run.write(FILE, of(run).html());
    }

    static Report of(RunFolder run) {
        if (!run.exists("metrics.csv")) {
            throw new FtlError(run.path() + ": no metrics.csv");
        }
        List<MetricsRow> rows = MetricsCsv.parse(run.read("metrics.csv"));
        RunRecord record = null;
        if (run.exists("run.json")) {
            try {
                record = Json.MAPPER.readerFor(RunRecord.class).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                        .readValue(run.read("run.json"));
            } catch (IOException e) {
                throw new FtlError(run.path("run.json") + ": not the JSON expected: " + e.getMessage(), e);
            }
        }
        return new Report(run.id(), rows, record);
    }

    String html() {
        List<MetricsRow> ok = rows.stream().filter(MetricsRow::ok).collect(Collectors.toList());
        MetricsRow baseline = ok.stream().filter(MetricsRow::baseline).findFirst().orElse(null);
        List<MetricsRow> ranked = ok.stream().filter(r -> r.rank() != Integer.MAX_VALUE)
                .sorted(Comparator.comparingInt(MetricsRow::rank)).collect(Collectors.toList());
        MetricsRow winner = ranked.isEmpty() ? null : ranked.get(0);
        if (winner == null || winner.rank() != 1) {
            winner = record == null || record.winner() == null ? winner
                    : ok.stream().filter(r -> r.candidate().equals(record.winner())).findFirst().orElse(winner);
        }
        List<MetricsRow> iou = ok.stream().filter(r -> Criterion.IOU.configName().equals(r.criterion())).collect(Collectors.toList());
        Set<String> order = new LinkedHashSet<>(CRITERIA);
        ok.stream().map(MetricsRow::criterion).filter(c -> !c.equals(MetricsRow.BASELINE)).forEach(order::add);
        Map<String, List<MetricsRow>> byCriterion = Charts.byCriterion(ok, new ArrayList<>(order));
        List<MetricsRow> failed = rows.stream().filter(r -> !r.ok()).collect(Collectors.toList());

        StringBuilder h = new StringBuilder(200_000);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>FTL run ")
                .append(esc(runId)).append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        h.append("<h1>FTL run ").append(esc(runId)).append("</h1>\n");
        summary(h, winner, baseline, failed.size());

        h.append("<h2 id=\"accuracy\">Test accuracy against parameters left</h2>\n");
        img(h, Charts.accuracy(iou, baseline), "test accuracy of the iou candidates against % of parameters left");
        h.append("<h2 id=\"cost\">Model size and inference time</h2>\n");
        img(h, Charts.cost(iou), "model size and inference time against % of parameters left");
        h.append("<h2 id=\"filters\">Filters left</h2>\n");
        img(h, Charts.filters(iou), "% of filters left against % of parameters left");
        h.append("<h2 id=\"score\">Decision function</h2>\n");
        if (record != null && record.config() != null) {
            String score = scoreFormula(record.config());
            if (score != null) {
                h.append("<p>score = <code>").append(esc(score)).append("</code></p>\n");
            }
        }
        img(h, Charts.score(iou, winner), "decision function value against % of parameters left, winner marked");
        h.append("<h2 id=\"criteria\">Criteria compared</h2>\n");
        img(h, Charts.criteria(byCriterion, baseline), "F1 of each pruning criterion against % of parameters left");
        h.append("<p class=\"verdict\">").append(esc(CriteriaVerdict.sentence(byCriterion))).append("</p>\n");

        h.append("<h2 id=\"top\">Top ").append(TOP).append(" candidates</h2>\n");
        table(h, ranked.subList(0, Math.min(TOP, ranked.size())), winner);
        h.append("<h2 id=\"winner-filters\">Winner's filters per layer</h2>\n");
        filterCounts(h, winner);
        h.append("<h2 id=\"baseline\">Baseline</h2>\n");
        if (baseline == null) {
            h.append("<p>No baseline row (f = 1) in metrics.csv.</p>\n");
        } else {
            table(h, List.of(baseline), winner);
        }
        h.append("<h2 id=\"failed\">Failed candidates</h2>\n");
        failed(h, failed);
        h.append("<h2 id=\"provenance\">Provenance</h2>\n");
        provenance(h);
        h.append("</body>\n</html>\n");
        return h.toString();
    }

    private void summary(StringBuilder h, MetricsRow winner, MetricsRow baseline, int failed) {
        h.append("<p class=\"summary\">");
        if (winner == null) {
            h.append("No candidate was ranked.");
        } else {
            h.append("Winner: <strong class=\"winner\">").append(esc(winner.candidate())).append("</strong> — ")
                    .append(esc(fmt("F1 %.4f, accuracy %.4f, %.2f %% of the parameters, %.1f %% of the filters",
                            winner.number(Metric.F1), winner.number(Metric.ACCURACY), winner.paramsPercent(),
                            100 * winner.number(Metric.FILTERS_RATIO))));
            if (Charts.finite(winner.number(Metric.LATENCY_RATIO))) {
                h.append(esc(fmt(", inference time x%.3f of the baseline", winner.number(Metric.LATENCY_RATIO))));
            }
            if (baseline != null) {
                h.append(esc(fmt(" (baseline F1 %.4f, accuracy %.4f)", baseline.number(Metric.F1), baseline.number(Metric.ACCURACY))));
            }
            h.append('.');
        }
        h.append(esc(fmt(" %d candidates, %d failed.", rows.size(), failed))).append("</p>\n");
    }

    private static final String[] TABLE = {"rank", "candidate", "criterion", "leave_factor", "filters_ratio",
            "params_ratio", "params", "size_bytes", "latency_ms", "latency_ratio", "accuracy", "precision", "recall",
            "f1", "auc", "score"};

    private static void table(StringBuilder h, List<MetricsRow> rows, MetricsRow winner) {
        h.append("<div class=\"scroll\"><table>\n<tr>");
        for (String c : TABLE) {
            h.append("<th>").append(esc(c)).append("</th>");
        }
        h.append("</tr>\n");
        for (MetricsRow r : rows) {
            boolean w = winner != null && r.candidate().equals(winner.candidate());
            h.append(w ? "<tr class=\"winner\">" : "<tr>");
            for (String c : TABLE) {
                h.append(c.equals("candidate") || c.equals("criterion") ? "<td>" : "<td class=\"num\">")
                        .append(esc(cell(r, c))).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table></div>\n");
    }

    private static String cell(MetricsRow r, String column) {
        String text = r.text(column);
        double d = r.number(column);
        if (Double.isNaN(d) || text.matches("-?\\d+")) {
            return text;
        }
        if (column.endsWith("_ratio")) {
            return fmt("%.2f %%", 100 * d);
        }
        return fmt("%.4f", d);
    }

    private static void filterCounts(StringBuilder h, MetricsRow winner) {
        String counts = winner == null ? "" : winner.text(Metric.FILTER_COUNTS).trim();
        if (counts.isEmpty()) {
            h.append("<p>No per-layer filter counts recorded.</p>\n");
            return;
        }
        h.append("<table>\n<tr><th>conv layer</th><th>filters kept</th><th>of</th><th>kept</th></tr>\n");
        String[] layers = counts.split("\\s+");
        for (int i = 0; i < layers.length; i++) {
            String[] kt = layers[i].split("/");
            String pct = "";
            if (kt.length == 2) {
                try {
                    pct = fmt("%.1f %%", 100.0 * Long.parseLong(kt[0]) / Long.parseLong(kt[1]));
                } catch (NumberFormatException e) {
                    pct = "";
                }
            }
            h.append("<tr><td class=\"num\">").append(i + 1).append("</td><td class=\"num\">").append(esc(kt[0]))
                    .append("</td><td class=\"num\">").append(esc(kt.length > 1 ? kt[1] : "")).append("</td><td class=\"num\">")
                    .append(esc(pct)).append("</td></tr>\n");
        }
        h.append("</table>\n<p>As kept/total: <code>").append(esc(counts)).append("</code></p>\n");
    }

    private static void failed(StringBuilder h, List<MetricsRow> failed) {
        if (failed.isEmpty()) {
            h.append("<p>None: every candidate was evaluated.</p>\n");
            return;
        }
        h.append("<div class=\"scroll\"><table>\n<tr><th>candidate</th><th>criterion</th><th>leave_factor</th><th>status</th><th>error</th></tr>\n");
        for (MetricsRow r : failed) {
            h.append("<tr><td>").append(esc(r.candidate())).append("</td><td>").append(esc(r.criterion()))
                    .append("</td><td class=\"num\">").append(esc(r.text(Metric.LEAVE_FACTOR))).append("</td><td>")
                    .append(esc(r.text(Metric.STATUS))).append("</td><td class=\"error\">").append(esc(r.text(Metric.ERROR)))
                    .append("</td></tr>\n");
        }
        h.append("</table></div>\n");
    }

    private void provenance(StringBuilder h) {
        if (record == null) {
            h.append("<p>No run.json in the run folder.</p>\n");
            return;
        }
        h.append("<table class=\"kv\">\n");
        kv(h, "run", record.run());
        kv(h, "finished", record.finished());
        kv(h, "host", record.host());
        kv(h, "data root", record.dataRoot());
        kv(h, "data fingerprint", record.dataFingerprint());
        kv(h, "classes", record.classes() == null ? "" : String.join(", ", record.classes()));
        kv(h, "images", fmt("%d training, %d evaluation, %d segmented; %d input files left out or repaired",
                record.trainingImages(), record.evaluationImages(), record.segmentedImages(), record.inputProblems()));
        kv(h, "candidates", fmt("%d (%d failed)", record.candidates(), record.failedCandidates()));
        kv(h, "winner", record.winner());
        h.append("</table>\n<h3>Versions</h3>\n<table class=\"kv\">\n");
        if (record.versions() != null) {
            new java.util.TreeMap<>(record.versions()).forEach((k, v) -> kv(h, k, v));
        }
        h.append("</table>\n<h3>Stage timings</h3>\n<table class=\"kv\">\n");
        if (record.stageSeconds() != null) {
            record.stageSeconds().forEach((k, v) -> kv(h, k, (v == null ? "" : fmt("%.1f s", v))
                    + usage(record.stageUsage() == null ? null : record.stageUsage().get(k))));
        }
        h.append("</table>\n");
        if (record.problems() != null && !record.problems().isEmpty()) {
            h.append("<h3>Input files left out or repaired</h3>\n<pre>").append(esc(String.join("\n", record.problems())))
                    .append("</pre>\n");
        }
        h.append("<h3>Configuration</h3>\n<pre class=\"config\">").append(esc(record.config() == null ? "" : record.config()))
                .append("</pre>\n");
    }

    /** ", 21.4 s CPU (0.8 system), peak 1,530 MB resident, 412,000 minor page faults", or "" when unknown. */
    private static String usage(org.ftl.runs.StageUsage u) {
        if (u == null || u.cpuSeconds() == null) {
            return "";
        }
        String s = fmt(", %.1f s CPU", u.cpuSeconds());
        if (u.systemCpuSeconds() != null) {
            s += fmt(" (%.1f system)", u.systemCpuSeconds());
        }
        if (u.peakResidentBytes() != null) {
            s += fmt(", peak %,d MB resident", u.peakResidentBytes() >> 20);
        }
        if (u.minorFaults() != null) {
            s += fmt(", %,d minor page faults", u.minorFaults());
        }
        return s;
    }

    private static void kv(StringBuilder h, String key, String value) {
        h.append("<tr><th>").append(esc(key)).append("</th><td>").append(esc(value == null ? "" : value)).append("</td></tr>\n");
    }

    static void img(StringBuilder h, byte[] png, String alt) {
        h.append("<img class=\"chart\" width=\"").append(Charts.WIDTH).append("\" height=\"").append(Charts.HEIGHT)
                .append("\" alt=\"").append(esc(alt)).append("\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(png)).append("\">\n");
    }

    /** The decision function's formula from the run's configuration, or null when it cannot be read. */
    static String scoreFormula(String config) {
        try {
            com.typesafe.config.Config c = com.typesafe.config.ConfigFactory.parseString(config);
            return c.hasPath("ftl.decision.score") ? c.getString("ftl.decision.score") : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Text made safe for HTML element content and attribute values. */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    static final String CSS = """
            body { font-family: sans-serif; margin: 2em auto; max-width: 1200px; padding: 0 1em; color: #222; }
            div.scroll { overflow-x: auto; }
            h2 { border-bottom: 1px solid #ccc; padding-bottom: .2em; margin-top: 2em; }
            img.chart { display: block; max-width: 100%; height: auto; border: 1px solid #eee; }
            table { border-collapse: collapse; font-size: 13px; margin: .5em 0; }
            th, td { border: 1px solid #ddd; padding: 3px 6px; text-align: left; vertical-align: top; white-space: nowrap; }
            td.num { text-align: right; font-variant-numeric: tabular-nums; }
            tr.winner td { background: #fff3c4; font-weight: bold; }
            td.error { font-family: monospace; white-space: pre-wrap; color: #a00; min-width: 30em; }
            pre { background: #f6f6f6; padding: .8em; overflow-x: auto; font-size: 12px; }
            .verdict { background: #eef5ff; padding: .6em; }
            """;

    static boolean sameFactor(double a, double b) {
        return Math.abs(a - b) < SAME_FACTOR;
    }
}
