package org.ftl.sweep;

import org.ftl.config.SettingOverride;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A sweep killed for real: {@code ftl sweep} in a child JVM is killed (SIGKILL) once some but not all of its
 * candidates are checkpointed; the rerun with resume takes over its stale lock, computes only the missing
 * candidates and ends with the metrics (all but latency) and winner of an uninterrupted run. Several JVMs and
 * about a minute: tagged cluster, so the fast suite leaves it out.
 */
@Tag("cluster")
class SweepCrashTest {
    static final int CANDIDATES = 4;

    @TempDir
    Path dir;

    @Test
    void aKilledSweepResumesWithOnlyWhatIsMissingAndTheSameResult() throws Exception {
        NightlySweepTest.Fixture fixture = new NightlySweepTest.Fixture(dir);
        SweepJob.Result whole = fixture.reference(); // trains and caches the backbone the child reuses

        Path runs = dir.resolve("runs-killed");
        Path log = dir.resolve("child.log");
        Process child = child(fixture, runs, log);
        int k;
        try {
            Path run = awaitPartial(child, runs, log);
            child.destroyForcibly();
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child JVM ends when killed");
            k = NightlySweepTest.checkpoints(run);
            assertTrue(k >= 1 && k < CANDIDATES, k + " checkpoints after the kill");
            assertFalse(Files.exists(run.resolve("_SUCCESS")));
            assertTrue(Files.exists(runs.resolve("sweep.lock")), "a killed sweep leaves its lock");
        } finally {
            child.destroyForcibly();
        }

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SweepJob.Result resumed = fixture.sweep(runs, new PrintStream(out, true), "runs.resume=true");
        String console = out.toString(StandardCharsets.UTF_8);
        assertTrue(console.contains("runs: taking over the stale lock") && console.contains("is not running any more"),
                console);
        assertTrue(console.contains(k + " of " + CANDIDATES + " candidates checkpointed, computing " + (CANDIDATES - k)),
                console);
        assertTrue(console.contains("prune: " + (CANDIDATES - k) + " candidates"), console);
        NightlySweepTest.assertSameResult(whole, resumed);
        assertEquals(1, NightlySweepTest.runFolders(runs).size(), "resumed in the killed run's folder");
        assertFalse(Files.exists(runs.resolve("sweep.lock")));
    }

    /** {@code ftl sweep} with the test's settings in a JVM of its own, output to a file. */
    static Process child(NightlySweepTest.Fixture fixture, Path runs, Path log) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx3g");
        Path flags = Path.of("target", "jvm-flags.txt");
        assertTrue(Files.isRegularFile(flags), "target/jvm-flags.txt (written by the build)");
        for (String f : Files.readString(flags).trim().split("\\s+")) {
            cmd.add(f);
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.ftl.cli.Ftl", "sweep"));
        for (SettingOverride o : fixture.settings(runs, "runs.resume=true")) {
            cmd.add("--set");
            cmd.add(o.assignment());
        }
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Waits (up to 5 minutes on a loaded machine) until the child's run holds some but not all checkpoints. */
    static Path awaitPartial(Process child, Path runs, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < deadline) {
            if (!child.isAlive()) {
                fail("the child sweep ended (" + child.exitValue() + ") before it could be killed half-way:\n"
                        + Files.readString(log));
            }
            if (Files.isDirectory(runs)) {
                for (Path run : NightlySweepTest.runFolders(runs)) {
                    int n = NightlySweepTest.checkpoints(run);
                    if (n >= 1 && n < CANDIDATES) {
                        return run;
                    }
                    if (n == CANDIDATES) {
                        fail("every candidate was checkpointed before the test saw a partial state:\n" + Files.readString(log));
                    }
                }
            }
            Thread.sleep(20);
        }
        fail("no checkpoint within 5 minutes:\n" + Files.readString(log));
        return null;
    }
}
