package org.ftl.bench;

import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.ftl.FtlError;
import org.ftl.cli.CliTest;
import org.ftl.job.FtlConfig;
import org.ftl.config.SettingOverride;
import org.ftl.data.synth.SynthLayoutWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ftl bench criteria}: real sweeps on two tiny synthetic splits, and its arithmetic on hand-made cells. */
class CriteriaExperimentTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void twoSplitsTimesTwoSeedsGiveFourSweepsPooledPerCriterionAndBudget() throws Exception {
        Path data = dir.resolve("splits");
        for (int k = 1; k <= 2; k++) {
            FtlConfig c = FtlConfig.load(null, List.of(SettingOverride.set("synth.count=40"), SettingOverride.set("synth.size=64"),
                    SettingOverride.set("synth.segmented-count=6"), SettingOverride.set("synth.difficulty=0")), Map.of());
            new SynthLayoutWriter(c.synth(), k).write(data.resolve("split-" + k), false, "", done -> { });
        }
        List<String> a = new ArrayList<>(List.of("bench", "criteria", "--data", data.toString(), "--splits", "2", "--seeds", "2",
                "--budgets", "5,25", "--criteria", "iou,l1", "--label", "tiny", "--out", dir.resolve("bench").toString()));
        for (String s : new String[] {"spark.master=local[2]", "input.size=64", "backbone.source=alexnet", "backbone.pretrain.data=",
                "backbone.width=0.125", "backbone.cache=" + dir.resolve("cache"), "backbone.train.epochs=1",
                "backbone.train.patience=1", "head.c-grid=[1]", "head.folds=2", "cost.warmup=1", "cost.min-repetitions=3",
                "cost.min-seconds=0", "sweep.image-partitions=2", "seed=7"}) {
            a.add("--set");
            a.add(s);
        }
        CliTest.Run run = new CliTest.Run(a.toArray(String[]::new));
        assertEquals(0, run.code, run.err + run.out);
        assertTrue(run.out.contains("4 sweeps (2 split(s) × 2 seeds): mean test F1 ± std"), run.out);
        assertTrue(run.out.contains("iou - l1 sweep by sweep"), run.out);
        JsonNode j = JSON.readTree(dir.resolve("bench/criteria-tiny.json").toFile());
        assertEquals(CriteriaExperiment.SCHEMA, j.get("schema").asText());
        assertEquals(2, j.get("seeds").asInt());
        JsonNode sweeps = j.get("splits");
        assertEquals(4, sweeps.size());
        int[] split = {1, 1, 2, 2};
        long[] seed = {7, 8, 7, 8};
        for (int i = 0; i < 4; i++) {
            JsonNode s = sweeps.get(i);
            assertEquals(split[i], s.get("split").asInt(), s.toString());
            assertEquals(seed[i], s.get("seed").asLong(), s.toString());
            assertTrue(s.get("data").asText().endsWith("split-" + split[i]), s.toString());
            // the seed recorded is the one the sweep ran with
            String runJson = Files.readString(Path.of(java.net.URI.create(s.get("run").asText())).resolve("run.json"));
            assertTrue(runJson.contains("seed=" + seed[i]), runJson.substring(0, Math.min(400, runJson.length())));
        }
        assertEquals(4, java.util.stream.StreamSupport.stream(sweeps.spliterator(), false).map(s -> s.get("run").asText()).distinct().count());
        int factors = j.get("factors").size();
        assertTrue(factors >= 1 && factors <= 2, j.get("factors").toString());
        assertEquals(2 * factors, j.get("cells").size());
        for (JsonNode cell : j.get("cells")) {
            JsonNode f1 = cell.get("f1");
            assertEquals(4, f1.size(), cell.toString());
            double[] v = new double[4];
            for (int i = 0; i < 4; i++) {
                v[i] = f1.get(i).asDouble();
                assertTrue(v[i] >= 0 && v[i] <= 1, cell.toString());
            }
            double m = (v[0] + v[1] + v[2] + v[3]) / 4;
            double ss = 0;
            for (double x : v) {
                ss += (x - m) * (x - m);
            }
            assertEquals(m, cell.get("mean").asDouble(), 1e-9);
            assertEquals(Math.sqrt(ss / 3), cell.get("std").asDouble(), 1e-9);
            assertEquals(Math.min(Math.min(v[0], v[1]), Math.min(v[2], v[3])), cell.get("min").asDouble(), 1e-12);
        }
        // per budget iou − l1 sweep by sweep, from the same cells
        JsonNode paired = j.get("paired");
        assertEquals(factors, paired.size());
        for (JsonNode p : paired) {
            JsonNode iou = null;
            JsonNode l1 = null;
            for (JsonNode cell : j.get("cells")) {
                if (cell.get("leaveFactor").asDouble() == p.get("leaveFactor").asDouble()) {
                    if (cell.get("criterion").asText().equals("iou")) {
                        iou = cell;
                    } else {
                        l1 = cell;
                    }
                }
            }
            double sum = 0;
            int atLeast = 0;
            for (int i = 0; i < 4; i++) {
                double d = iou.get("f1").get(i).asDouble() - l1.get("f1").get(i).asDouble();
                sum += d;
                atLeast += d >= 0 ? 1 : 0;
            }
            assertEquals(4, p.get("sweeps").asInt());
            assertEquals(atLeast, p.get("iouAtLeastL1").asInt());
            assertEquals(sum / 4, p.get("meanDifference").asDouble(), 1e-9);
        }
        // the 25 % budget is near f = 0.5 (parameters go with about f²)
        double last = j.get("factors").get(factors - 1).asDouble();
        assertTrue(last > 0.4 && last < 0.6, "factor " + last);
        String html = Files.readString(dir.resolve("bench/criteria-tiny.html"));
        assertTrue(html.contains("data:image/png;base64,") && html.contains("Criteria compared"), html.substring(0, 300));
    }

    @Test
    void theSeedOfASweepIsTheConfigsUnlessSeedsOrOneRootMakeItChange() throws Exception {
        CriteriaExperiment.Options o = new CriteriaExperiment.Options("d", 2, 1, List.of(5.0), List.of("iou"), dir, null, "x");
        assertTrue(CriteriaExperiment.overrides(o, 1, "d/split-1", 42, false, List.of(0.2)).stream()
                .noneMatch(s -> s.toString().contains("seed")));
        CriteriaExperiment.Options seeds = new CriteriaExperiment.Options("d", 2, 3, List.of(5.0), List.of("iou"), dir, null, "x");
        List<SettingOverride> s = CriteriaExperiment.overrides(seeds, 2, "d/split-2", 44, true, List.of(0.2));
        assertTrue(s.stream().anyMatch(x -> x.toString().contains("seed") && x.toString().contains("44")), s.toString());
        assertTrue(s.stream().anyMatch(x -> x.toString().contains("criteria-x-split-2-seed-44")), s.toString());
    }

    @Test
    void splitsMustAllBeThere() throws Exception {
        Path data = dir.resolve("d");
        Files.createDirectories(data.resolve("split-1/dataset"));
        FtlError e = assertThrows(FtlError.class, () -> CriteriaExperiment.splitRoots(data.toString(), 2));
        assertTrue(e.getMessage().contains("split-2"), e.getMessage());
        assertEquals(List.of(data.resolve("split-1").toString()), CriteriaExperiment.splitRoots(data.toString(), 1));
        Files.createDirectories(dir.resolve("root/dataset"));
        assertEquals(3, CriteriaExperiment.splitRoots(dir.resolve("root").toString(), 3).size());
        assertThrows(FtlError.class, () -> CriteriaExperiment.splitRoots(dir.resolve("nothing").toString(), 1));
    }

    private static CriteriaExperiment.Cell cell(String c, double f, double pct, double mean, double std) {
        return new CriteriaExperiment.Cell(c, pct, f, pct, List.of(mean), mean, std, mean, mean);
    }

    @Test
    void theTargetAsksForIouAtLeastL1EverywhereAndAheadByTheSpreadAtHalf() {
        List<CriteriaExperiment.Cell> cells = List.of(
                cell("iou", 0.1, 1.2, 0.80, 0.01), cell("l1", 0.1, 1.2, 0.70, 0.02),   // ahead by more than the spread
                cell("iou", 0.2, 4.3, 0.75, 0.05), cell("l1", 0.2, 4.3, 0.74, 0.01),   // ahead, within it
                cell("iou", 0.5, 25, 0.50, 0.01), cell("l1", 0.5, 25, 0.90, 0.01));    // beyond 10 %: not counted
        CriteriaExperiment.Target t = CriteriaExperiment.target(cells);
        assertEquals(new CriteriaExperiment.Target(2, 2, 1, true), t);
        List<CriteriaExperiment.Cell> behind = new ArrayList<>(cells);
        behind.set(2, cell("iou", 0.2, 4.3, 0.73, 0.05));
        assertFalse(CriteriaExperiment.target(behind).met());
        assertEquals(1, CriteriaExperiment.target(behind).iouAtLeastL1());
    }
}
