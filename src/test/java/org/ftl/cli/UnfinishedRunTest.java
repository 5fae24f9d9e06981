package org.ftl.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** predict never takes the best/ of a run that did not finish (decide and report: DecideCommandTest, ReportTest). */
class UnfinishedRunTest {
    @TempDir
    Path dir;

    private Path run(String name, String... files) throws IOException {
        Path run = dir.resolve(name);
        Files.createDirectories(run.resolve("best"));
        Files.writeString(run.resolve("best/model.json"), "{}");
        Files.write(run.resolve("best/model.zip"), new byte[] {1});
        Files.writeString(dir.resolve("image.png"), "x");
        for (String f : files) {
            Files.writeString(run.resolve(f), "");
        }
        return run;
    }

    @Test
    void predictRefusesTheBestOfAnUnfinishedRun() throws IOException {
        for (String written : new String[] {"metrics.csv", "run.json"}) {
            Path run = run("unfinished-" + written, written);
            CliTest.Run r = new CliTest.Run("predict", "--model", run.resolve("best").toString(), dir.resolve("image.png").toString());
            assertEquals(ExitCode.INPUT, r.code, r.err);
            assertTrue(r.err.contains(run + ": unfinished run (no _SUCCESS)"), r.err);
        }
        // finished, or a best/ copied out of its run: read (and here refused for what it holds, not for _SUCCESS)
        for (Path best : new Path[] {run("finished", "metrics.csv", "_SUCCESS").resolve("best"), run("copied").resolve("best")}) {
            CliTest.Run r = new CliTest.Run("predict", "--model", best.toString(), dir.resolve("image.png").toString());
            assertEquals(ExitCode.INPUT, r.code, r.err);
            assertFalse(r.err.contains("unfinished"), r.err);
        }
    }
}
