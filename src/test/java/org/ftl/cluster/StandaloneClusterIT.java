package org.ftl.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import org.ftl.cli.CliTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The sweep on a real Spark standalone cluster: a Master and two Workers of one core each, every one its own
 * JVM on Spark's own classpath, the sweep submitted with {@code submit/cluster.sh} through Spark's
 * {@code SparkSubmit} with the application jar. Its metrics, latency apart, equal a local-mode run of the
 * same config and seed, also when an executor JVM is killed while the prune stage runs.
 * <p>Needs the application jar and {@code target/spark-home}: {@code mvn verify} runs it after package.
 */
@Tag("cluster")
class StandaloneClusterIT {
    private static final Duration SWEEP_TIMEOUT = Duration.ofMinutes(6);

    static Path home;
    static Path work;
    static StandaloneCluster cluster;
    /** The local-mode run's metrics, by candidate. */
    static Map<String, Map<String, String>> local;

    /** The tiny sweep both modes run: 4 candidates, a backbone trained for one epoch (once, then cached). */
    static List<String> settings(String runs) {
        List<String> args = new ArrayList<>(List.of("sweep"));
        for (String s : new String[] {
                "name=tiny", "data.root=" + work.resolve("data"), "runs.root=" + work.resolve(runs),
                "backbone.source=alexnet", "backbone.width=0.125", "backbone.cache=" + work.resolve("cache"),
                "backbone.train.epochs=1", "backbone.train.patience=1",
                "prune.criteria=[iou, l1]", "prune.factors=[0.25, 0.5]", "prune.comparison-factors=[0.5]",
                "head.c-grid=[0.1, 10]", "head.folds=2",
                "cost.warmup=1", "cost.min-repetitions=3", "cost.min-seconds=0",
                "sweep.image-partitions=3"}) {
            args.add("--set");
            args.add(s);
        }
        return args;
    }

