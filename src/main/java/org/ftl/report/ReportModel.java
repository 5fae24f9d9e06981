package org.ftl.report;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import org.ftl.decide.Metric;
import org.ftl.prune.Criterion;
import org.ftl.runs.RunRecord;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What report.html shows, section by section, as text computed from a run's metrics.csv and run.json; the
 * template report.mustache lays it out. Null sections are the ones the run has nothing for (no baseline row,
 * no filter counts, no run.json): the page says so in their place.
 *
 * @param scoreFormula  the decision function as the run's settings wrote it, or null
 * @param verdict       where iou has the best F1 on the comparison grid and where not, in words
 * @param topLimit      the top table's size at most
 * @param winnerFilters the winner's filters kept per conv layer, or null when not recorded
 */
record ReportModel(String runId, Summary summary, ChartImage accuracy, ChartImage cost, ChartImage filters, String scoreFormula,
                   ChartImage score, ChartImage criteria, String verdict, int topLimit, Table top, FilterCounts winnerFilters,
                   Table baseline, List<Failure> failed, Provenance provenance) {
    static final int TOP = 10;
    /** The top and baseline tables' columns. */
    private static final List<Metric> TABLE = List.of(Metric.RANK, Metric.CANDIDATE, Metric.CRITERION,
            Metric.LEAVE_FACTOR, Metric.FILTERS_RATIO, Metric.PARAMS_RATIO, Metric.PARAMS, Metric.SIZE_BYTES,
            Metric.LATENCY_MS, Metric.LATENCY_RATIO, Metric.ACCURACY, Metric.PRECISION, Metric.RECALL, Metric.F1,
            Metric.AUC, Metric.SCORE);

    /** "Winner: W — facts." then the candidate counts; winner null: "No candidate was ranked." */
    record Summary(Winner winner, String counts) {
    }

    record Winner(String candidate, String facts) {
    }

    record Table(List<String> columns, List<Row> rows) {
    }

    /** A table row; the winner's is highlighted. */
    record Row(boolean winner, List<Cell> cells) {
    }

    /** number: right-aligned in tabular figures. */
    record Cell(String text, boolean number) {
    }

    /** @param keptOfTotal the counts as metrics.csv has them, e.g. "14/48 38/128 58/192" */
    record FilterCounts(List<Layer> layers, String keptOfTotal) {
    }

    /** One conv layer (1-based) of the winner: filters kept, of how many, and the share ("" when unknown). */
    record Layer(int layer, String kept, String total, String percent) {
    }

    record Failure(String candidate, String criterion, String leaveFactor, String status, String error) {
    }

    public String title() {
        return "FTL run " + runId;
    }

    public boolean anyFailed() {
        return !failed.isEmpty();
    }

    /** @param record the run's run.json, or null when the folder has none */
    static ReportModel of(String runId, List<MetricsRow> rows, RunRecord record) {
        List<MetricsRow> ok = rows.stream().filter(MetricsRow::ok).toList();
        MetricsRow baseline = ok.stream().filter(MetricsRow::baseline).findFirst().orElse(null);
        List<MetricsRow> ranked = ok.stream().filter(r -> r.rank() != Integer.MAX_VALUE)
                .sorted(Comparator.comparingInt(MetricsRow::rank)).toList();
        MetricsRow winner = ranked.isEmpty() ? null : ranked.get(0);
        if (winner == null || winner.rank() != 1) {
            // metrics.csv has no rank 1: the winner run.json names, if it has one
            winner = record == null || record.winner() == null ? winner
                    : ok.stream().filter(r -> r.candidate().equals(record.winner())).findFirst().orElse(winner);
        }
        List<MetricsRow> iou = ok.stream().filter(r -> Criterion.IOU.configName().equals(r.criterion())).toList();
        // the criteria in the order the method's paper compares them; others a run may have follow
        Set<String> order = new LinkedHashSet<>(Criterion.names());
        ok.stream().map(MetricsRow::criterion).filter(c -> !c.equals(MetricsRow.BASELINE)).forEach(order::add);
        Map<String, List<MetricsRow>> byCriterion = Charts.byCriterion(ok, new ArrayList<>(order));
        List<Failure> failed = rows.stream().filter(r -> !r.ok()).map(r -> new Failure(r.candidate(), r.criterion(),
                r.text(Metric.LEAVE_FACTOR), r.text(Metric.STATUS), r.text(Metric.ERROR))).toList();

        return new ReportModel(runId,
                new Summary(winner == null ? null : new Winner(winner.candidate(), facts(winner, baseline)),
                        Report.fmt("%d candidates, %d failed.", rows.size(), failed.size())),
                ChartImage.of(Charts.accuracy(iou, baseline), "test accuracy of the iou candidates against % of parameters left"),
                ChartImage.of(Charts.cost(iou), "model size and inference time against % of parameters left"),
                ChartImage.of(Charts.filters(iou), "% of filters left against % of parameters left"),
                record == null || record.config() == null ? null : scoreFormula(record.config()),
                ChartImage.of(Charts.score(iou, winner), "decision function value against % of parameters left, winner marked"),
                ChartImage.of(Charts.criteria(byCriterion, baseline), "F1 of each pruning criterion against % of parameters left"),
                CriteriaVerdict.sentence(byCriterion), TOP, table(ranked.subList(0, Math.min(TOP, ranked.size())), winner),
                filterCounts(winner), baseline == null ? null : table(List.of(baseline), winner), failed,
                record == null ? null : Provenance.of(record));
    }

    /** "F1 0.7400, accuracy 0.7500, 9.00 % of the parameters, 30.0 % of the filters, …" without the full stop. */
    private static String facts(MetricsRow winner, MetricsRow baseline) {
        String s = Report.fmt("F1 %.4f, accuracy %.4f, %.2f %% of the parameters, %.1f %% of the filters",
                winner.number(Metric.F1), winner.number(Metric.ACCURACY), winner.paramsPercent(),
                100 * winner.number(Metric.FILTERS_RATIO));
        if (Charts.finite(winner.number(Metric.LATENCY_RATIO))) {
            s += Report.fmt(", inference time x%.3f of the baseline", winner.number(Metric.LATENCY_RATIO));
        }
        if (baseline != null) {
            s += Report.fmt(" (baseline F1 %.4f, accuracy %.4f)", baseline.number(Metric.F1), baseline.number(Metric.ACCURACY));
        }
        return s;
    }

    private static Table table(List<MetricsRow> rows, MetricsRow winner) {
        List<Row> out = new ArrayList<>();
        for (MetricsRow r : rows) {
            List<Cell> cells = TABLE.stream()
                    .map(m -> new Cell(cell(r, m), m != Metric.CANDIDATE && m != Metric.CRITERION)).toList();
            out.add(new Row(winner != null && r.candidate().equals(winner.candidate()), cells));
        }
        return new Table(TABLE.stream().map(Metric::column).toList(), out);
    }

    /** Whole numbers as metrics.csv has them, ratios as percentages, other numbers to four places. */
    private static String cell(MetricsRow r, Metric column) {
        String text = r.text(column);
        double d = r.number(column);
        if (Double.isNaN(d) || text.matches("-?\\d+")) {
            return text;
        }
        if (column.column().endsWith("_ratio")) {
            return Report.fmt("%.2f %%", 100 * d);
        }
        return Report.fmt("%.4f", d);
    }

    private static FilterCounts filterCounts(MetricsRow winner) {
        String counts = winner == null ? "" : winner.text(Metric.FILTER_COUNTS).trim();
        if (counts.isEmpty()) {
            return null;
        }
        String[] layers = counts.split("\\s+");
        List<Layer> out = new ArrayList<>();
        for (int i = 0; i < layers.length; i++) {
            String[] kt = layers[i].split("/");
            String pct = "";
            if (kt.length == 2) {
                try {
                    pct = Report.fmt("%.1f %%", 100.0 * Long.parseLong(kt[0]) / Long.parseLong(kt[1]));
                } catch (NumberFormatException e) {
                    pct = "";
                }
            }
            out.add(new Layer(i + 1, kt[0], kt.length > 1 ? kt[1] : "", pct));
        }
        return new FilterCounts(out, counts);
    }

    /**
     * ftl.decision.score from the run's merged settings (run.json keeps them as HOCON text), or null when the
     * text does not parse or has no such string.
     */
    static String scoreFormula(String config) {
        try {
            com.typesafe.config.Config c = ConfigFactory.parseString(config);
            return c.hasPath("ftl.decision.score") ? c.getString("ftl.decision.score") : null;
        } catch (ConfigException e) {
            return null;
        }
    }
}
