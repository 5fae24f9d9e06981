package org.ftl.sweep;

import org.ftl.runs.RunFolder;
import org.apache.spark.sql.SparkSession;
import org.ftl.FullDiskFileSystem;
import org.ftl.Json;
import org.ftl.cli.CliTest;
import org.ftl.cli.ExitCode;
import org.ftl.report.MetricsCsv;
import org.ftl.report.MetricsRow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A sweep that runs out of disk, write permission or memory — in the run folder's files, its checkpoints, the
 * backbone cache, a task or the driver — ends with exit code 6 and one line naming the path or the limit and the
 * setting, leaves no temporary file and no _SUCCESS, keeps every checkpoint it wrote whole, and {@code --resume}
 * finishes the run with the table of an uninterrupted one. The disk is {@link FullDiskFileSystem}: the local disk,
 * filled on demand with the FSError a full one gives (a real small file system needs root to mount).
 */
class OutOfResourceSweepTest {
    @TempDir
    static Path dir;

    static NightlySweepTest.Fixture fixture;
    /** The uninterrupted run's metrics by candidate. */
    static Map<String, MetricsRow> reference;

    @BeforeAll
    static void referenceRun() throws IOException {
        // a task's OutOfMemoryError must fail the task, not exit this JVM: a session another test started without
        // the sweep's setting for that is stopped, so the sweeps here start their own
        for (scala.Option<SparkSession> s : List.of(SparkSession.getActiveSession(), SparkSession.getDefaultSession())) {
            if (s.isDefined() && !"0".equals(s.get().sparkContext().getConf().get("spark.executor.killOnFatalError.depth", ""))) {
                s.get().stop();
            }
        }
        fixture = new NightlySweepTest.Fixture(dir);
        CliTest.Run r = sweep(dir.resolve("runs-reference").toString());
        assertEquals(ExitCode.OK, r.code, r.err);
        reference = metrics(onlyRun(dir.resolve("runs-reference")));
        assertEquals(3, reference.size());
    }

    @AfterEach
    void roomAgain() {
        FullDiskFileSystem.reset();
    }

    /** {@code ftl sweep} on the fixture's data, three candidates in two rounds, with more settings or flags. */
    static CliTest.Run sweep(String runs, String... more) {
        List<String> args = new ArrayList<>(List.of("sweep"));
        for (String s : new String[] {
                "name=resources", "data.root=" + fixture.data, "runs.root=" + runs, "spark.master=local[2]",
                "backbone.source=alexnet", "backbone.width=0.25", "backbone.cache=" + dir.resolve("cache"),
                "backbone.train.epochs=2", "backbone.train.patience=1",
                "prune.criteria=[iou]", "prune.factors=[0.25, 0.5]", "prune.comparison-factors=[0.5]",
                "head.c-grid=[0.1, 10]", "head.folds=2", "cost.warmup=1", "cost.min-repetitions=3", "cost.min-seconds=0",
                "sweep.image-partitions=2", "sweep.variant-group-mb=1"}) {
            args.add("--set");
            args.add(s);
        }
        for (String m : more) {
            if (m.startsWith("--")) {
                args.add(m);
            } else {
                args.add("--set");
                args.add(m);
            }
        }
        return new CliTest.Run(args.toArray(String[]::new));
    }

    static Path onlyRun(Path runs) throws IOException {
        List<Path> folders = NightlySweepTest.runFolders(runs);
        assertEquals(1, folders.size(), folders.toString());
        return folders.get(0);
    }

    static Map<String, MetricsRow> metrics(Path run) throws IOException {
        return MetricsCsv.parse(Files.readAllBytes(run.resolve("metrics.csv"))).stream()
                .collect(Collectors.toMap(MetricsRow::candidate, r -> r, (a, b) -> a, TreeMap::new));
    }

    /** Every column but latency equal to the uninterrupted run's, row by row. */
    static void assertSameAsReference(Path run) throws IOException {
        Map<String, MetricsRow> got = metrics(run);
        assertEquals(reference.keySet(), got.keySet());
        for (String id : reference.keySet()) {
            for (String col : NightlySweepTest.STABLE) {
                assertEquals(reference.get(id).text(col), got.get(id).text(col), id + " " + col);
            }
        }
    }

    /** The one line on stderr, checked to be one line without a stack trace. */
    static String oneLine(CliTest.Run r) {
        String err = r.err.strip();
        assertEquals(1, err.lines().count(), err);
        assertFalse(err.contains("\tat "), err);
        assertTrue(err.startsWith("ftl: "), err);
        return err;
    }