    @BeforeAll
    static void startClusterAndRunLocally() throws Exception {
        home = Path.of(System.getProperty("ftl.home", "")).toAbsolutePath();
        Path sparkHome = Path.of(System.getProperty("ftl.sparkHome", home.resolve("target/spark-home").toString()));
        assertTrue(Files.isDirectory(sparkHome.resolve("jars")),
                sparkHome + "/jars is missing: run the cluster tests with mvn verify, which makes it");
        assertTrue(appJar().isPresent(), "no target/ftl-*-app.jar: run the cluster tests with mvn verify");
        Path base = Files.createDirectories(home.resolve("target/cluster-it"));
        work = Files.createTempDirectory(base, "run-");
        String flags = Files.readString(home.resolve("target/jvm-flags.txt"));

        CliTest.Run synth = new CliTest.Run("synth", "--out", work.resolve("data").toString(), "--count", "48",
                "--size", "64", "--segmented-count", "6", "--difficulty", "0");
        assertEquals(0, synth.code, synth.err);

        cluster = new StandaloneCluster(sparkHome, work, flags);
        // local mode through the launcher, as a user runs it; it trains and caches the backbone both runs use
        List<String> cmd = new ArrayList<>(List.of(home.resolve("submit/ftl").toString()));
        cmd.addAll(settings("runs-local"));
        cmd.addAll(List.of("--set", "spark.master=local[2]"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(work.resolve("local.log").toFile());
        pb.environment().put("FTL_JAVA_OPTS", "-Xmx2g");
        pb.environment().put("OMP_NUM_THREADS", "1");
        Process localRun = cluster.started(pb.start());
        cluster.start(2, 1, "2g");
        finish(localRun, work.resolve("local.log"));
        local = metrics(work.resolve("runs-local"));
        assertEquals(4, local.size(), "local run: one row per candidate");
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aSweepSubmittedToTheClusterEqualsLocalMode() throws Exception {
        Path log = work.resolve("cluster.log");
        Process driver = submit("runs-cluster", log, List.of());
        finish(driver, log);
        String text = StandaloneCluster.read(log);
        assertTrue(text.contains("Connecting to master spark://127.0.0.1:"), "the driver used the standalone master");
        assertTrue(text.contains("Granted executor ID"), "executors were granted on the workers");
        assertSameMetrics(metrics(work.resolve("runs-cluster")));
    }

    @Test
    void theSweepSurvivesAnExecutorKilledDuringPrune() throws Exception {
        int ui = StandaloneCluster.freePort();
        Path log = work.resolve("fault.log");
        Process driver = submit("runs-fault", log, List.of("--conf", "spark.ui.enabled=true", "--conf", "spark.ui.port=" + ui));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        String api = "http://127.0.0.1:" + ui + "/api/v1/applications";

        // wait for a running prune task, then kill the executor that runs it
        long end = System.nanoTime() + SWEEP_TIMEOUT.toNanos();
        StandaloneCluster.Executor victim = null;
        String app = null;
        while (victim == null) {
            if (!driver.isAlive() || System.nanoTime() > end) {
                fail("the prune stage was never seen running a task on an executor, so none was killed; "
                        + log + " ends with:\n" + StandaloneCluster.tail(log, 40));
            }
            Thread.sleep(50);
            // the application is found as soon as the UI answers, before pruning starts: the UI's first REST call
            // sets up its servlets, which took longer than a whole prune task and let the tasks finish unkilled
            if (app == null) {
                List<? extends Config> apps = get(http, api);
                if (apps == null || apps.isEmpty()) {
                    continue;
                }
                app = apps.get(0).getString("id");
            }
            if (!StandaloneCluster.read(log).contains("prune:")) {
                continue;
            }
            Config prune = pruneJob(get(http, api + "/" + app + "/jobs?status=running"));
            if (prune == null || prune.getInt("numActiveTasks") == 0) {
                continue;
            }
            List<? extends Config> executors = get(http, api + "/" + app + "/executors");
            if (executors == null) {
                continue;
            }
            for (Config e : executors) {
                if (!e.getString("id").equals("driver") && e.getInt("activeTasks") > 0) {
                    for (StandaloneCluster.Executor x : cluster.executors()) {
                        if (x.id().equals(e.getString("id"))) {
                            victim = x;
                        }
                    }
                }
            }
        }
        assertTrue(victim.process().destroyForcibly(), "SIGKILL sent to executor " + victim.id());
        victim.process().onExit().get(30, TimeUnit.SECONDS);
        assertFalse(victim.process().isAlive(), "executor " + victim.id() + " is dead");

        // the prune job goes on and counts the lost task(s) as failed
        int failedPruneTasks = -1;
        while (driver.isAlive() && System.nanoTime() < end) {
            Config prune = pruneJob(get(http, api + "/" + app + "/jobs"));
            if (prune != null) {
                failedPruneTasks = prune.getInt("numFailedTasks");
                if (prune.getString("status").equals("SUCCEEDED")) {
                    break;
                }
            }
            Thread.sleep(100);
        }
        finish(driver, log);
        String text = StandaloneCluster.read(log);
        String killed = victim.id();
        assertTrue(failedPruneTasks > 0, "the prune job lost at least one task to the killed executor "
                + victim.id() + " (failed tasks: " + failedPruneTasks + ")");
        assertTrue(text.contains("Lost executor " + killed + " "), "the driver saw executor " + killed + " go");
        assertTrue(text.lines().anyMatch(l -> l.contains("Lost task") && l.contains("executor " + killed + ")")
                && l.contains("ExecutorLostFailure")), "a task was lost with the executor and retried");
        assertSameMetrics(metrics(work.resolve("runs-fault")));
    }

    private static Config pruneJob(List<? extends Config> jobs) {
        if (jobs == null) {
            return null;
        }
        for (Config j : jobs) {
            if (j.hasPath("jobGroup") && j.getString("jobGroup").equals("prune")) {
                return j;
            }
        }
        return null;
    }

    /**
     * The REST answer (a JSON array of objects), or null while the UI is not up (or already gone). Read with
     * Typesafe Config, a JSON superset: the test classpath's Jackson is two versions that do not read trees.
     */
    private static List<? extends Config> get(HttpClient http, String url) throws InterruptedException {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? ConfigFactory.parseString("{\"a\": " + r.body() + "}").getConfigList("a") : null;
        } catch (IOException | com.typesafe.config.ConfigException notYet) { // no UI yet, or not its JSON yet
            return null;
        }
    }

    /** submit/cluster.sh with Spark's own SparkSubmit on Spark's own classpath as spark-submit. */
    private static Process submit(String runs, Path log, List<String> sparkOptions) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(home.resolve("submit/cluster.sh").toString(),
                "--master", cluster.masterUrl(), "--executor-memory", "1500m", "--executor-cores", "1",
                "--conf", "spark.driver.host=127.0.0.1"));
        cmd.addAll(sparkOptions);
        cmd.add("--");
        cmd.addAll(settings(runs));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(cluster.environment());
        List<String> submit = cluster.java("2g");
        submit.add("org.apache.spark.deploy.SparkSubmit");
        pb.environment().put("SPARK_SUBMIT", String.join(" ", submit));
        return cluster.started(pb.start());
    }

