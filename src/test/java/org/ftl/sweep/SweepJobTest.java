package org.ftl.sweep;

import org.ftl.report.MetricsRow;
import org.ftl.cli.CliTest;
import org.ftl.job.FtlConfig;
import org.ftl.config.SettingOverride;
import org.ftl.data.synth.SynthLayoutWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sweep end to end in Spark local mode on a tiny generated set with a handful of candidates. */
class SweepJobTest {
    @TempDir
    static Path dir;

    static Path data;

    static List<SettingOverride> settings(String runs) {
        List<SettingOverride> o = new ArrayList<>();
        for (String s : new String[] {
                "name=tiny", "data.root=" + data, "runs.root=" + runs, "spark.master=local[2]",
                "backbone.source=alexnet", "backbone.width=0.125", "backbone.cache=" + dir.resolve("cache"),
                "backbone.train.epochs=2", "backbone.train.patience=1",
                "prune.criteria=[iou, l1]", "prune.factors=[0.25, 0.5]", "prune.comparison-factors=[0.5]",
                "head.c-grid=[0.1, 10]", "head.folds=2",
                "cost.warmup=1", "cost.min-repetitions=3", "cost.min-seconds=0",
                "sweep.image-partitions=3", "sweep.variant-group-mb=1"}) {
            o.add(SettingOverride.set(s));
        }
        return o;
    }

    @BeforeAll
    static void data() {
        data = dir.resolve("data");
        FtlConfig c = FtlConfig.load(null, List.of(SettingOverride.set("synth.count=48"), SettingOverride.set("synth.size=64"),
                SettingOverride.set("synth.segmented-count=6"), SettingOverride.set("synth.difficulty=0")), Map.of());
        new SynthLayoutWriter(c.synth(), c.seed()).write(data, false, "", done -> { });
    }

    private static SweepJob.Result sweep(String runs) {
        FtlConfig c = FtlConfig.load(null, settings(dir.resolve(runs).toString()), Map.of());
        return new SweepJob(c, new PrintStream(new ByteArrayOutputStream())).run();
    }

    @Test
    void aSweepWritesACompleteRankedRunAndRepeatsItself() throws IOException {
        int cached = ExecutorCache.size();
        SweepJob.Result first = sweep("runs-a");
        // local mode: this JVM was the executor; the next sweep in it starts without the last one's networks
        assertEquals(cached, ExecutorCache.size(), "a finished sweep leaves its backbone, pruners and sessions behind");
        List<MetricsRow> rows = first.ranked();
        Map<String, MetricsRow> byId = new HashMap<>();
        rows.forEach(r -> byId.put(r.candidate(), r));
        assertEquals(List.of("baseline-1.00", "iou-0.25", "iou-0.50", "l1-0.50").stream().sorted().toList(),
                byId.keySet().stream().sorted().toList(), "one row per candidate");
        for (MetricsRow r : rows) {
            assertEquals("ok", r.text("status"), r.candidate() + ": " + r.text("error"));
            for (String m : new String[] {"accuracy", "precision", "recall", "f1", "auc", "params_ratio", "filters_ratio"}) {
                double v = r.number(m);
                assertTrue(v >= 0 && v <= 1, m + " = " + v);
            }
            assertTrue(r.number("latency_ms") > 0);
            assertTrue((long) r.number("flops") > 0 && (long) r.number("size_bytes") > 0);
        }
        MetricsRow baseline = byId.get("baseline-1.00");
        assertEquals(1.0, baseline.number("params_ratio"));
        assertTrue((long) byId.get("iou-0.25").number("params") <= (long) byId.get("iou-0.50").number("params"));
        assertTrue((long) byId.get("iou-0.50").number("params") <= (long) baseline.number("params"));
        double best = rows.stream().mapToDouble(r -> r.number("score")).max().orElseThrow();
        assertEquals(best, first.winner().number("score"), "the winner is the decision function's maximum");
        assertEquals(1, (int) first.winner().number("rank"));

        Path run = Path.of(java.net.URI.create(first.run().path()));
        for (String f : new String[] {"_SUCCESS", "metrics.csv", "run.json", "report.html", "best/model.zip",
                "best/model.json", "best/labels.txt", "best/config.conf"}) {
            assertTrue(Files.isRegularFile(run.resolve(f)), f);
        }
        assertTrue(Files.readString(run.resolve("report.html")).contains(first.winner().text("candidate")),
                "the report names the winner");
        assertTrue(Files.isDirectory(run.resolve("metrics.parquet")));
        assertEquals(List.of("Background", "Crack"), org.ftl.head.Classifier.load(run.resolve("best/model.zip")).classes(),
                "best/model.zip is a Classifier file, class names included");
        assertEquals(5, Files.readAllLines(run.resolve("metrics.csv")).size(), "header + 4 rows");
        StageMeterTest.assertStageUsage(run.resolve("run.json"), first);

        // same config, same data: the same metrics apart from latency and timings
        SweepJob.Result second = sweep("runs-b");
        Map<String, MetricsRow> again = new HashMap<>();
        second.ranked().forEach(r -> again.put(r.candidate(), r));
        for (MetricsRow r : rows) {
            MetricsRow s = again.get(r.candidate());
            for (String col : new String[] {"filters_left", "params", "flops", "size_bytes", "accuracy", "precision",
                    "recall", "f1", "auc", "score", "rank", "head_c", "cv_score", "filter_counts", "confusion"}) {
                assertEquals(r.text(col), s.text(col), r.candidate() + " " + col);
            }
        }
        assertFalse(first.run().path().equals(second.run().path()), "runs never overwrite each other");

        // predict with the winner agrees with its row of the metrics
        Path eval = data.resolve("evaluation");
        CliTest.Run p = new CliTest.Run("predict", "--model", run.resolve("best").toString(), eval.toString());
        assertEquals(0, p.code, p.err);
        String[] lines = p.out.strip().split("\n");
        int correct = 0;
        for (String line : lines) {
            String[] f = line.split("\t");
            String truth = Path.of(f[0]).getParent().getFileName().toString();
            correct += truth.equals(f[1]) ? 1 : 0;
        }
        assertEquals(first.winner().number("accuracy"), (double) correct / lines.length, 1e-9,
                "predict's accuracy on evaluation/ is the winner's");
    }
}
