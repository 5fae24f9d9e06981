package org.ftl.sweep;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.ftl.FtlError;
import org.ftl.decide.Metric;
import org.ftl.prune.Candidate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One row per candidate with the contract's columns: the prune stage's counts, the head stage's metrics and
 * cost, ratios against the baseline. A candidate that failed in either stage is a row with status "failed"
 * and its error, never a missing row. Score and rank are left to the decision function.
 */
final class MetricsTable {
    private MetricsTable() {
    }

    static List<Row> rows(List<Candidate> plan, Map<String, VariantRecord> variants, Map<String, CandidateResult> results) {
        Candidate baselineCandidate = CandidatePlan.baseline();
        VariantRecord baseline = variants.get(baselineCandidate.id());
        if (baseline == null || !baseline.ok()) {
            throw new FtlError("the unpruned backbone (f = 1) could not be built: "
                    + (baseline == null ? "no result" : baseline.error()));
        }
        List<Row> rows = new ArrayList<>();
        for (Candidate c : plan) {
            VariantRecord v = variants.get(c.id());
            CandidateResult r = results.get(c.id());
            Object[] row = new Object[Metric.values().length]; // in MetricsColumns.all()'s order
            set(row, Metric.CANDIDATE, c.id());
            set(row, Metric.CRITERION, c.criterion());
            set(row, Metric.LEAVE_FACTOR, c.leaveFactor());
            String error = v == null ? "no result from the prune stage" : v.error();
            if (error == null) {
                set(row, Metric.FILTERS_LEFT, (long) v.filtersLeft());
                set(row, Metric.FILTERS_RATIO, (double) v.filtersLeft() / baseline.filtersLeft());
                set(row, Metric.PARAMS, v.params());
                set(row, Metric.PARAMS_RATIO, (double) v.params() / baseline.params());
                set(row, Metric.FILTER_COUNTS, v.filterCounts());
                error = r == null ? "no result from the head stage" : r.error();
            }
            if (r != null && r.ok() && error == null) {
                set(row, Metric.FLOPS, r.flops());
                set(row, Metric.SIZE_BYTES, r.sizeBytes());
                set(row, Metric.LATENCY_MS, r.latencyMs());
                set(row, Metric.LATENCY_RATIO, r.latencyRatio());
                set(row, Metric.ACCURACY, r.accuracy());
                set(row, Metric.PRECISION, r.precision());
                set(row, Metric.RECALL, r.recall());
                set(row, Metric.F1, r.f1());
                set(row, Metric.AUC, nanToNull(r.auc()));
                set(row, Metric.HEAD_C, r.headC());
                set(row, Metric.CV_SCORE, r.cvScore());
                set(row, Metric.LATENCY_BASELINE_MS, r.latencyBaselineMs());
                set(row, Metric.LATENCY_REPETITIONS, r.latencyRepetitions());
                set(row, Metric.CONFUSION, r.confusion());
                set(row, Metric.TRAIN_IMAGES, r.trainImages());
                set(row, Metric.EVALUATION_IMAGES, r.evaluationImages());
            }
            set(row, Metric.STATUS, error == null ? "ok" : "failed");
            set(row, Metric.ERROR, error);
            rows.add(RowFactory.create(row));
        }
        return rows;
    }

    private static void set(Object[] row, Metric column, Object value) {
        row[column.ordinal()] = value;
    }

    private static Double nanToNull(double v) {
        return Double.isNaN(v) ? null : v;
    }
}