    private static void finish(Process p, Path log) throws InterruptedException {
        if (!p.waitFor(SWEEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            fail("no end after " + SWEEP_TIMEOUT + "; " + log + " ends with:\n" + StandaloneCluster.tail(log, 60));
        }
        assertEquals(0, p.exitValue(), "exit code; " + log + " ends with:\n" + StandaloneCluster.tail(log, 60));
    }

    private static void assertSameMetrics(Map<String, Map<String, String>> other) {
        assertEquals(local.keySet(), other.keySet(), "the same candidates");
        for (Map.Entry<String, Map<String, String>> e : local.entrySet()) {
            Map<String, String> mine = new TreeMap<>(e.getValue());
            Map<String, String> theirs = new TreeMap<>(other.get(e.getKey()));
            // latency is a measurement of the moment; every other column is computed
            mine.keySet().removeIf(c -> c.startsWith("latency_"));
            theirs.keySet().removeIf(c -> c.startsWith("latency_"));
            assertEquals(mine, theirs, e.getKey());
            assertEquals("ok", mine.get("status"), e.getKey() + ": " + mine.get("error"));
        }
    }

    /** metrics.csv of the one finished run under {@code runs}, one map of column to text per candidate. */
    private static Map<String, Map<String, String>> metrics(Path runs) throws IOException {
        List<Path> done;
        try (Stream<Path> s = Files.list(runs)) {
            done = s.filter(r -> Files.exists(r.resolve("_SUCCESS"))).toList();
        }
        assertEquals(1, done.size(), "one finished run in " + runs);
        CsvParserSettings settings = new CsvParserSettings();
        settings.setHeaderExtractionEnabled(true);
        settings.getFormat().setQuoteEscape('"');
        CsvParser parser = new CsvParser(settings);
        List<com.univocity.parsers.common.record.Record> records =
                parser.parseAllRecords(new StringReader(Files.readString(done.get(0).resolve("metrics.csv"))));
        Map<String, Map<String, String>> byCandidate = new TreeMap<>();
        for (var r : records) {
            Map<String, String> row = new TreeMap<>();
            r.toFieldMap().forEach((k, v) -> row.put(k, v == null ? "" : v));
            assertNotNull(row.get("candidate"));
            byCandidate.put(row.get("candidate"), row);
        }
        return byCandidate;
    }

    private static java.util.Optional<Path> appJar() throws IOException {
        try (Stream<Path> s = Files.list(home.resolve("target"))) {
            return s.filter(p -> p.getFileName().toString().matches("ftl-.*-app\\.jar")).findFirst();
        }
    }
}
