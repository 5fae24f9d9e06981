package org.ftl.sweep;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.ftl.decide.TopTable;
import org.ftl.report.Report;
import org.ftl.runs.History;
import org.ftl.runs.RunFolder;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.col;

/** What a finished sweep prints last: the top of the ranked table, the winner, the stages' times, what was written. */
final class SweepSummary {
    private SweepSummary() {
    }

    static void print(PrintWriter out, SweepJob.Ranked ranked, int top, Map<String, Double> timings, RunFolder run,
                      boolean reported, History.Verdict verdict, double regressionTolerance) {
        Row winner = ranked.winner();
        out.println();
        TopTable.print(ranked.table(), top, out);
        out.printf(Locale.ROOT, "%nwinner: %s — f1 %.4f (baseline %.4f), %.2f %% of the parameters, latency x%.3f%n",
                (String) winner.getAs("candidate"), (double) winner.getAs("f1"), baselineF1(ranked.table()),
                100 * (double) winner.getAs("params_ratio"),
                winner.isNullAt(winner.fieldIndex("latency_ratio")) ? Double.NaN : (double) winner.getAs("latency_ratio"));
        out.printf(Locale.ROOT, "stages: %s%n", timings.entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%s %.1f s", e.getKey(), e.getValue())).collect(Collectors.joining(", ")));
        out.println("written: " + run.path() + " (metrics.csv, metrics.parquet, best/, run.json"
                + (reported ? ", " + Report.FILE : "") + ")");
        if (ranked.failed() > 0) {
            out.printf(Locale.ROOT, "%d candidate(s) failed: see the status and error columns of metrics.csv%n", ranked.failed());
        }
        outOfMemoryRows(ranked.table()).ifPresent(out::println);
        if (verdict.regression()) {
            out.printf(Locale.ROOT, "REGRESSION: the winner's f1 %.4f is %.4f below %.4f of the previous run %s on the same "
                            + "data (runs.regression-tolerance %s); history.csv marks it%n", (double) winner.getAs("f1"),
                    verdict.drop((double) winner.getAs("f1")), verdict.previousF1(), verdict.previousRun(),
                    regressionTolerance);
        }
    }

    private static double baselineF1(Dataset<Row> ranked) {
        Row b = ranked.filter(col("criterion").equalTo(CandidatePlan.BASELINE)).first();
        return b.isNullAt(b.fieldIndex("f1")) ? Double.NaN : (double) b.getAs("f1");
    }

    /** A line about candidates whose own task ran out of memory (failed rows, not checkpointed), if there are any. */
    private static Optional<String> outOfMemoryRows(Dataset<Row> ranked) {
        List<Row> rows = ranked.filter(col("error").startsWith(OutOfMemoryError.class.getSimpleName()))
                .select("candidate", "error").collectAsList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "%d candidate(s) ran out of memory in their own task "
                        + "(the first: %s: %s): give the JVM more (FTL_MEMORY=…, or FTL_JAVA_OPTS=-Xmx… "
                        + "-Dorg.bytedeco.javacpp.maxphysicalbytes=…) and sweep again", rows.size(), rows.get(0).getString(0),
                rows.get(0).getString(1)));
    }
}
