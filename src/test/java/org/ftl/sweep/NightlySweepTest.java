package org.ftl.sweep;

import org.apache.hadoop.conf.Configuration;
import org.ftl.report.MetricsRow;
import org.ftl.cli.CliTest;
import org.ftl.cli.ExitCode;
import org.ftl.job.FtlConfig;
import org.ftl.config.SettingOverride;
import org.ftl.data.synth.SynthLayoutWriter;
import org.ftl.runs.History;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nightly sweeps in Spark local mode on a tiny generated set: a sweep stopped half-way resumes and ends as an
 * uninterrupted one; finished runs go into history.csv with their regression verdict; retention keeps the last
 * runs and the current best.
 */
class NightlySweepTest {
    /** Every metrics column that does not depend on the machine's speed. */
    static final List<String> STABLE = List.of("candidate", "criterion", "leave_factor", "filters_left", "filters_ratio",
            "params", "params_ratio", "flops", "size_bytes", "accuracy", "precision", "recall", "f1", "auc", "score", "rank",
            "status", "error", "filter_counts", "head_c", "cv_score", "confusion", "train_images", "evaluation_images");

    /** A tiny data set, a backbone cache and the settings every sweep here runs with, under one folder. */
    static final class Fixture {
        final Path dir;
        final Path data;
        private SweepJob.Result reference;

        Fixture(Path dir) {
            this.dir = dir;
            this.data = dir.resolve("data");
            FtlConfig c = FtlConfig.load(null, List.of(SettingOverride.set("synth.count=48"), SettingOverride.set("synth.size=64"),
                    SettingOverride.set("synth.segmented-count=6"), SettingOverride.set("synth.difficulty=0.3")), Map.of());
            new SynthLayoutWriter(c.synth(), c.seed()).write(data, false, "", done -> { });
        }

        List<SettingOverride> settings(Path runs, String... more) {
            List<SettingOverride> o = new ArrayList<>();
            for (String s : new String[] {
                    "name=nightly-test", "data.root=" + data, "runs.root=" + runs, "spark.master=local[2]",
                    "backbone.source=alexnet", "backbone.width=0.25", "backbone.cache=" + dir.resolve("cache"),
                    "backbone.train.epochs=2", "backbone.train.patience=1",
                    "prune.criteria=[iou, l1]", "prune.factors=[0.25, 0.5]", "prune.comparison-factors=[0.5]",
                    "head.c-grid=[0.1, 10]", "head.folds=2",
                    "cost.warmup=1", "cost.min-repetitions=3", "cost.min-seconds=0",
                    "sweep.image-partitions=2", "sweep.variant-group-mb=1"}) {
                o.add(SettingOverride.set(s));
            }
            Arrays.stream(more).forEach(s -> o.add(SettingOverride.set(s)));
            return o;
        }

        SweepJob.Result sweep(Path runs, PrintStream console, String... more) {
            FtlConfig c = FtlConfig.load(null, settings(runs, more), Map.of());
            return new SweepJob(c, console).run();
        }

        /** The first, uninterrupted run in {@code runs-history}: the reference of resumed runs, the history's first row. */
        synchronized SweepJob.Result reference() {
            if (reference == null) {
                reference = sweep(dir.resolve("runs-history"), new PrintStream(new ByteArrayOutputStream()));
            }
            return reference;
        }
    }

    @TempDir
    static Path dir;

    static Fixture fixture;

    @BeforeAll
    static void data() {
        fixture = new Fixture(dir);
    }

    static Map<String, MetricsRow> byCandidate(SweepJob.Result r) {
        Map<String, MetricsRow> m = new HashMap<>();
        r.ranked().forEach(row -> m.put(row.candidate(), row));
        return m;
    }

    /** Asserts two runs' tables agree in every column but latency, row by row, and name the same winner. */
    static void assertSameResult(SweepJob.Result expected, SweepJob.Result actual) {
        Map<String, MetricsRow> a = byCandidate(expected);
        Map<String, MetricsRow> b = byCandidate(actual);
        assertEquals(a.keySet(), b.keySet());
        for (Map.Entry<String, MetricsRow> e : a.entrySet()) {
            for (String col : STABLE) {
                assertEquals(e.getValue().text(col), b.get(e.getKey()).text(col), e.getKey() + " " + col);
            }
        }
        assertEquals(expected.winner().text("candidate"), actual.winner().candidate(), "same winner");
    }

