package org.ftl.sweep;

import org.ftl.runs.RunFolder;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A report that cannot be written costs one console line, never the sweep. */
class ReportInSweepTest {
    @TempDir
    Path tmp;

    @Test
    void aFailingReportIsOneLineNotAnException() throws Exception {
        Files.createDirectories(tmp.resolve("run"));
        Files.writeString(tmp.resolve("run/metrics.csv"), "candidate,criterion\n");
        Files.writeString(tmp.resolve("run/run.json"), "{ not json");
        RunFolder run = RunFolder.open(tmp.resolve("run").toString(), new Configuration());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean written = RunWriter.report(run, new Configuration(), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertFalse(written);
        String console = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(1, console.lines().count(), console);
        assertTrue(console.startsWith("report.html not written"), console);
        assertFalse(Files.exists(tmp.resolve("run/report.html")));
    }
}
