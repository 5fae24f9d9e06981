package org.ftl.report;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The notebook in notebooks-export/ executed headless, as a user would run it, on a run folder the tests
 * make: it must run to the end and draw its five plots. Skipped where Jupyter is not installed (.ci/run
 * installs it: jupyter-nbconvert, python3-pandas, python3-matplotlib, python3-ipykernel).
 */
class ReportNotebookTest {
    private static final Path NOTEBOOK = Path.of("notebooks-export", "ftl-sweep.ipynb");

    @Test
    void notebookRebuildsThePlotsFromARunFolder(@TempDir Path dir) throws IOException, InterruptedException {
        Assumptions.assumeTrue(onPath("jupyter"), "jupyter is not installed");
        Path run = ReportFixture.create(dir, true);
        ProcessBuilder pb = new ProcessBuilder(List.of("jupyter", "nbconvert", "--to", "html", "--execute",
                "--ExecutePreprocessor.timeout=300", "--output", "notebook", "--output-dir", dir.toString(),
                NOTEBOOK.toAbsolutePath().toString()))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("nbconvert.log").toFile())
                .directory(dir.toFile());
        pb.environment().put("FTL_RUN", run.toString()); // the notebook's parameter cell reads it
        pb.environment().remove("MPLBACKEND"); // a non-interactive backend would keep the inline plots out
        Process p = pb.start();
        assertTrue(p.waitFor(600, TimeUnit.SECONDS), "nbconvert did not finish");
        String log = Files.readString(dir.resolve("nbconvert.log"));
        assertEquals(0, p.exitValue(), log);
        String html = Files.readString(dir.resolve("notebook.html"));
        int images = html.split("<img src=\"data:image/png;base64,", -1).length - 1;
        assertEquals(5, images, "the five plots");
        assertTrue(html.contains(ReportFixture.WINNER), "the winner is named");
    }

    private static boolean onPath(String command) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, command))) {
                return true;
            }
        }
        return false;
    }
}