    /** A console that stops the sweep (an exception out of println) at the first line containing {@code at}. */
    static PrintStream stoppingAt(String at, ByteArrayOutputStream copy) {
        return new PrintStream(new OutputStream() {
            private final ByteArrayOutputStream line = new ByteArrayOutputStream();

            @Override
            public void write(int b) {
                copy.write(b);
                line.write(b);
                if (b == '\n') {
                    String text = line.toString(StandardCharsets.UTF_8);
                    line.reset();
                    if (text.contains(at)) {
                        throw new IllegalStateException("stopped at: " + text.strip());
                    }
                }
            }
        }, true);
    }

    static List<Path> runFolders(Path runs) throws IOException {
        try (Stream<Path> s = Files.list(runs)) {
            return s.filter(Files::isDirectory).sorted().toList();
        }
    }

    static int checkpoints(Path run) throws IOException {
        Path cp = run.resolve(Checkpoints.DIR);
        if (!Files.isDirectory(cp)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(cp)) {
            return (int) s.filter(p -> p.getFileName().toString().matches("[^._].*\\.json")).count();
        }
    }

    @Test
    void aSweepStoppedHalfWayResumesAndEndsAsAnUninterruptedOne() throws IOException {
        SweepJob.Result whole = fixture.reference();

        // the baseline fills the 1 MB round budget alone: stopping the sweep when its second round starts leaves the
        // first round's candidate checkpointed
        Path runs = dir.resolve("runs-stopped");
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        IllegalStateException stop = assertThrows(IllegalStateException.class,
                () -> fixture.sweep(runs, stoppingAt("round 2/", first)));
        assertTrue(stop.getMessage().contains("round 2/"), stop.getMessage());
        List<Path> folders = runFolders(runs);
        assertEquals(1, folders.size());
        Path run = folders.get(0);
        assertFalse(Files.exists(run.resolve("_SUCCESS")));
        int k = checkpoints(run);
        assertTrue(k >= 1 && k < 4, k + " checkpoints: " + first);
        assertFalse(Files.exists(runs.resolve("sweep.lock")), "the lock is released when a sweep fails");

        // without resume: a new run; with it: the same folder, only what is missing computed
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SweepJob.Result resumed = fixture.sweep(runs, new PrintStream(out, true), "runs.resume=true");
        String console = out.toString(StandardCharsets.UTF_8);
        assertEquals(run.getFileName().toString(), resumed.run().id(), console);
        assertTrue(console.contains("resuming " + resumed.run().path() + ": " + k + " of 4 candidates checkpointed, computing "
                + (4 - k)), console);
        assertTrue(console.contains("prune: " + (4 - k) + " candidates"), console);
        assertSameResult(whole, resumed);
        assertTrue(Files.exists(run.resolve("_SUCCESS")));
        assertFalse(Files.exists(run.resolve(Checkpoints.DIR)), "checkpoints go once the run is finished");
        assertTrue(Files.readString(run.resolve("run.json")).contains("\"resumedCandidates\" : " + k));
        assertEquals(List.of("Background", "Crack"), org.ftl.head.Classifier.load(run.resolve("best/model.zip")).classes());
        History history = History.read(runs.toString(), new Configuration());
        assertEquals(1, history.rows().size(), "only the finished run is in the history");
        assertEquals(String.valueOf(k), history.rows().get(0).get("resumed"));
    }

