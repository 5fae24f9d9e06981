package org.ftl.bench;

import org.ftl.AtomicFiles;
import org.ftl.FtlError;
import org.ftl.Json;
import org.ftl.Versions;
import org.ftl.job.FtlConfig;
import org.ftl.config.SettingOverride;
import org.ftl.sweep.SparkSessions;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * {@code ftl bench}: the sweep's cost as candidates grow, then the winner's speed against its baseline and
 * against the machine's matrix product, with the facts of the machine, into one JSON file and tables.
 */
public final class Bench {
    /**
     * @param candidates  candidate counts of the sweeps (see {@link SweepScaling})
     * @param skipSweeps  time no sweep: measure the models of {@code run} only
     * @param run         the run whose winner and baseline are timed; null: the largest sweep just run
     * @param out         where the sweeps' run folders and (by default) the JSON file go
     * @param json        the JSON file; null: {@code out/bench-<UTC time>-<commit>.json}
     * @param candidate   a candidate of the timed run to time as well against the baseline (e.g. iou-0.10); null: none
     * @param shape       a backbone shape ARCH:WIDTH:SIZE whose speed to measure with untrained weights; null: none
     */
    public record Options(List<Integer> candidates, boolean skipSweeps, Path run, Path out, Path json,
                          ModelSpeed.Settings speed, String candidate, String shape) {
    }

    /** Where the JSON went and what it says. */
    public record Outcome(Path json, BenchReport report) {
    }

    private Bench() {
    }

    /**
     * @param config the settings for a sweep, given the bench's own overrides (name, criteria, factors,
     *               runs.root) on top of the user's
     */
    public static Outcome run(Options o, Function<List<SettingOverride>, FtlConfig> config, PrintWriter console) {
        if (o.skipSweeps() && o.run() == null) {
            throw new IllegalArgumentException("with the sweeps skipped, the run to time is needed (--run)");
        }
        Function<List<SettingOverride>, FtlConfig> sweepConfig = extra -> {
            List<SettingOverride> all = new ArrayList<>(extra);
            all.add(SettingOverride.option("runs.root", o.out().toAbsolutePath().toString(), "--out"));
            return config.apply(all);
        };
        FtlConfig base = o.skipSweeps() ? null : sweepConfig.apply(List.of()); // bad settings stop here, before any work
        Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<Double> loadStart = MachineFacts.loadAverage();
        String home = System.getenv().getOrDefault("FTL_HOME", ".");
        String commit = git(home, "rev-parse", "--short=12", "HEAD");
        String status = commit == null ? null : git(home, "status", "--porcelain", "--untracked-files=no");
        MachineFacts machine = MachineFacts.collect();
        progress(console, "machine: " + machine.describe());
        progress(console, String.format(Locale.ROOT, "load average: %s", loadStart));

        BenchReport.Sweeps sweeps = null;
        Path timed = o.run();
        if (!o.skipSweeps()) {
            long t = System.nanoTime();
            SparkSessions.start(base.spark());
            double sparkStart = (System.nanoTime() - t) / 1e9;
            PrintStream sweepLines = indented(console);
            List<SweepScaling.Point> points = SweepScaling.run(o.candidates(), sweepConfig, sweepLines,
                    line -> progress(console, line));
            sweepLines.close();
            sweeps = new BenchReport.Sweeps("N rows: the f = 1 baseline and N-1 pruned iou candidates, leave factors k/N, k = 1..N-1, to 0.01",
                    "largest first", sparkStart, points, SweepScaling.ratio(points));
            if (timed == null) {
                timed = RunModels.localPath(points.get(points.size() - 1).run());
            }
        }

        progress(console, "models: loading the winner and the baseline of " + timed);
        RunModels models = RunModels.load(timed, line -> progress(console, line));
        ModelSpeed.Result speed = ModelSpeed.measure(models, o.speed(), line -> progress(console, line));
        CandidateSpeed candidate = o.candidate() == null ? null
                : CandidateSpeed.measure(models, o.candidate(), o.speed(), line -> progress(console, line));
        ShapeSpeed shape = null;
        if (o.shape() != null) {
            PrintStream shapeLines = indented(console);
            shape = ShapeSpeed.measure(o.shape(), sweepConfig, o.out(), o.speed(), shapeLines, line -> progress(console, line));
            shapeLines.close();
        }

        BenchReport report = new BenchReport(BenchReport.SCHEMA, started.toString(),
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), commit, status == null ? null : !status.isBlank(),
                Versions.ftl(), Versions.all(), machine, loadStart, MachineFacts.loadAverage(), sweeps, speed, candidate, shape);
        Path json = o.json() != null ? o.json() : o.out().resolve(fileName(started, commit));
        writeJson(report, json);
        report.print(console);
        console.println();
        console.println("written: " + json.toAbsolutePath());
        console.flush();
        return new Outcome(json, report);
    }

    static String fileName(Instant started, String commit) {
        String time = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(started);
        return "bench-" + time + "-" + (commit == null ? "nocommit" : commit) + ".json";
    }

    private static void writeJson(BenchReport report, Path json) {
        try {
            Path dir = json.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
        } catch (IOException e) {
            throw new FtlError(json + ": cannot create its folder: " + e.getMessage(), e);
        }
        AtomicFiles.write(json, (Json.write(report) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static void progress(PrintWriter console, String line) {
        console.println("bench: " + line);
        console.flush();
    }

    /** The sweeps' own lines, indented under the bench's, whole lines only (the rest on close). */
    static PrintStream indented(PrintWriter console) {
        OutputStream lines = new OutputStream() {
            private final ByteArrayOutputStream line = new ByteArrayOutputStream();

            @Override
            public void write(int b) {
                if (b == '\n') {
                    flushLine();
                } else {
                    line.write(b);
                }
            }

            // not flush(): an auto-flushing PrintStream flushes after every printf piece, mid-line
            @Override
            public void close() {
                if (line.size() > 0) {
                    flushLine();
                }
            }

            private void flushLine() {
                console.println("  | " + line.toString(StandardCharsets.UTF_8));
                console.flush();
                line.reset();
            }
        };
        return new PrintStream(lines, true, StandardCharsets.UTF_8);
    }

    /** A git command's output in the installation's folder, or null when there is no git or no repository. */
    static String git(String dir, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroy();
                return null;
            }
            return new String(out, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
