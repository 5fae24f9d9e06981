package org.ftl.bench;

import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.ftl.cli.CliTest;
import org.ftl.job.FtlConfig;
import org.ftl.config.SettingOverride;
import org.ftl.data.synth.SynthLayoutWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The harness end to end on a tiny set and net: every field of the JSON is there, every figure is positive
 * and every ratio is the ratio of the figures next to it. Timing targets are never asserted here.
 */
class BenchTest {
    /** ND4J's own (shaded) Jackson: the tree model of the unshaded one fails here on mixed 2.14/2.15 jars. */
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static Path data;
    static Path json;
    static CliTest.Run sweeps;

    @BeforeAll
    static void benchOnceWithTwoSweeps() {
        data = dir.resolve("data");
        FtlConfig c = FtlConfig.load(null, List.of(SettingOverride.set("synth.count=40"), SettingOverride.set("synth.size=64"),
                SettingOverride.set("synth.segmented-count=6"), SettingOverride.set("synth.difficulty=0")), Map.of());
        new SynthLayoutWriter(c.synth(), c.seed()).write(data, false, "", done -> { });
        json = dir.resolve("one.json");
        sweeps = new CliTest.Run(tiny("--candidates", "2,1", "--json", json.toString()).toArray(String[]::new));
    }

    private static List<String> tiny(String... more) {
        List<String> a = new ArrayList<>(List.of("bench"));
        for (String s : new String[] {"spark.master=local[2]", "input.size=64",
                // the demo profile pretrains on data/demo-pretrain; here the backbone trains on the tiny data itself
                "backbone.source=alexnet", "backbone.pretrain.data=",
                "backbone.width=0.125", "backbone.cache=" + dir.resolve("cache"),
                "backbone.train.epochs=1", "backbone.train.patience=1", "head.c-grid=[1]", "head.folds=2",
                "cost.warmup=1", "cost.min-repetitions=3", "cost.min-seconds=0", "sweep.image-partitions=2"}) {
            a.add("--set");
            a.add(s);
        }
        a.addAll(List.of("--data", data.toString(), "--out", dir.resolve("bench").toString(), "--rounds", "2",
                "--repetitions", "2", "--min-seconds", "0", "--warmup", "1", "--batch", "4", "--gemm-size", "32"));
        a.addAll(List.of(more));
        return a;
    }

    @Test
    void sweepsAndModelsGiveACompleteConsistentJson() throws IOException {
        CliTest.Run r = sweeps;
        assertEquals(0, r.code, r.err + r.out);
        assertTrue(r.out.contains("cost(2)/cost(1)"), r.out);
        assertTrue(r.out.contains("\n  | prune: 2 candidates (1 baseline, 1 iou)\n"), "the sweeps' own lines, whole: " + r.out);
        assertTrue(r.out.contains("written: " + json.toAbsolutePath()), r.out);
        JsonNode j = JSON.readTree(json.toFile());

        assertEquals(BenchReport.SCHEMA, j.get("schema").asText());
        for (String f : new String[] {"started", "finished", "ftlVersion"}) {
            assertFalse(j.get(f).asText().isBlank(), f);
        }
        assertTrue(j.has("commit") && j.has("commitDirty"));
        assertTrue(j.get("commit").isNull() || j.get("commit").asText().matches("[0-9a-f]{7,40}"), j.get("commit").toString());
        assertTrue(j.get("versions").has("java.version"));
        JsonNode m = j.get("machine");
        assertTrue(m.get("cores").asInt() >= 1);
        assertTrue(m.get("memoryBytes").asLong() > 0);
        assertTrue(m.get("maxHeapBytes").asLong() > 0);
        assertTrue(m.get("nd4jMaxThreads").asInt() >= 1);
        for (String f : new String[] {"host", "os", "cpuModel", "java", "jvm", "nd4jBackend", "blasVendor", "nd4jThreads"}) {
            assertFalse(m.get(f).asText().isBlank(), f);
        }
        for (String f : new String[] {"loadAverageStart", "loadAverageEnd"}) {
            assertTrue(j.get(f).size() >= 1 && j.get(f).get(0).asDouble() >= 0, f);
        }

        JsonNode s = j.get("sweeps");
        assertTrue(s.get("sparkStartSeconds").asDouble() >= 0);
        JsonNode points = s.get("points");
        assertEquals(2, points.size());
        for (int i = 0; i < 2; i++) {
            JsonNode p = points.get(i);
            assertEquals(i + 1, p.get("candidates").asInt(), "smallest first");
            assertEquals(i + 1, p.get("planSize").asInt(), "the baseline counts as a candidate");
            assertEquals(0, p.get("failed").asLong());
            assertFalse(p.get("winner").asText().isBlank());
            Path run = RunModels.localPath(p.get("run").asText());
            assertTrue(run.startsWith(dir.resolve("bench")), "sweeps write under --out: " + run);
            assertTrue(Files.isRegularFile(run.resolve("_SUCCESS")));
            JsonNode stages = p.get("stageSeconds");
            for (String stage : new String[] {"data", "backbone", "prune", "decode", "features+heads", "rank", "write", "total"}) {
                assertTrue(stages.get(stage).asDouble() >= 0, stage);
            }
            assertEquals(stages.get("total").asDouble(), p.get("totalSeconds").asDouble());
            assertTrue(p.get("totalSeconds").asDouble() > 0);
            // run.json holds the same figures
            JsonNode runJson = JSON.readTree(run.resolve("run.json").toFile());
            assertEquals(stages.get("total").asDouble(), runJson.get("stageSeconds").get("total").asDouble());
            assertEquals(runJson.get("stageUsage"), p.get("stageUsage"), "the same per-stage resources as run.json");
        }
        JsonNode ratio = s.get("costRatio");
        assertEquals(1, ratio.get("fromCandidates").asInt());
        assertEquals(2, ratio.get("toCandidates").asInt());
        assertEquals(points.get(1).get("totalSeconds").asDouble() / points.get(0).get("totalSeconds").asDouble(),
                ratio.get("ratio").asDouble(), 1e-9);
        assertEquals(ratio.get("ratio").asDouble() <= ratio.get("target").asDouble(), ratio.get("met").asBoolean());

        JsonNode models = j.get("models");
        assertEquals(RunModels.localPath(points.get(1).get("run").asText()).toString(), models.get("run").asText(),
                "the largest sweep's winner is timed");
        checkModels(models);
    }