    @Test
    void finishedRunsGoIntoTheHistoryAndAWorseWinnerIsARegression() throws IOException {
        Path runs = dir.resolve("runs-history");
        SweepJob.Result first = fixture.reference();
        assertFalse(first.regression());
        Path historyFile = runs.resolve("history.csv");
        List<Map<String, String>> rows = History.read(runs.toString(), new Configuration()).rows();
        assertEquals(1, rows.size());
        Map<String, String> row = rows.get(0);
        assertEquals(first.run().id(), row.get("run"));
        assertEquals("nightly-test", row.get("config"));
        assertEquals(first.winner().text("candidate"), row.get("winner"));
        assertEquals(first.winner().number("f1"), Double.parseDouble(row.get("f1")));
        assertEquals(64, row.get("data_fingerprint").length());
        assertEquals("false", row.get("regression"));
        assertEquals("true", row.get("best"));

        // pretend the first night's winner was better: tonight's same result is then a regression (exit code 5)
        double f1 = first.winner().number("f1");
        setF1(historyFile, 0, f1 + 0.05);
        List<String> args = new ArrayList<>(List.of("sweep"));
        fixture.settings(runs, "runs.regression-tolerance=0.01", "runs.keep=2").forEach(o -> args.addAll(List.of("--set", o.assignment())));
        CliTest.Run worse = new CliTest.Run(args.toArray(String[]::new));
        assertEquals(ExitCode.REGRESSION, worse.code, worse.err);
        rows = History.read(runs.toString(), new Configuration()).rows();
        assertEquals(List.of("false", "true"), rows.stream().map(r -> r.get("regression")).toList());
        assertEquals(first.run().id(), rows.get(1).get("previous_run"));
        assertEquals(f1 + 0.05, Double.parseDouble(rows.get(1).get("previous_f1")), 1e-12);
        assertEquals(List.of("true", "false"), rows.stream().map(r -> r.get("best")).toList(),
                "the first run, with its better F1, is the current best");
        String worseRun = rows.get(1).get("run");

        // keep 1: the first run is older than the last one but the current best, so it stays; the second goes
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SweepJob.Result third = fixture.sweep(runs, new PrintStream(out, true), "runs.keep=1", "runs.regression-tolerance=0.1");
        assertFalse(third.regression(), "within the tolerance");
        String console = out.toString(StandardCharsets.UTF_8);
        List<String> left = runFolders(runs).stream().map(p -> p.getFileName().toString()).toList();
        assertEquals(List.of(first.run().id(), third.run().id()), left, console);
        assertTrue(console.contains("retention: deleted " + runs.resolve(worseRun).toUri().getPath().replaceAll("/$", "")),
                console);
        assertTrue(console.contains("retention: kept"), console);
        assertEquals(3, History.read(runs.toString(), new Configuration()).rows().size(), "the history keeps every row");
    }

    @Test
    void aSecondSweepOnTheSameRootIsRefusedWithExitCode2() throws IOException {
        Path runs = dir.resolve("runs-locked");
        Files.createDirectories(runs);
        // held by a live process: this JVM, as if another thread's sweep were running
        ProcessHandle self = ProcessHandle.current();
        Files.writeString(runs.resolve("sweep.lock"), "{\"pid\": " + self.pid() + ", \"host\": \""
                + java.net.InetAddress.getLocalHost().getHostName() + "\", \"config\": \"other\", \"since\": \"2026-11-22T02:30:00Z\", "
                + "\"processStart\": \"" + self.info().startInstant().orElseThrow() + "\"}");
        List<String> args = new ArrayList<>(List.of("sweep"));
        fixture.settings(runs).forEach(o -> args.addAll(List.of("--set", o.assignment())));
        CliTest.Run refused = new CliTest.Run(args.toArray(String[]::new));
        assertEquals(ExitCode.USAGE, refused.code, refused.err);
        assertTrue(refused.err.contains(runs.resolve("sweep.lock").toString()) && refused.err.contains("pid " + self.pid())
                && refused.err.contains("config other") && refused.err.contains("since 2026-11-22T02:30:00Z"), refused.err);
        try (Stream<Path> s = Files.list(runs)) {
            assertEquals(List.of("sweep.lock"), s.map(p -> p.getFileName().toString()).toList(), "nothing was done");
        }
    }

    /** Sets the f1 cell of one row of history.csv (plain numbers, no quoted fields in these rows). */
    static void setF1(Path historyFile, int row, double f1) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(historyFile));
        int col = Arrays.asList(lines.get(0).split(",", -1)).indexOf("f1");
        String[] cells = lines.get(row + 1).split(",", -1);
        cells[col] = String.valueOf(f1);
        lines.set(row + 1, String.join(",", cells));
        Files.write(historyFile, lines);
    }
}
