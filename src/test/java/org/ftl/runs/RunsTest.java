package org.ftl.runs;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The runs root's lock, history and retention, on the local file system through Hadoop (no Spark). */
class RunsTest {
    @TempDir
    Path dir;

    final Configuration conf = new Configuration();
    final ByteArrayOutputStream console = new ByteArrayOutputStream();
    final PrintStream out = new PrintStream(console, true);

    String printed() {
        return console.toString(StandardCharsets.UTF_8);
    }

    /** A process that has ended: its pid is not running. */
    static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        long pid = p.pid();
        for (int i = 0; i < 50 && ProcessHandle.of(pid).isPresent(); i++) {
            Thread.sleep(20);
        }
        return pid;
    }

    @Test
    void theLockIsOneSweepAtATimeAndReleased() throws IOException {
        String root = dir.resolve("runs").toString();
        try (RunsLock lock = RunsLock.acquire(root, conf, "a", out)) {
            assertTrue(Files.isRegularFile(dir.resolve("runs/sweep.lock")));
            assertEquals(ProcessHandle.current().pid(), lock.holder().pid());
            LockHeld held = assertThrows(LockHeld.class, () -> RunsLock.acquire(root, conf, "b", out));
            String m = held.getMessage();
            assertTrue(m.contains(dir.resolve("runs/sweep.lock").toString()), m);
            assertTrue(m.contains("pid " + ProcessHandle.current().pid()), m);
            assertTrue(m.contains("on host " + RunsLock.hostName()) && m.contains("config a") && m.contains("since "), m);
        }
        assertFalse(Files.exists(dir.resolve("runs")), "released, and the runs root it made (empty) removed");
        Files.createDirectories(dir.resolve("runs"));
        RunsLock.acquire(root, conf, "c", out).close();
        try (Stream<Path> s = Files.list(dir.resolve("runs"))) {
            assertEquals(List.of(), s.toList(), "a runs root that was there stays; no temporary files left");
        }
    }

    @Test
    void aStaleLockOfADeadProcessIsTakenOver() throws Exception {
        String root = dir.resolve("runs").toString();
        long dead = deadPid();
        RunsLock.write(root, conf, new RunsLock.Holder(dead, RunsLock.hostName(), "nightly", "2026-01-01T00:00:00Z",
                "2026-01-01T00:00:00Z"));
        try (RunsLock lock = RunsLock.acquire(root, conf, "nightly", out)) {
            assertEquals(ProcessHandle.current().pid(), lock.holder().pid());
        }
        assertTrue(printed().contains("runs: taking over the stale lock") && printed().contains("process " + dead
                + " is not running any more"), printed());
    }

    @Test
    void aLockWhosePidNowBelongsToALaterProcessIsStale() {
        String root = dir.resolve("runs").toString();
        // this JVM's pid, but a holder that started long before this JVM did: the pid was reused
        RunsLock.write(root, conf, new RunsLock.Holder(ProcessHandle.current().pid(), RunsLock.hostName(), "nightly",
                "2020-01-01T00:00:00Z", "2020-01-01T00:00:00Z"));
        RunsLock.acquire(root, conf, "nightly", out).close();
        assertTrue(printed().contains("now belongs to another process"), printed());
    }

    @Test
    void aLockFromAnotherHostIsNeverTakenOver() {
        String root = dir.resolve("runs").toString();
        RunsLock.write(root, conf, new RunsLock.Holder(1, "some-other-host", "nightly", "2026-01-01T00:00:00Z", null));
        LockHeld held = assertThrows(LockHeld.class, () -> RunsLock.acquire(root, conf, "nightly", out));
        assertTrue(held.getMessage().contains("some-other-host") && held.getMessage().contains("delete the lock file"),
                held.getMessage());
    }

    static Map<String, String> row(String run, String config, String data, double f1) {
        Map<String, String> r = new LinkedHashMap<>();
        r.put("finished", Instant.now().toString());
        r.put("run", run);
        r.put("config", config);
        r.put("data_fingerprint", data);
        r.put("winner", "iou-0.10");
        r.put("f1", String.valueOf(f1));
        return r;
    }

    @Test
    void historyRowsRegressionVerdictsAndTheCurrentBest() {
        String root = dir.resolve("runs").toString();
        History h = History.read(root, conf);
        assertEquals(History.Verdict.NONE, h.compare("n", "d1", 0.9, 0.01), "no previous run");
        h.append(row("r1", "n", "d1", 0.90), History.Verdict.NONE);
        h.write();

        h = History.read(root, conf);
        History.Verdict within = h.compare("n", "d1", 0.895, 0.01);
        assertFalse(within.regression());
        assertEquals("r1", within.previousRun());
        assertFalse(h.compare("n", "d1", 0.89, 0.01).regression(), "exactly the tolerance is not a regression");
        History.Verdict worse = h.compare("n", "d1", 0.85, 0.01);
        assertTrue(worse.regression());
        assertEquals(0.05, worse.drop(0.85), 1e-12);
        assertEquals(History.Verdict.NONE, h.compare("n", "d2", 0.1, 0.01), "other data: nothing to compare");
        assertEquals(History.Verdict.NONE, h.compare("m", "d1", 0.1, 0.01), "other config name: nothing to compare");
        h.append(row("r2", "n", "d1", 0.85), worse);
        h.append(row("r3", "m", "d1", 0.50), History.Verdict.NONE);
        h.write();

        h = History.read(root, conf);
        List<Map<String, String>> rows = h.rows();
        assertEquals(List.of("r1", "r2", "r3"), rows.stream().map(r -> r.get("run")).toList());
        assertEquals(List.of("false", "true", "false"), rows.stream().map(r -> r.get("regression")).toList());
        assertEquals("r1", rows.get(1).get("previous_run"));
        assertEquals(Set.of("r1"), h.bestRuns("n"));
        assertEquals(Set.of("r3"), h.bestRuns("m"));

        // new data: the best is among the runs on it, even if an older run on other data scored higher
        h.append(row("r4", "n", "d2", 0.70), History.Verdict.NONE);
        assertEquals(Set.of("r4"), h.bestRuns("n"));
        h.append(row("r5", "n", "d2", 0.70), History.Verdict.NONE);
        assertEquals(Set.of("r5"), h.bestRuns("n"), "a tie goes to the newer run");
        h.write();
        assertEquals(History.COLUMNS, List.of(firstLine(dir.resolve("runs/history.csv")).split(",")));
    }

    @Test
    void historyKeepsColumnsItDoesNotKnow() throws IOException {
        Path file = dir.resolve("runs/history.csv");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "run,config,data_fingerprint,f1,note\nr0,n,d,0.5,\"said, with a comma\"\n");
        History h = History.read(file.getParent().toString(), conf);
        h.append(row("r1", "n", "d", 0.6), h.compare("n", "d", 0.6, 0.01));
        h.write();
        List<Map<String, String>> rows = History.read(file.getParent().toString(), conf).rows();
        assertEquals("said, with a comma", rows.get(0).get("note"));
        assertEquals("r0", rows.get(1).get("previous_run"));
        assertEquals("true", rows.get(1).get("best"));
    }

    static String firstLine(Path p) {
        try {
            return Files.readAllLines(p).get(0);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Makes a run folder like the sweep's (finished: with run.json and _SUCCESS). */
    Path run(String id, String name, boolean finished) throws IOException {
        Path r = dir.resolve("runs").resolve(id);
        Files.createDirectories(r.resolve("best"));
        Files.writeString(r.resolve("metrics.csv"), "candidate\n");
        if (finished) {
            Files.writeString(r.resolve("run.json"), "{\"run\": \"" + id + "\", \"name\": \"" + name + "\"}");
            Files.write(r.resolve("_SUCCESS"), new byte[0]);
        } else {
            Files.createDirectories(r.resolve("checkpoints"));
            Files.writeString(r.resolve("checkpoints/_key.json"), "{\"name\": \"" + name + "\"}");
        }
        return r;
    }

    @Test
    void retentionKeepsTheLastRunsOfTheNameAndTheCurrentBest() throws IOException {
        run("20260101-010000-nightly", "nightly", true);       // the best: kept
        run("20260102-010000-nightly", "nightly", true);       // deleted
        run("20260103-010000-nightly", "nightly", false);      // unfinished leftover: deleted
        run("20260103-010000-nightly-2", "nightly-2", true);   // another config's run, though it looks like a suffix
        run("20260103-020000-demo", "demo", true);             // another config: untouched
        run("20260104-010000-nightly", "nightly", true);
        run("20260104-010000-nightly-2", "nightly", true);     // same second, second run: newer than -1
        run("20260105-010000-nightly", "nightly", false);      // the run being written
        String root = dir.resolve("runs").toString();

        assertEquals(List.of(), Retention.apply(root, conf, "nightly", 0, "20260105-010000-nightly", Set.of(), out),
                "0 keeps all");
        List<String> deleted = Retention.apply(root, conf, "nightly", 3, "20260105-010000-nightly",
                Set.of("20260101-010000-nightly"), out);
        assertEquals(List.of("20260102-010000-nightly", "20260103-010000-nightly"), deleted);
        try (Stream<Path> s = Files.list(dir.resolve("runs"))) {
            assertEquals(List.of("20260101-010000-nightly", "20260103-010000-nightly-2", "20260103-020000-demo",
                    "20260104-010000-nightly", "20260104-010000-nightly-2", "20260105-010000-nightly"),
                    s.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertTrue(printed().contains("retention: deleted " + dir.resolve("runs/20260102-010000-nightly") + " (finished"),
                printed());
        assertTrue(printed().contains("(unfinished"), printed());
        assertTrue(printed().contains("retention: kept " + dir.resolve("runs/20260101-010000-nightly")), printed());

        // the run being written is never deleted, even when it is not among the newest (a resumed old run)
        deleted = Retention.apply(root, conf, "nightly", 1, "20260104-010000-nightly", Set.of(), out);
        assertEquals(List.of("20260101-010000-nightly", "20260104-010000-nightly-2"), deleted);
        assertTrue(Files.isDirectory(dir.resolve("runs/20260104-010000-nightly")));
    }
}
