package org.ftl.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import org.ftl.Json;
import org.ftl.config.SettingOverride;
import org.ftl.report.MetricsCsv;
import org.ftl.report.MetricsRow;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fit test, not a timing: a small sweep in a JVM of its own with a 1 GB heap and JavaCPP's caps on native memory
 * ({@code org.bytedeco.javacpp.maxbytes} for ND4J's buffers, {@code maxphysicalbytes} for the whole resident set)
 * finishes, stays under the physical cap, and gives the metrics of an unconstrained run in this JVM. Tagged cluster
 * (it starts a JVM), so the fast suite leaves it out.
 */
@Tag("cluster")
class MemoryFitTest {
    static final String HEAP = "1g";
    static final String NATIVE = "1g";
    static final long PHYSICAL_BYTES = 3L << 30;

    @TempDir
    Path dir;

    @Test
    void aSweepFitsA1GbHeapAndCappedNativeMemoryWithTheSameMetrics() throws Exception {
        NightlySweepTest.Fixture fixture = new NightlySweepTest.Fixture(dir);
        SweepJob.Result reference = fixture.sweep(dir.resolve("runs-free"), new PrintStream(new ByteArrayOutputStream()));
        Path referenceRun = Path.of(java.net.URI.create(reference.run().path()));

        Path runs = dir.resolve("runs-capped");
        Path log = dir.resolve("child.log");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + HEAP);
        cmd.add("-Dorg.bytedeco.javacpp.maxbytes=" + NATIVE);
        cmd.add("-Dorg.bytedeco.javacpp.maxphysicalbytes=" + PHYSICAL_BYTES);
        Path flags = Path.of("target", "jvm-flags.txt");
        assertTrue(Files.isRegularFile(flags), "target/jvm-flags.txt (written by the build)");
        for (String f : Files.readString(flags).trim().split("\\s+")) {
            cmd.add(f);
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.ftl.cli.Ftl", "sweep"));
        for (SettingOverride o : fixture.settings(runs)) {
            cmd.add("--set");
            cmd.add(o.assignment());
        }
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            assertTrue(child.waitFor(10, TimeUnit.MINUTES), "the capped sweep ends within 10 minutes");
        } finally {
            child.destroyForcibly();
        }
        assertEquals(0, child.exitValue(), Files.readString(log));

        List<Path> folders = NightlySweepTest.runFolders(runs);
        assertEquals(1, folders.size(), folders.toString());
        Path capped = folders.get(0);
        Map<String, MetricsRow> want = metrics(referenceRun);
        Map<String, MetricsRow> got = metrics(capped);
        assertEquals(want.keySet(), got.keySet());
        for (String id : want.keySet()) {
            for (String col : NightlySweepTest.STABLE) {
                assertEquals(want.get(id).text(col), got.get(id).text(col), id + " " + col);
            }
        }
        JsonNode total = Json.MAPPER.readTree(capped.resolve("run.json").toFile()).get("stageUsage").get("total");
        long peak = total.get("processPeakResidentBytes").asLong();
        if (peak > 0) {
            assertTrue(peak <= PHYSICAL_BYTES, "the child's peak resident set " + peak + " is within the cap");
        }
    }

    static Map<String, MetricsRow> metrics(Path run) throws IOException {
        return MetricsCsv.parse(Files.readAllBytes(run.resolve("metrics.csv"))).stream()
                .collect(Collectors.toMap(MetricsRow::candidate, r -> r, (a, b) -> a, TreeMap::new));
    }
}