    /** No temporary file or folder of ours or of Spark's anywhere below. */
    static void assertNoTemporaryFiles(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            List<String> left = s.map(p -> root.relativize(p).toString()).filter(n -> n.endsWith(".tmp")
                    || n.contains(".tmp/") || n.contains(".parts") || n.contains("_temporary") || n.endsWith(".crc")
                    || n.endsWith(".stale")).toList();
            assertEquals(List.of(), left, "temporary files left under " + root);
        }
    }

    /** The checkpoint files of a run, by name, each a whole JSON document of its candidate. */
    static Map<String, byte[]> checkpointFiles(Path run) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        Path cp = run.resolve(Checkpoints.DIR);
        try (Stream<Path> s = Files.list(cp)) {
            for (Path p : s.sorted().toList()) {
                byte[] bytes = Files.readAllBytes(p);
                Map<?, ?> json = Json.MAPPER.readValue(bytes, Map.class);
                String name = p.getFileName().toString();
                if (!name.startsWith("_")) {
                    assertEquals(name.replaceFirst("\\.json$", ""), json.get("candidate"), name);
                }
                out.put(name, bytes);
            }
        }
        return out;
    }

    @Test
    void aRunFolderFillingUpAtEachOfItsFilesStopsWithExit6AndResumeFinishesIt() throws IOException {
        Path runs = dir.resolve("runs-full");
        String root = FullDiskFileSystem.uri(runs);
        // in the order the sweep writes them: Spark's Parquet task, Spark's CSV task, then the driver's files
        String[][] files = {{"metrics\\.parquet", "metrics.parquet"}, {"metrics\\.csv", "metrics.csv"},
                {"best/\\.model\\.zip", "best/model.zip"}, {"/\\.run\\.json", "run.json"}, {"/\\.report\\.html", "report.html"}};
        Map<String, byte[]> kept = null;
        for (int i = 0; i < files.length; i++) {
            FullDiskFileSystem.reset();
            FullDiskFileSystem.fillAt(files[i][0], 1);
            CliTest.Run r = i == 0 ? sweep(root) : sweep(root, "--resume");
            assertEquals(ExitCode.RESOURCE, r.code, r.err);
            Path run = onlyRun(runs);
            String line = oneLine(r);
            assertTrue(line.startsWith("ftl: out of disk space: cannot write " + FullDiskFileSystem.SCHEME + ":" + run + "/"
                    + files[i][1] + " (No space left on device): free space on that disk or set runs.root (--runs, FTL_RUNS)"
                    + " to one with room; "), line);
            assertTrue(line.endsWith(" keeps 3 checkpointed candidate(s) and has no _SUCCESS: ftl sweep --resume "
                    + "(runs.resume = true) finishes it"), line);
            assertFalse(Files.exists(run.resolve(RunFolder.SUCCESS)), files[i][1]);
            assertNoTemporaryFiles(runs);
            Map<String, byte[]> now = checkpointFiles(run);
            assertEquals(4, now.size(), now.keySet() + " (three candidates and _key.json)");
            if (kept != null) {
                assertEquals(kept.keySet(), now.keySet());
                for (String name : kept.keySet()) {
                    assertArrayEquals(kept.get(name), now.get(name), name + " unchanged by the failed resume");
                }
            }
            kept = now;
            assertFalse(Files.exists(runs.resolve("sweep.lock")), "the lock is released");
        }
        // room for the run folder again; the disk fills only at the history, which follows _SUCCESS
        FullDiskFileSystem.reset();
        FullDiskFileSystem.fillAt("/\\.history\\.csv", 1);
        CliTest.Run done = sweep(root, "--resume");
        Path run = onlyRun(runs);
        assertEquals(ExitCode.RESOURCE, done.code, done.err);
        assertEquals("ftl: out of disk space: cannot write " + FullDiskFileSystem.SCHEME + ":" + runs + "/history.csv (No "
                + "space left on device): free space on that disk or set runs.root (--runs, FTL_RUNS) to one with room; "
                + FullDiskFileSystem.SCHEME + ":" + run + " itself is finished (its _SUCCESS is written): only history.csv and"
                + " retention were not updated", oneLine(done));
        assertTrue(Files.exists(run.resolve(RunFolder.SUCCESS)));
        assertFalse(Files.exists(run.resolve(Checkpoints.DIR)));
        assertFalse(Files.exists(runs.resolve("history.csv")));
        assertSameAsReference(run);
        assertNoTemporaryFiles(runs);
        assertTrue(Files.exists(run.resolve("report.html")) && Files.exists(run.resolve("best/model.zip")));
    }

    /**
     * The same on a real file system of 256 KB, where this JVM may mount one (root, and a kernel that lets it):
     * the run folder fills up as the kernel and Hadoop's local file system do it, then the file system is made
     * larger and the run resumed.
     */
    @Test
    void aRealSmallFileSystemFillsUpAndTheRunResumesOnceItIsLarger() throws IOException, InterruptedException {
        Path mount = Files.createDirectories(dir.resolve("tmpfs"));
        org.junit.jupiter.api.Assumptions.assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", mount.toString()),
                "cannot mount a tmpfs here (needs root)");
        try {
            Path runs = mount.resolve("runs");
            CliTest.Run r = sweep(runs.toString());
            assertEquals(ExitCode.RESOURCE, r.code, r.err);
            Path run = onlyRun(runs);
            String line = oneLine(r);
            assertTrue(line.matches("ftl: out of disk space: cannot write file:" + java.util.regex.Pattern.quote(run.toString())
                    + "/[^ ]+ \\(No space left on device\\): free space on that disk or set runs\\.root .*"), line);
            assertTrue(line.contains(" keeps 3 checkpointed candidate(s) and has no _SUCCESS"), line);
            assertFalse(Files.exists(run.resolve(RunFolder.SUCCESS)));
            assertNoTemporaryFiles(runs);
            assertEquals(4, checkpointFiles(run).size());

            assertTrue(run("mount", "-o", "remount,size=8m", mount.toString()));
            CliTest.Run done = sweep(runs.toString(), "--resume");
            assertEquals(ExitCode.OK, done.code, done.err);
            assertSameAsReference(run);
            assertNoTemporaryFiles(runs);
        } finally {
            assertTrue(run("umount", mount.toString()), "umount " + mount);
        }
    }

    private static boolean run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        boolean ok = p.waitFor() == 0;
        if (!ok) {
            System.err.println(String.join(" ", command) + ": " + out.strip());
        }
        return ok;
    }

    @Test
    void checkpointsThatCannotBeWrittenStopTheSweepKeepingTheOnesWritten() throws IOException {
        Path runs = dir.resolve("runs-checkpoints");
        String root = FullDiskFileSystem.uri(runs);
        // the second candidate's checkpoint (temporary names start with a dot, _key.json's with "._")
        FullDiskFileSystem.fillAt("/checkpoints/\\.[^_]", 2);
        CliTest.Run r = sweep(root);
        assertEquals(ExitCode.RESOURCE, r.code, r.err);
        Path run = onlyRun(runs);
        String line = oneLine(r);
        assertTrue(line.startsWith("ftl: out of disk space: cannot write " + FullDiskFileSystem.SCHEME + ":" + run
                + "/checkpoints/"), line);
        assertTrue(line.contains(" keeps 1 checkpointed candidate(s) and has no _SUCCESS"), line);
        assertNoTemporaryFiles(runs);
        Map<String, byte[]> kept = checkpointFiles(run);
        assertEquals(2, kept.size(), kept.keySet().toString());
        assertFalse(Files.exists(run.resolve(RunFolder.SUCCESS)));

        FullDiskFileSystem.reset();
        CliTest.Run done = sweep(root, "--resume");
        assertEquals(ExitCode.OK, done.code, done.err);
        assertSameAsReference(onlyRun(runs));
        assertNoTemporaryFiles(runs);
    }

    /** Executors that cannot write the checkpoints (their disk full, or runs.root not theirs): the driver does. */
    @Test
    void aFullDiskUnderTheExecutorsCheckpointsLosesNoCandidate() throws IOException {
        Path runs = dir.resolve("runs-executors");
        FullDiskFileSystem.fillAt("/checkpoints/\\.[^_]", 1, FullDiskFileSystem::executor);
        CliTest.Run r = sweep(FullDiskFileSystem.uri(runs));
        assertEquals(ExitCode.OK, r.code, r.err);
        assertEquals(3, FullDiskFileSystem.refused(), "every head task's own write was refused");
        assertSameAsReference(onlyRun(runs));
        assertNoTemporaryFiles(runs);
    }

    @Test
    void aFullBackboneCacheStopsBeforeAnyRunFolderNamingBackboneCache() throws IOException {
        Path cache = dir.resolve("cache-full");
        Path runs = dir.resolve("runs-cache");
        FullDiskFileSystem.fillAt("/\\.alexnet-", 1);
        CliTest.Run r = sweep(runs.toString(), "backbone.cache=" + FullDiskFileSystem.uri(cache), "backbone.width=0.125",
                "backbone.train.epochs=1");
        assertEquals(ExitCode.RESOURCE, r.code, r.err);
        String line = oneLine(r);
        assertTrue(line.matches("ftl: out of disk space: cannot write " + FullDiskFileSystem.SCHEME + ":" + cache
                + "/alexnet-[0-9a-f]{16}"
                + "\\.zip \\(No space left on device\\): free space on that disk or set backbone\\.cache to one with room; "
                + "no run folder was made"), line);
        try (Stream<Path> s = Files.list(cache)) {
            assertEquals(List.of(), s.toList(), "neither a model nor its temporary file");
        }
        try (Stream<Path> s = Files.exists(runs) ? Files.list(runs) : Stream.empty()) {
            assertEquals(List.of(), s.toList());
        }
    }

    @Test
    void aRunsRootThisUserCannotWriteIsExit6NamingIt() throws IOException {
        Path locked = Files.createDirectories(dir.resolve("locked"));
        FullDiskFileSystem.readOnly(locked);
        // the root exists but takes no files, or it cannot be made
        Files.createDirectories(locked.resolve("runs"));
        CliTest.Run inside = sweep(FullDiskFileSystem.uri(locked.resolve("runs")));
        assertEquals(ExitCode.RESOURCE, inside.code, inside.err);
        String line = oneLine(inside);
        assertTrue(line.startsWith("ftl: permission denied: cannot write " + FullDiskFileSystem.SCHEME + ":" + locked
                + "/runs/sweep.lock ("), line);
        assertTrue(line.endsWith("(Permission denied)): make it writable for user " + System.getProperty("user.name")
                + " or set runs.root (--runs, FTL_RUNS) to a folder you can write; no run folder was made"), line);

        CliTest.Run below = sweep(FullDiskFileSystem.uri(locked.resolve("runs/nightly")));
        assertEquals(ExitCode.RESOURCE, below.code, below.err);
        String second = oneLine(below);
        assertTrue(second.contains("(cannot create folder " + FullDiskFileSystem.SCHEME + ":" + locked + "/runs/nightly in "
                + FullDiskFileSystem.SCHEME + ":" + locked + "/runs: permission denied or a read-only file system)"), second);
        try (Stream<Path> s = Files.walk(locked)) {
            assertEquals(List.of(locked, locked.resolve("runs")), s.sorted().toList(), "nothing was written");
        }
    }

    /** Other commands: an Error (memory, Hadoop's FSError) reaches the same one-line handler, not a stack trace. */
    @Test
    void otherCommandsOutOfMemoryOrDiskAreExit6Too() throws IOException {
        Path backbone;
        try (Stream<Path> s = Files.list(dir.resolve("cache"))) {
            backbone = s.filter(p -> p.getFileName().toString().endsWith(".zip")).findFirst().orElseThrow();
        }
        String data = FullDiskFileSystem.uri(fixture.data);
        FullDiskFileSystem.onOpen("/segmented/", 1, t -> true, OutOfResourceSweepTest::exhaustHeap);
        CliTest.Run heap = new CliTest.Run("prune", "--backbone", backbone.toString(), "--data", data, "--factor", "0.5",
                "--out", dir.resolve("pruned.zip").toString());
        assertEquals(ExitCode.RESOURCE, heap.code, heap.err);
        assertTrue(oneLine(heap).startsWith("ftl: out of memory: the Java heap is full (Java heap space; this JVM's -Xmx is "),
                heap.err);

        FullDiskFileSystem.reset();
        FullDiskFileSystem.fillAt("pruned\\.zip", 1);
        String out = FullDiskFileSystem.uri(dir.resolve("out")) + "/pruned.zip";
        CliTest.Run disk = new CliTest.Run("prune", "--backbone", backbone.toString(), "--data", data, "--factor", "0.5",
                "--out", out);
        assertEquals(ExitCode.RESOURCE, disk.code, disk.err);
        assertEquals("ftl: out of disk space: cannot write " + out + " (No space left on device)", oneLine(disk));
        assertNoTemporaryFiles(dir.resolve("out"));
    }

    /** A real allocation the JVM refuses: more than its whole heap. */
    static void exhaustHeap() {
        long[] all = new long[(int) Math.min(Integer.MAX_VALUE - 8, Runtime.getRuntime().maxMemory() / 8 + 1024)];
        throw new AssertionError("a heap of " + Runtime.getRuntime().maxMemory() + " bytes took " + all.length + " longs");
    }

    /** A real allocation JavaCPP refuses: more than its limit on native memory. */
    static void exhaustNativeMemory() {
        try (org.bytedeco.javacpp.BytePointer p = new org.bytedeco.javacpp.BytePointer(org.bytedeco.javacpp.Pointer.maxBytes() + 1)) {
            throw new AssertionError("JavaCPP allocated " + p.capacity() + " bytes");
        }
    }

    @Test
    void aDecodeTaskOutOfHeapIsExit6NamingTheHeapNotAKilledJvm() throws IOException {
        Path runs = dir.resolve("runs-heap");
        FullDiskFileSystem.onOpen("/evaluation/", 1, FullDiskFileSystem::executor, OutOfResourceSweepTest::exhaustHeap);
        CliTest.Run r = sweep(runs.toString(), "data.root=" + FullDiskFileSystem.uri(fixture.data));
        assertEquals(ExitCode.RESOURCE, r.code, r.err);
        String line = oneLine(r);
        assertTrue(line.startsWith("ftl: out of memory: the Java heap is full during the decode stage (Java heap space; this"
                + " JVM's -Xmx is "), line);
        assertTrue(line.contains("): give it more with FTL_MEMORY=… (half of it is the heap) or FTL_JAVA_OPTS=-Xmx… (spark-submit: --driver-memory, --executor-memory),"
                + " or raise sweep.image-partitions (2) so each task decodes fewer images; "), line);
        assertTrue(line.endsWith(" keeps 0 checkpointed candidate(s) and has no _SUCCESS: ftl sweep --resume (runs.resume = "
                + "true) finishes it"), line);
        Path run = onlyRun(runs);
        assertFalse(Files.exists(run.resolve(RunFolder.SUCCESS)));
        assertFalse(Files.exists(runs.resolve("sweep.lock")));
        assertNoTemporaryFiles(runs);
    }

    @Test
    void aDecodeTaskOutOfNativeMemoryNamesJavaCppsLimits() throws IOException {
        Path runs = dir.resolve("runs-native");
        FullDiskFileSystem.onOpen("/dataset/", 1, FullDiskFileSystem::executor, OutOfResourceSweepTest::exhaustNativeMemory);
        CliTest.Run r = sweep(runs.toString(), "data.root=" + FullDiskFileSystem.uri(fixture.data));
        assertEquals(ExitCode.RESOURCE, r.code, r.err);
        String line = oneLine(r);
        assertTrue(line.startsWith("ftl: out of native memory during the decode stage (Failed to allocate memory within limits: "
                + "totalBytes ("), line);
        assertTrue(line.contains("org.bytedeco.javacpp.maxphysicalbytes = ") && line.contains("org.bytedeco.javacpp.maxbytes = ")
                && line.contains("FTL_JAVA_OPTS=\"-Dorg.bytedeco.javacpp.maxphysicalbytes=…"), line);
        assertFalse(Files.exists(onlyRun(runs).resolve(RunFolder.SUCCESS)));
    }

    @Test
    void theDriverOutOfHeapWhileListingTheDataIsExit6BeforeAnyRunFolder() throws IOException {
        Path runs = dir.resolve("runs-driver");
        FullDiskFileSystem.onOpen("/segmented/", 1, t -> !FullDiskFileSystem.executor(t), OutOfResourceSweepTest::exhaustHeap);
        CliTest.Run r = sweep(runs.toString(), "data.root=" + FullDiskFileSystem.uri(fixture.data));
        assertEquals(ExitCode.RESOURCE, r.code, r.err);
        String line = oneLine(r);
        assertTrue(line.startsWith("ftl: out of memory: the Java heap is full during the data stage (Java heap space;"), line);
        assertTrue(line.endsWith("(spark-submit: --driver-memory, --executor-memory); no run folder was made"), line);
        try (Stream<Path> s = Files.exists(runs) ? Files.list(runs) : Stream.empty()) {
            assertEquals(List.of(), s.toList());
        }
    }
}