    @Test
    void skipSweepsTimesAGivenRunAndNamesTheJsonByDateAndCommit() throws IOException {
        assertEquals(0, sweeps.code, sweeps.err + sweeps.out);
        String run = JSON.readTree(json.toFile()).get("sweeps").get("points").get(0).get("run").asText();

        Path out = dir.resolve("skip");
        List<String> args = tiny("--skip-sweeps", "--run", RunModels.localPath(run).toString());
        args.set(args.indexOf(dir.resolve("bench").toString()), out.toString());
        CliTest.Run r = new CliTest.Run(args.toArray(String[]::new));
        assertEquals(0, r.code, r.err + r.out);
        List<Path> files;
        try (Stream<Path> l = Files.list(out)) {
            files = l.filter(f -> f.getFileName().toString().matches("bench-\\d{8}-\\d{6}-[0-9a-z]+\\.json")).toList();
        }
        assertEquals(1, files.size(), "one JSON, named by date and commit");
        JsonNode j = JSON.readTree(files.get(0).toFile());
        assertTrue(j.get("sweeps").isNull());
        checkModels(j.get("models"));

        CliTest.Run bad = new CliTest.Run("bench", "--skip-sweeps");
        assertEquals(2, bad.code, bad.err);
        assertTrue(bad.err.contains("--run"), bad.err);
    }

