package org.ftl.sweep;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.ftl.OutOfResource;
import org.ftl.decide.Metric;
import org.ftl.decide.MetricsFiles;
import org.ftl.job.FtlConfig;
import org.ftl.report.Report;
import org.ftl.runs.History;
import org.ftl.runs.Retention;
import org.ftl.runs.RunFolder;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a sweep writes once it is ranked: metrics.parquet and metrics.csv, the winner's best/, report.html, and after
 * _SUCCESS the runs root's history.csv and retention. run.json and _SUCCESS itself stay with {@link SweepJob}, which
 * knows the stages' times.
 */
final class RunWriter {
    private final FtlConfig config;
    private final PrintStream console;

    RunWriter(FtlConfig config, PrintStream console) {
        this.config = config;
        this.console = console;
    }

    /** The ranked table in both formats, and the winner's deployable model in best/. */
    void results(RunFolder run, SweepJob.Ranked ranked, VariantRecord winner, CandidateResult winnerResult,
                 List<String> classes, HeadJob job, Configuration hadoop) {
        MetricsFiles.writeParquet(ranked.table(), run.path("metrics.parquet"));
        MetricsFiles.writeCsv(ranked.table(), run.path("metrics.csv"), hadoop);
        BestModel.write(run, winner, winnerResult, ranked.winner(), classes, job, config);
    }

    /**
     * report.html from what was just written; a report is not worth losing a sweep, so a failure is one line, unless
     * the disk is full or not writable: then the run folder cannot be finished either.
     */
    static boolean report(RunFolder run, Configuration hadoop, PrintStream console) {
        try {
            Report.write(run, hadoop);
            return true;
        } catch (RuntimeException | LinkageError | java.awt.AWTError e) {
            if (OutOfResource.ranOut(e).isPresent()) {
                throw e; // not the report's fault: the disk the whole run is on, which _SUCCESS must not follow
            }
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            console.println("report.html not written (rebuild it with ftl report " + run.path() + "): "
                    + why.replaceAll("\\s*\\R\\s*", " "));
            return false;
        }
    }

    /**
     * Adds the finished run to RUNS/history.csv with its regression verdict, then applies retention. The
     * history is written after {@code _SUCCESS}: only finished runs go in.
     */
    History.Verdict history(RunFolder run, Row winner, String fingerprint, int candidates, long failed, int resumed,
                            Configuration hadoop) {
        History history = History.read(config.runs().root(), hadoop);
        double f1 = winner.isNullAt(winner.fieldIndex("f1")) ? Double.NaN : (double) winner.getAs("f1");
        History.Verdict verdict = history.compare(config.name(), fingerprint, f1, config.runs().regressionTolerance());
        Map<String, String> row = new LinkedHashMap<>();
        row.put("finished", java.time.Instant.now().toString());
        row.put("run", run.id());
        row.put("config", config.name());
        row.put("data_fingerprint", fingerprint);
        row.put("winner", winner.getAs("candidate"));
        for (Metric m : Metric.HISTORY) {
            int i = winner.fieldIndex(m.column());
            row.put(m.column(), winner.isNullAt(i) ? "" : String.valueOf(winner.get(i)));
        }
        row.put("candidates", String.valueOf(candidates));
        row.put("failed", String.valueOf(failed));
        row.put("resumed", String.valueOf(resumed));
        history.append(row, verdict);
        history.write();
        console.println("history: " + history.path() + (verdict.previousRun().isEmpty() ? " (first run of " + config.name()
                + " on this data)" : String.format(Locale.ROOT, " (previous run on this data: %s, f1 %.4f)",
                verdict.previousRun(), verdict.previousF1())));
        try {
            Retention.apply(config.runs().root(), hadoop, config.name(), config.runs().keep(), run.id(),
                    history.bestRuns(config.name()), console);
        } catch (java.io.UncheckedIOException e) {
            // the run is finished and recorded: a folder that could not be deleted is a line, not a failed sweep
            console.println("retention: stopped: " + e.getMessage());
        }
        return verdict;
    }
}
