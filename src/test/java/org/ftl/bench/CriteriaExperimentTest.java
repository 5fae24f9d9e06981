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
    void twoSplitsGiveOneCellPerCriterionAndBudgetWithTheSplitsF1() throws Exception {
        Path data = dir.resolve("splits");
        for (int k = 1; k <= 2; k++) {
            FtlConfig c = FtlConfig.load(null, List.of(SettingOverride.set("synth.count=40"), SettingOverride.set("synth.size=64"),
                    SettingOverride.set("synth.segmented-count=6"), SettingOverride.set("synth.difficulty=0")), Map.of());
            new SynthLayoutWriter(c.synth(), k).write(data.resolve("split-" + k), false, "", done -> { });
        }
        List<String> a = new ArrayList<>(List.of("bench", "criteria", "--data", data.toString(), "--splits", "2",
                "--budgets", "5,25", "--criteria", "iou,l1", "--label", "tiny", "--out", dir.resolve("bench").toString()));
        for (String s : new String[] {"spark.master=local[2]", "input.size=64", "backbone.source=alexnet", "backbone.pretrain.data=",
                "backbone.width=0.125", "backbone.cache=" + dir.resolve("cache"), "backbone.train.epochs=1",
                "backbone.train.patience=1", "head.c-grid=[1]", "head.folds=2", "cost.warmup=1", "cost.min-repetitions=3",
                "cost.min-seconds=0", "sweep.image-partitions=2"}) {
            a.add("--set");
            a.add(s);
        }
        CliTest.Run run = new CliTest.Run(a.toArray(String[]::new));
        assertEquals(0, run.code, run.err + run.out);
        assertTrue(run.out.contains("mean test F1 ± std"), run.out);
        JsonNode j = JSON.readTree(dir.resolve("bench/criteria-tiny.json").toFile());
        assertEquals(CriteriaExperiment.SCHEMA, j.get("schema").asText());
        assertEquals(2, j.get("splits").size());
        assertNotEquals(j.get("splits").get(0).get("run").asText(), j.get("splits").get(1).get("run").asText());
        int factors = j.get("factors").size();
        assertTrue(factors >= 1 && factors <= 2, j.get("factors").toString());
        assertEquals(2 * factors, j.get("cells").size());
        for (JsonNode cell : j.get("cells")) {
            JsonNode f1 = cell.get("f1");
            assertEquals(2, f1.size(), cell.toString());
            double a0 = f1.get(0).asDouble();
            double a1 = f1.get(1).asDouble();
            assertTrue(a0 >= 0 && a0 <= 1 && a1 >= 0 && a1 <= 1, cell.toString());
            assertEquals((a0 + a1) / 2, cell.get("mean").asDouble(), 1e-9);
            assertEquals(Math.abs(a0 - a1) / Math.sqrt(2), cell.get("std").asDouble(), 1e-9);
            assertEquals(Math.min(a0, a1), cell.get("min").asDouble(), 1e-12);
        }
        // the 25 % budget is near f = 0.5 (parameters go with about f²)
        double last = j.get("factors").get(factors - 1).asDouble();
        assertTrue(last > 0.4 && last < 0.6, "factor " + last);
        String html = Files.readString(dir.resolve("bench/criteria-tiny.html"));
        assertTrue(html.contains("data:image/png;base64,") && html.contains("Criteria compared"), html.substring(0, 300));
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
