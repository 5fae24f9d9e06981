package org.ftl.report;

import org.ftl.prune.Criterion;
import java.util.List;

/**
 * The page of a criteria experiment over several splits ({@code ftl bench criteria}): mean F1 against % of
 * parameters per criterion with ± one standard deviation, the table, and in words where iou loses.
 */
public final class CriteriaPage {
    /** One criterion's points: % of parameters, mean F1 and its standard deviation (NaN: unknown) per budget. */
    public record Series(String criterion, double[] percent, double[] mean, double[] std) {
    }

    /** What the page shows; criteria.mustache lays it out. */
    record Page(String title, ChartImage chart, List<String> verdict, String table) {
    }

    private CriteriaPage() {
    }

    /**
     * @param table   the experiment's table as printed
     * @param verdict where iou wins and loses, one sentence per budget
     */
    public static String html(String title, List<Series> series, double baselineMean, String table, List<String> verdict) {
        ChartImage chart = ChartImage.of(Charts.criteriaSpread(series, baselineMean),
                "mean F1 of each criterion against % of parameters, ± one std over the sweeps (splits × seeds)");
        return Pages.render("criteria.mustache", new Page(title, chart, verdict, table));
    }

    /**
     * Per budget, where iou stands against the best other criterion: ahead, behind, or within the spread (the
     * larger of the two standard deviations), said plainly.
     *
     * @param percent per budget, % of parameters; {@code means[c][k]} and {@code stds[c][k]} per criterion c
     */
    public static List<String> verdict(List<Series> series) {
        Series iou = series.stream().filter(s -> s.criterion().equals(Criterion.IOU.configName())).findFirst().orElse(null);
        if (iou == null || series.size() < 2) {
            return List.of("No comparison: iou and at least one other criterion are needed.");
        }
        List<String> out = new java.util.ArrayList<>();
        for (int k = 0; k < iou.percent().length; k++) {
            Series best = null;
            for (Series s : series) {
                if (s != iou && k < s.mean().length && Charts.finite(s.mean()[k]) && (best == null || s.mean()[k] > best.mean()[k])) {
                    best = s;
                }
            }
            if (best == null || !Charts.finite(iou.mean()[k])) {
                continue;
            }
            double d = iou.mean()[k] - best.mean()[k];
            double spread = Math.max(zero(iou.std()[k]), zero(best.std()[k]));
            String at = Report.fmt("At %.1f %% of the parameters", iou.percent()[k]);
            if (d > spread) {
                out.add(Report.fmt("%s iou leads (%.3f vs %s %.3f), by more than the spread (%.3f).", at, iou.mean()[k],
                        best.criterion(), best.mean()[k], spread));
            } else if (d >= 0) {
                out.add(Report.fmt("%s iou is ahead of %s (%.3f vs %.3f) but within the spread (%.3f).", at, best.criterion(),
                        iou.mean()[k], best.mean()[k], spread));
            } else {
                out.add(Report.fmt("%s iou loses to %s: %.3f vs %.3f%s.", at, best.criterion(), iou.mean()[k], best.mean()[k],
                        -d > spread ? Report.fmt(", by more than the spread (%.3f)", spread) : Report.fmt(" (within the spread, %.3f)", spread)));
            }
        }
        return out;
    }

    private static double zero(double d) {
        return Charts.finite(d) ? d : 0;
    }
}
