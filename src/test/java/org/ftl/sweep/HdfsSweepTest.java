package org.ftl.sweep;

import org.ftl.runs.RunFolder;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.ftl.report.MetricsRow;
import org.ftl.cli.CliTest;
import org.ftl.job.FtlConfig;
import org.ftl.config.SettingOverride;
import org.ftl.data.DataFiles;
import org.ftl.data.synth.SynthLayoutWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sweep with its data, run folder and backbone cache on HDFS (an in-process MiniDFSCluster) through
 * {@code hdfs://} paths: the same metrics as the same sweep on local files, and decide, report and predict
 * work on the HDFS run. Tagged {@code cluster}: it starts a NameNode and a DataNode (-Dftl.fast skips it).
 */
@Tag("cluster")
class HdfsSweepTest {
    @TempDir
    static Path dir;

    static MiniDFSCluster cluster;
    static String hdfs;
    static Path localData;

    @BeforeAll
    static void start() throws IOException {
        Configuration conf = new Configuration();
        // under target/, not /tmp: the build's own folder, removed by mvn clean if a run is killed
        File base = new File("target/minidfs-" + HdfsSweepTest.class.getSimpleName()).getAbsoluteFile();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.getPath());
        cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        cluster.waitActive();
        hdfs = cluster.getURI().toString();

        localData = dir.resolve("data");
        FtlConfig c = FtlConfig.load(null, List.of(SettingOverride.set("synth.count=48"), SettingOverride.set("synth.size=64"),
                SettingOverride.set("synth.segmented-count=6"), SettingOverride.set("synth.difficulty=0")), Map.of());
        new SynthLayoutWriter(c.synth(), c.seed()).write(localData, false, "", done -> { });
        FileSystem fs = cluster.getFileSystem();
        fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(localData.toUri()), new org.apache.hadoop.fs.Path(hdfs + "/ftl/data"));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.shutdown(true);
        }
    }

    private static List<SettingOverride> settings(String data, String runs, String cache) {
        List<SettingOverride> o = new ArrayList<>();
        for (String s : new String[] {
                "name=hdfs", "data.root=" + data, "runs.root=" + runs, "backbone.cache=" + cache,
                "spark.master=local[2]", "backbone.source=alexnet", "backbone.width=0.125",
                "backbone.train.epochs=2", "backbone.train.patience=1",
                "prune.criteria=[iou, l1]", "prune.factors=[0.25]", "prune.comparison-factors=[0.5]",
                "head.c-grid=[0.1, 10]", "head.folds=2",
                "cost.warmup=1", "cost.min-repetitions=3", "cost.min-seconds=0",
                "sweep.image-partitions=3", "sweep.variant-group-mb=1"}) {
            o.add(SettingOverride.set(s));
        }
        return o;
    }

    private record Swept(SweepJob.Result result, String console) {
    }

    private static Swept sweep(String data, String runs, String cache) {
        FtlConfig c = FtlConfig.load(null, settings(data, runs, cache), Map.of());
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        SweepJob.Result r = new SweepJob(c, new PrintStream(console, true, StandardCharsets.UTF_8)).run();
        return new Swept(r, console.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aSweepOnHdfsEqualsTheSameSweepOnLocalFiles() throws IOException {
        Swept remote = sweep(hdfs + "/ftl/data", hdfs + "/ftl/runs", hdfs + "/ftl/cache");
        RunFolder run = remote.result().run();
        assertTrue(run.path().startsWith(hdfs + "/ftl/runs/"), run.path());
        assertTrue(remote.console().contains("backbone: saved " + hdfs + "/ftl/cache/"), remote.console());
        Configuration conf = new Configuration();
        for (String f : new String[] {"_SUCCESS", "metrics.csv", "run.json", "report.html", "best/model.zip",
                "best/model.json", "best/labels.txt", "best/config.conf"}) {
            assertTrue(DataFiles.isFile(run.path(f), conf), f);
        }
        assertTrue(DataFiles.isDirectory(run.path("metrics.parquet"), conf));

        // the local run reuses a copy of the backbone the HDFS run trained and cached on HDFS: the same network
        // for both, and proof that the HDFS cache entry is a complete one
        Path localCache = dir.resolve("cache");
        cluster.getFileSystem().copyToLocalFile(false, new org.apache.hadoop.fs.Path(hdfs + "/ftl/cache"),
                new org.apache.hadoop.fs.Path(localCache.toUri()), true);
        Swept local = sweep(localData.toString(), dir.resolve("runs").toString(), localCache.toString());
        assertTrue(local.console().contains("backbone: reusing"), local.console());

        Map<String, MetricsRow> byId = new HashMap<>();
        local.result().ranked().forEach(r -> byId.put(r.candidate(), r));
        List<MetricsRow> rows = remote.result().ranked();
        assertEquals(3, rows.size(), "baseline, iou-0.25, l1-0.50");
        assertEquals(byId.keySet(), new java.util.HashSet<>(rows.stream().map(r -> r.text("candidate")).toList()));
        List<String> compared = rows.get(0).values().keySet().stream().filter(c -> !c.startsWith("latency")).toList();
        assertTrue(compared.containsAll(List.of("accuracy", "f1", "auc", "params", "flops", "score", "rank", "confusion")));
        for (MetricsRow r : rows) {
            assertEquals("ok", r.text("status"), r.candidate() + ": " + r.text("error"));
            MetricsRow l = byId.get(r.text("candidate"));
            for (String col : compared) {
                assertEquals(l.text(col), r.text(col), r.candidate() + " " + col);
            }
        }
        assertEquals(fingerprint(local.result().run()), fingerprint(run), "the same data, read from HDFS and from disk");

        // a DL4J backbone file on HDFS (the cached one) is a backbone spec like a local file
        FileStatus[] cached = cluster.getFileSystem().globStatus(new org.apache.hadoop.fs.Path(hdfs + "/ftl/cache/alexnet-*.zip"));
        assertEquals(1, cached.length);
        String model = cached[0].getPath().toString();
        CliTest.Run inspect = new CliTest.Run("backbone", "inspect", "--backbone", model, "--input-shape", "64,64,3");
        assertEquals(0, inspect.code, inspect.err);
        assertTrue(inspect.out.contains("conv layers"), inspect.out);
        Path copy = DataFiles.localCopy(model, conf);
        assertEquals(cached[0].getPath().getName(), copy.getFileName().toString(), "the HDF5 library's copy keeps the name");
        assertTrue(Arrays.equals(DataFiles.read(model, conf), java.nio.file.Files.readAllBytes(copy)));

        // decide and report read the HDFS run; report rewrites its report.html there
        CliTest.Run decide = new CliTest.Run("decide", "--run", run.path(), "--top", "3");
        assertEquals(0, decide.code, decide.err);
        assertTrue(decide.out.contains(remote.result().winner().text("candidate")), decide.out);
        String ranked = hdfs + "/ftl/ranked.csv";
        CliTest.Run decideOut = new CliTest.Run("decide", "--run", run.path(), "--decision", "f1", "--out", ranked);
        assertEquals(0, decideOut.code, decideOut.err);
        assertTrue(new String(DataFiles.read(ranked, conf), StandardCharsets.UTF_8).startsWith("candidate,"));

        cluster.getFileSystem().delete(new org.apache.hadoop.fs.Path(run.path("report.html")), false);
        CliTest.Run report = new CliTest.Run("report", run.path());
        assertEquals(0, report.code, report.err);
        String html = new String(DataFiles.read(run.path("report.html"), conf), StandardCharsets.UTF_8);
        assertTrue(html.contains(remote.result().winner().text("candidate")), "the report names the winner");

        // predict with the model and the images on HDFS agrees with the winner's row
        CliTest.Run predict = new CliTest.Run("predict", "--model", run.path("best"), hdfs + "/ftl/data/evaluation",
                "--csv", hdfs + "/ftl/predictions.csv");
        assertEquals(0, predict.code, predict.err);
        String[] lines = predict.out.strip().split("\n");
        int correct = 0;
        for (String line : lines) {
            String[] f = line.split("\t");
            assertTrue(f[0].startsWith(hdfs + "/ftl/data/evaluation/"), f[0]);
            String truth = new org.apache.hadoop.fs.Path(f[0]).getParent().getName();
            correct += truth.equals(f[1]) ? 1 : 0;
        }
        assertEquals(remote.result().winner().number("accuracy"), (double) correct / lines.length, 1e-9,
                "predict's accuracy on evaluation/ is the winner's");
        assertEquals(lines.length + 1, new String(DataFiles.read(hdfs + "/ftl/predictions.csv", conf),
                StandardCharsets.UTF_8).strip().split("\n").length);
    }

    @Test
    void aMissingHdfsDataRootIsNamedNotAStackTrace() {
        String missing = hdfs + "/no/such/data";
        CliTest.Run r = new CliTest.Run("sweep", "--data", missing, "--runs", hdfs + "/ftl/runs-missing",
                "--set", "backbone.cache=" + hdfs + "/ftl/cache", "--set", "spark.master=local[2]");
        assertEquals(3, r.code, r.err);
        assertTrue(r.err.contains(missing) && r.err.contains("no such data folder"), r.err);
        assertFalse(r.err.contains("\tat "), "no stack trace: " + r.err);
        assertFalse(DataFiles.exists(hdfs + "/ftl/runs-missing", new Configuration()), "nothing written");

        for (String spec : new String[] {hdfs + "/no/such/backbone.zip", hdfs + "/no/such/keras.h5"}) {
            CliTest.Run inspect = new CliTest.Run("backbone", "inspect", "--backbone", spec);
            assertEquals(3, inspect.code, inspect.err);
            assertTrue(inspect.err.contains(spec + ": no such backbone file"), inspect.err);
        }

        CliTest.Run noProfile = new CliTest.Run("config", "--conf", hdfs + "/no/such/profile.conf");
        assertEquals(2, noProfile.code, noProfile.err);
        assertTrue(noProfile.err.contains(hdfs + "/no/such/profile.conf: no such file"), noProfile.err);

        CliTest.Run report = new CliTest.Run("report", hdfs + "/no/such/run");
        assertEquals(3, report.code, report.err);
        assertTrue(report.err.contains(hdfs + "/no/such/run"), report.err);
    }

    @Test
    void aProfileOnHdfsIsRead() {
        String profile = hdfs + "/ftl/conf/nightly-hdfs.conf";
        DataFiles.write(profile, ("ftl.seed = 977\nftl.data.root = \"" + hdfs + "/ftl/data\"\n").getBytes(StandardCharsets.UTF_8),
                new Configuration());
        CliTest.Run r = new CliTest.Run("config", "--conf", profile);
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.contains("977") && r.out.contains(hdfs + "/ftl/data"), r.out);
    }

    private static String fingerprint(RunFolder run) throws IOException {
        return org.ftl.Json.MAPPER.readTree(run.read("run.json")).get("dataFingerprint").asText();
    }
}