    private static void checkModels(JsonNode models) {
        int batch = models.get("batch").asInt();
        assertEquals(4, batch);
        assertEquals(1, models.get("latencyThreads").asInt());
        assertTrue(models.get("throughputThreads").asInt() >= 1);
        JsonNode w = models.get("winner");
        JsonNode b = models.get("baseline");
        assertEquals("baseline", b.get("candidate").asText());
        for (JsonNode n : new JsonNode[] {w, b}) {
            assertTrue(n.get("params").asDouble() > 0 && n.get("flops").asDouble() > 0, n.toString());
            double f1 = n.get("f1").asDouble();
            assertTrue(f1 >= 0 && f1 <= 1, "f1 " + f1);
            for (String engine : new String[] {"onnxruntime", "dl4j"}) {
                JsonNode e = n.get("engines").get(engine);
                for (String f : new String[] {"latencyMs", "batchMs", "imagesPerSecond", "gflopsOneThread", "gflopsAllThreads"}) {
                    assertTrue(e.get(f).asDouble() > 0, n.get("candidate") + " " + engine + " " + f + " = " + e.get(f));
                }
                assertTrue(e.get("latencyIqrMs").asDouble() >= 0);
                assertEquals(batch * 1000.0 / e.get("batchMs").asDouble(), e.get("imagesPerSecond").asDouble(), 1e-6);
                assertEquals(n.get("flops").asDouble() / (e.get("latencyMs").asDouble() / 1000) / 1e9,
                        e.get("gflopsOneThread").asDouble(), 1e-6);
                assertEquals(n.get("flops").asDouble() * e.get("imagesPerSecond").asDouble() / 1e9,
                        e.get("gflopsAllThreads").asDouble(), 1e-6);
            }
        }
        assertTrue(w.get("params").asLong() <= b.get("params").asLong());
        JsonNode wo = w.get("engines").get("onnxruntime");
        JsonNode bo = b.get("engines").get("onnxruntime");
        assertEquals(bo.get("latencyMs").asDouble() / wo.get("latencyMs").asDouble(), models.get("latencySpeedup").asDouble(), 1e-9);
        assertEquals(wo.get("latencyMs").asDouble() / bo.get("latencyMs").asDouble(), models.get("latencyRatio").asDouble(), 1e-9);
        assertEquals(w.get("flops").asDouble() / b.get("flops").asDouble(), models.get("flopsRatio").asDouble(), 1e-9);
        assertEquals(wo.get("imagesPerSecond").asDouble() / bo.get("imagesPerSecond").asDouble(),
                models.get("throughputRatio").asDouble(), 1e-9);

        JsonNode gemm = models.get("gemm");
        assertEquals(4, gemm.size());
        for (JsonNode g : gemm) {
            double flops = 2.0 * g.get("m").asLong() * g.get("k").asLong() * g.get("n").asLong();
            assertTrue(g.get("ms").asDouble() > 0);
            assertEquals(flops / (g.get("ms").asDouble() / 1000) / 1e9, g.get("gflops").asDouble(), 1e-6);
        }
        assertEquals(1, gemm.get(0).get("threads").asInt());
        assertEquals(32, gemm.get(1).get("m").asLong(), "--gemm-size");
        assertEquals(batch * gemm.get(0).get("m").asLong(), gemm.get(2).get("m").asLong(), "the im2col product of a batch");
        assertEquals(wo.get("gflopsOneThread").asDouble() / gemm.get(0).get("gflops").asDouble(),
                models.get("winnerShareOneThread").asDouble(), 1e-9);
        assertEquals(wo.get("gflopsAllThreads").asDouble() / gemm.get(2).get("gflops").asDouble(),
                models.get("winnerShareAllThreads").asDouble(), 1e-9);
        int rounds = models.get("settings").get("rounds").asInt();
        assertEquals(rounds, models.get("rounds").size());
        for (JsonNode round : models.get("rounds")) {
            assertTrue(round.get("winner").get("onnxruntime").get(0).asDouble() > 0
                    && round.get("baseline").get("dl4j").get(0).asDouble() > 0, round.toString());
        }
    }

    @Test
    void candidateCountsMeanPrunedCandidatesBesidesTheBaseline() {
        assertEquals(List.of(), SweepScaling.leaveFactors(1));
        assertEquals(List.of(0.5), SweepScaling.leaveFactors(2));
        List<Double> hundred = SweepScaling.leaveFactors(100);
        assertEquals(99, new HashSet<>(hundred).size());
        assertEquals(0.01, hundred.get(0));
        assertEquals(0.99, hundred.get(98));
        FtlConfig c = FtlConfig.load("demo", SweepScaling.overrides(100), Map.of());
        List<org.ftl.prune.Candidate> plan = org.ftl.sweep.CandidatePlan.of(c.prune());
        assertEquals(100, plan.size(), "the demo's iou grid, the baseline included");
        assertEquals(100, plan.stream().map(org.ftl.prune.Candidate::id).distinct().count(), "distinct ids");
        assertEquals(1, org.ftl.sweep.CandidatePlan.of(FtlConfig.load("demo", SweepScaling.overrides(1), Map.of())
                .prune()).size(), "one candidate: the baseline alone");
        assertEquals("bench-100", c.name());
        SweepScaling.Point one = new SweepScaling.Point(1, 2, "r", Map.of("total", 1.0), 1.0, Map.of(), 0, "w", Map.of());
        assertEquals(null, SweepScaling.ratio(List.of(one)), "one sweep: no ratio");
    }
}
