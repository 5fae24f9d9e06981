package org.ftl.report;

import org.ftl.decide.Metric;
import org.ftl.prune.Criterion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The sentence under the criteria chart: at which leave factors of the comparison grid (the factors every
 * other criterion was run at) iou's F1 beats the others, and where it does not.
 */
final class CriteriaVerdict {
    private CriteriaVerdict() {
    }

    static String sentence(Map<String, List<MetricsRow>> byCriterion) {
        List<MetricsRow> iou = byCriterion.get(Criterion.IOU.configName());
        TreeSet<Double> grid = new TreeSet<>();
        byCriterion.forEach((c, rows) -> {
            if (!Criterion.IOU.configName().equals(c)) {
                rows.forEach(r -> {
                    if (Charts.finite(r.number(Metric.LEAVE_FACTOR)) && r.number(Metric.LEAVE_FACTOR) < 1) {
                        grid.add(r.number(Metric.LEAVE_FACTOR));
                    }
                });
            }
        });
        if (iou == null || grid.isEmpty()) {
            return "No comparison: the run has no iou candidates or no other criterion on the comparison grid.";
        }
        List<String> beats = new ArrayList<>();
        List<String> loses = new ArrayList<>();
        for (double f : grid) {
            Optional<MetricsRow> mine = at(iou, f);
            if (mine.isEmpty()) {
                continue;
            }
            double f1 = mine.get().number(Metric.F1);
            String bestOther = null;
            double bestOtherF1 = Double.NEGATIVE_INFINITY;
            for (Map.Entry<String, List<MetricsRow>> e : byCriterion.entrySet()) {
                if (e.getKey().equals(Criterion.IOU.configName())) {
                    continue;
                }
                Optional<MetricsRow> other = at(e.getValue(), f);
                if (other.isPresent() && other.get().number(Metric.F1) > bestOtherF1) {
                    bestOtherF1 = other.get().number(Metric.F1);
                    bestOther = e.getKey();
                }
            }
            if (bestOther == null) {
                continue;
            }
            String budget = Report.fmt("f = %s (%.1f %% of parameters)", trim(f), mine.get().paramsPercent());
            if (f1 > bestOtherF1) {
                beats.add(budget);
            } else {
                loses.add(Report.fmt("%s: %s %.3f vs iou %.3f", budget, bestOther, bestOtherF1, f1));
            }
        }
        if (beats.isEmpty() && loses.isEmpty()) {
            return "No comparison: iou has no candidate at the comparison grid's leave factors.";
        }
        StringBuilder s = new StringBuilder(Report.fmt("On the comparison grid, iou has the best F1 at %d of %d budgets",
                beats.size(), beats.size() + loses.size()));
        s.append(beats.isEmpty() ? "" : ": " + String.join(", ", beats));
        s.append(loses.isEmpty() ? "; it beats every other criterion everywhere it was compared."
                : "; it does not at " + String.join("; ", loses) + ".");
        return s.toString();
    }

    private static Optional<MetricsRow> at(List<MetricsRow> rows, double f) {
        return rows.stream().filter(r -> Report.sameFactor(r.number(Metric.LEAVE_FACTOR), f)).findFirst();
    }

    private static String trim(double f) {
        return java.math.BigDecimal.valueOf(f).stripTrailingZeros().toPlainString();
    }
}
