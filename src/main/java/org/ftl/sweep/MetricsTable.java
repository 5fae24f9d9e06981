package org.ftl.sweep;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.ftl.FtlError;
import org.ftl.decide.MetricsColumns;
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
    private static final StructType COLUMNS = MetricsColumns.all();
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
            Object[] row = new Object[COLUMNS.size()];
            set(row, "candidate", c.id());
            set(row, "criterion", c.criterion());
            set(row, "leave_factor", c.leaveFactor());
            String error = v == null ? "no result from the prune stage" : v.error();
            if (error == null) {
                set(row, "filters_left", (long) v.filtersLeft());
                set(row, "filters_ratio", (double) v.filtersLeft() / baseline.filtersLeft());
                set(row, "params", v.params());
                set(row, "params_ratio", (double) v.params() / baseline.params());
                set(row, "filter_counts", v.filterCounts());
                error = r == null ? "no result from the head stage" : r.error();
            }
            if (r != null && r.ok() && error == null) {
                set(row, "flops", r.flops());
                set(row, "size_bytes", r.sizeBytes());
                set(row, "latency_ms", r.latencyMs());
                set(row, "latency_ratio", r.latencyRatio());
                set(row, "accuracy", r.accuracy());
                set(row, "precision", r.precision());
                set(row, "recall", r.recall());
                set(row, "f1", r.f1());
                set(row, "auc", nanToNull(r.auc()));
                set(row, "head_c", r.headC());
                set(row, "cv_score", r.cvScore());
                set(row, "latency_baseline_ms", r.latencyBaselineMs());
                set(row, "latency_repetitions", r.latencyRepetitions());
                set(row, "confusion", r.confusion());
                set(row, "train_images", r.trainImages());
                set(row, "evaluation_images", r.evaluationImages());
            }
            set(row, "status", error == null ? "ok" : "failed");
            set(row, "error", error);
            rows.add(RowFactory.create(row));
        }
        return rows;
    }

    private static void set(Object[] row, String column, Object value) {
        row[COLUMNS.fieldIndex(column)] = value;
    }

    private static Double nanToNull(double v) {
        return Double.isNaN(v) ? null : v;
    }
}
