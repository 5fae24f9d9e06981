package org.ftl.runs;

import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import com.univocity.parsers.csv.CsvWriter;
import com.univocity.parsers.csv.CsvWriterSettings;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.ftl.data.DataFiles;
import org.ftl.decide.Metric;

import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code RUNS/history.csv}: one row per finished run (with its {@code _SUCCESS}), oldest first — when it
 * finished, the run, the config name, the data fingerprint, the winner and its metrics, and the regression
 * verdict against the previous run of the same name on the same data. The {@code best} column marks, per config
 * name, the current best run: the highest winner F1 among the runs on the data of that name's latest run (ties go
 * to the newer run); retention never deletes it. Rewritten whole under a temporary name and renamed into place;
 * the runs root's lock keeps writers apart. Columns a newer version adds are kept when an older one rewrites it.
 */
public final class History {
    public static final String FILE = "history.csv";
    /** The run's columns, the winner's metrics ({@link Metric#HISTORY}), then the sweep's counts and verdict. */
    public static final List<String> COLUMNS = java.util.stream.Stream.of(
            List.of("finished", "run", "config", "data_fingerprint", "winner"),
            Metric.HISTORY.stream().map(Metric::column).toList(),
            List.of("candidates", "failed", "resumed", "previous_run", "previous_f1", "regression", "best"))
            .flatMap(List::stream).toList();

    private final FileSystem fs;
    private final Path file;
    private final List<String> header;
    private final List<Map<String, String>> rows;

    private History(FileSystem fs, Path file, List<String> header, List<Map<String, String>> rows) {
        this.fs = fs;
        this.file = file;
        this.header = header;
        this.rows = rows;
    }

    /** The history of a runs root (empty if it has none yet). */
    public static History read(String runsRoot, Configuration conf) {
        Path file = new Path(runsRoot, FILE);
        try {
            FileSystem fs = DataFiles.fileSystem(runsRoot, conf);
            fs.setWriteChecksum(false);
            byte[] bytes;
            try (InputStream in = fs.open(file)) {
                bytes = in.readAllBytes();
            } catch (FileNotFoundException e) {
                return new History(fs, fs.makeQualified(file), new ArrayList<>(COLUMNS), new ArrayList<>());
            }
            return parse(fs, fs.makeQualified(file), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static History parse(FileSystem fs, Path file, byte[] bytes) {
        CsvParserSettings settings = new CsvParserSettings();
        settings.setHeaderExtractionEnabled(true);
        settings.setLineSeparatorDetectionEnabled(true);
        settings.setNullValue("");
        settings.setEmptyValue("");
        CsvParser parser = new CsvParser(settings);
        List<Map<String, String>> rows = new ArrayList<>();
        Set<String> header = new LinkedHashSet<>(COLUMNS);
        parser.beginParsing(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8);
        try {
            String[] record;
            String[] names = null;
            while ((record = parser.parseNext()) != null) {
                if (names == null) {
                    names = parser.getContext().headers();
                    header.addAll(List.of(names));
                }
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 0; i < names.length; i++) {
                    row.put(names[i], i < record.length && record[i] != null ? record[i] : "");
                }
                rows.add(row);
            }
        } finally {
            parser.stopParsing();
        }
        return new History(fs, file, new ArrayList<>(header), rows);
    }

    public String path() {
        return file.toString();
    }

    /** Rows oldest first (copies). */
    public List<Map<String, String>> rows() {
        return rows.stream().map(r -> (Map<String, String>) new LinkedHashMap<>(r)).toList();
    }

    /** The latest row of the same config name on the same data, if any. */
    public Optional<Map<String, String>> previous(String config, String fingerprint) {
        for (int i = rows.size() - 1; i >= 0; i--) {
            Map<String, String> r = rows.get(i);
            if (config.equals(r.get("config")) && fingerprint.equals(r.get("data_fingerprint"))) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** The regression verdict of a new winner's F1 against the previous run's on the same data. */
    public record Verdict(String previousRun, double previousF1, boolean regression) {
        public static final Verdict NONE = new Verdict("", Double.NaN, false);

        /** How much the F1 fell (positive: worse). */
        public double drop(double f1) {
            return previousF1 - f1;
        }
    }

    public Verdict compare(String config, String fingerprint, double f1, double tolerance) {
        Optional<Map<String, String>> prev = previous(config, fingerprint);
        if (prev.isEmpty()) {
            return Verdict.NONE;
        }
        double before = number(prev.get().get("f1"));
        boolean worse = !Double.isNaN(before) && (Double.isNaN(f1) || f1 < before - tolerance - 1e-12);
        return new Verdict(prev.get().get("run"), before, worse);
    }

    /** Adds a finished run's row (the verdict's columns included) and marks the current best again. */
    public void append(Map<String, String> row, Verdict verdict) {
        Map<String, String> r = new LinkedHashMap<>(row);
        r.put("previous_run", verdict.previousRun());
        r.put("previous_f1", Double.isNaN(verdict.previousF1()) ? "" : String.valueOf(verdict.previousF1()));
        r.put("regression", String.valueOf(verdict.regression()));
        for (String k : r.keySet()) {
            if (!header.contains(k)) {
                header.add(k);
            }
        }
        rows.add(r);
        markBest(r.get("config"));
    }

    private void markBest(String config) {
        String latestData = null;
        for (Map<String, String> r : rows) {
            if (config.equals(r.get("config"))) {
                latestData = r.get("data_fingerprint");
            }
        }
        int best = -1;
        for (int i = 0; i < rows.size(); i++) {
            Map<String, String> r = rows.get(i);
            if (!config.equals(r.get("config"))) {
                continue;
            }
            r.put("best", "false");
            if (r.get("data_fingerprint").equals(latestData)) {
                double f1 = number(r.get("f1"));
                if (!Double.isNaN(f1) && (best < 0 || f1 >= number(rows.get(best).get("f1")))) {
                    best = i;
                }
            }
        }
        if (best >= 0) {
            rows.get(best).put("best", "true");
        }
    }

    /** The runs of a config name that the history marks as the current best. */
    public Set<String> bestRuns(String config) {
        Set<String> out = new LinkedHashSet<>();
        for (Map<String, String> r : rows) {
            if (config.equals(r.get("config")) && "true".equals(r.get("best"))) {
                out.add(r.get("run"));
            }
        }
        return out;
    }

    /** Rewrites the file under a temporary name and renames it into place. */
    public void write() {
        org.ftl.AtomicFiles.write(fs, file, org.ftl.AtomicFiles.Existing.REPLACE, out -> {
            OutputStreamWriter w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            CsvWriterSettings settings = new CsvWriterSettings();
            settings.setQuoteEscapingEnabled(true);
            settings.getFormat().setLineSeparator("\n");
            CsvWriter csv = new CsvWriter(w, settings);
            csv.writeHeaders(header);
            for (Map<String, String> r : rows) {
                csv.writeRow(header.stream().map(h -> r.getOrDefault(h, "")).toArray());
            }
            csv.flush();
            w.flush();
        });
    }

    static double number(String s) {
        if (s == null || s.isBlank()) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    static String format(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%s", v);
    }
}
