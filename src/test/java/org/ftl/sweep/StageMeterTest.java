package org.ftl.sweep;

import org.ftl.runs.StageUsage;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Per-stage resources: what the meter reads is what the stage did. */
class StageMeterTest {
    private static final long MB = 1 << 20;

    @Test
    void aStageThatTouchesMemoryShowsItsPeakFaultsAndCpu() throws InterruptedException {
        Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "Linux /proc only");
        StageMeter meter = new StageMeter();
        StageMeter.Start quiet = meter.begin();
        Thread.sleep(3 * StageMeter.SAMPLE_MILLIS);
        meter.end("quiet", quiet);

        StageMeter.Start busy = meter.begin();
        // 128 MB of native memory, every page written, held across several samples
        ByteBuffer buffer = ByteBuffer.allocateDirect((int) (128 * MB));
        for (int i = 0; i < buffer.capacity(); i += 4096) {
            buffer.put(i, (byte) 1);
        }
        Thread.sleep(3 * StageMeter.SAMPLE_MILLIS);
        long spin = System.nanoTime();
        double x = 0;
        while (System.nanoTime() - spin < 200_000_000L) {
            x += Math.sqrt(x + 1);
        }
        meter.end("busy", busy);

        StageUsage q = meter.stages().get("quiet");
        StageUsage b = meter.stages().get("busy");
        assertEquals(List.of("quiet", "busy"), new ArrayList<>(meter.stages().keySet()));
        assertTrue(b.peakResidentBytes() >= q.peakResidentBytes() + 100 * MB,
                "the busy stage's peak " + b.peakResidentBytes() / MB + " MB against " + q.peakResidentBytes() / MB + " MB");
        assertTrue(b.processPeakResidentBytes() >= b.peakResidentBytes(), "the process peak is the highest");
        assertTrue(b.minorFaults() > q.minorFaults(), "fresh pages fault: " + b + " against " + q);
        assertTrue(b.cpuSeconds() >= 0.15 && b.cpuSeconds() > q.cpuSeconds(), "CPU " + b.cpuSeconds() + " (" + x + ")");
        assertTrue(b.wallSeconds() >= 0.2 + 3 * StageMeter.SAMPLE_MILLIS / 1000.0);
        assertTrue(b.systemCpuSeconds() >= 0 && b.majorFaults() >= 0);
        buffer.clear();
    }

    /** run.json's stageUsage: one entry per stageSeconds entry, with the same wall time, and figures that add up. */
    static void assertStageUsage(Path runJson, SweepJob.Result result) throws IOException {
        JsonNode j = new ObjectMapper().readTree(runJson.toFile());
        JsonNode seconds = j.get("stageSeconds");
        JsonNode usage = j.get("stageUsage");
        assertNotNull(usage, "run.json has stageUsage");
        List<String> stages = new ArrayList<>();
        seconds.fieldNames().forEachRemaining(stages::add);
        List<String> used = new ArrayList<>();
        usage.fieldNames().forEachRemaining(used::add);
        assertEquals(stages, used, "a usage entry per stage, in order");
        assertEquals(stages, new ArrayList<>(result.stageUsage().keySet()));
        long faults = 0;
        for (String stage : stages) {
            JsonNode u = usage.get(stage);
            assertEquals(seconds.get(stage).asDouble(), u.get("wallSeconds").asDouble(), stage);
            if (!Files.isReadable(Path.of("/proc/self/stat"))) {
                continue;
            }
            assertTrue(u.get("cpuSeconds").asDouble() >= 0, stage);
            assertTrue(u.get("systemCpuSeconds").asDouble() >= 0, stage);
            assertTrue(u.get("peakResidentBytes").asLong() > 0, stage);
            assertTrue(u.get("processPeakResidentBytes").asLong() >= u.get("peakResidentBytes").asLong(), stage);
            assertTrue(u.get("minorFaults").asLong() >= 0 && u.get("majorFaults").asLong() >= 0, stage);
            if (!stage.equals("total")) {
                faults += u.get("minorFaults").asLong();
                assertTrue(u.get("peakResidentBytes").asLong() <= usage.get("total").get("peakResidentBytes").asLong(),
                        stage + "'s peak is within the run's");
            }
        }
        if (Files.isReadable(Path.of("/proc/self/stat"))) {
            assertTrue(faults <= usage.get("total").get("minorFaults").asLong(), "the stages' faults are part of the run's");
            assertTrue(usage.get("features+heads").get("cpuSeconds").asDouble() > 0, "the heads stage computes");
        }
    }
}
