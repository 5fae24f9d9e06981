package org.ftl.decide;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

import static org.apache.spark.sql.functions.col;

/** The ranked candidates as a console table. */
public final class TopTable {
    private TopTable() {
    }

    public static void print(Dataset<Row> ranked, int top, PrintWriter out) {
        List<Row> rows = ranked.filter(col("rank").isNotNull()).orderBy(col("rank")).limit(top).collectAsList();
        out.printf(Locale.ROOT, "%4s  %-14s %7s %8s %11s %8s %8s %7s %7s %8s%n", "rank", "candidate", "score", "f1",
                "params", "params%", "lat ms", "lat x", "acc", "auc");
        for (Row r : rows) {
            out.printf(Locale.ROOT, "%4d  %-14s %7.4f %8.4f %,11d %7.2f%% %8s %7s %7.4f %8s%n",
                    (int) r.getAs("rank"), r.getAs("candidate"), (double) r.getAs("score"), num(r, "f1"),
                    r.isNullAt(r.fieldIndex("params")) ? 0L : (long) r.getAs("params"), 100 * num(r, "params_ratio"),
                    fmt(r, "latency_ms", "%.3f"), fmt(r, "latency_ratio", "%.3f"), num(r, "accuracy"), fmt(r, "auc", "%.4f"));
        }
        long failed = ranked.filter(col("status").notEqual("ok")).count();
        long unranked = ranked.filter(col("rank").isNull().and(col("status").equalTo("ok"))).count();
        if (failed > 0 || unranked > 0) {
            out.printf(Locale.ROOT, "(%d failed, %d outside the constraints)%n", failed, unranked);
        }
    }

    private static double num(Row r, String c) {
        return r.isNullAt(r.fieldIndex(c)) ? Double.NaN : ((Number) r.getAs(c)).doubleValue();
    }

    private static String fmt(Row r, String c, String f) {
        return r.isNullAt(r.fieldIndex(c)) ? "-" : String.format(Locale.ROOT, f, ((Number) r.getAs(c)).doubleValue());
    }
}
