package org.ftl.report;

import com.fasterxml.jackson.databind.DeserializationFeature;
import org.apache.hadoop.conf.Configuration;
import org.ftl.FtlError;
import org.ftl.Json;
import org.ftl.runs.RunFolder;
import org.ftl.runs.RunRecord;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * report.html: one self-contained page per run (charts are PNG data URIs, no scripts, no network) built from
 * what the run wrote — metrics.csv and run.json — so the sweep and {@code ftl report} give the same page.
 * {@link ReportModel} is what the page says, report.mustache how it looks.
 */
public final class Report {
    public static final String FILE = "report.html";
    private static final double SAME_FACTOR = 1e-6;

    private Report() {
    }

    /** Reads the run's metrics.csv and run.json and writes report.html beside them. */
    public static void write(RunFolder run, Configuration conf) {
        run.write(FILE, Pages.render("report.mustache", model(run)));
    }

    static ReportModel model(RunFolder run) {
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
        return ReportModel.of(run.id(), rows, record);
    }

    static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    static boolean sameFactor(double a, double b) {
        return Math.abs(a - b) < SAME_FACTOR;
    }
}
