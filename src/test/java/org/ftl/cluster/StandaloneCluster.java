package org.ftl.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A Spark standalone cluster on this machine for the integration tests: one Master and some Workers, each
 * its own JVM started from a Spark home whose {@code jars/} holds Spark's own dependency closure (the build
 * makes it, see {@code src/it/spark-home/pom.xml}), the way {@code sbin/start-master.sh} and
 * {@code sbin/start-worker.sh} would start them. Every JVM it starts, the executors the Workers launch
 * included, is killed by {@link #close()} and, should the test JVM end first, by a shutdown hook.
 */
final class StandaloneCluster implements AutoCloseable {
    private final Path sparkHome;
    private final Path dir;
    private final String jvmFlags;
    private final List<Process> started = Collections.synchronizedList(new ArrayList<>());
    private final List<Process> workers = new ArrayList<>();
    private final Thread hook = new Thread(this::killAll, "standalone-cluster-cleanup");
    private int masterPort;

    StandaloneCluster(Path sparkHome, Path dir, String jvmFlags) {
        this.sparkHome = sparkHome;
        this.dir = dir;
        this.jvmFlags = jvmFlags;
        try {
            Files.createDirectories(dir.resolve("scratch"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Starts the Master and {@code workers} Workers of {@code cores} cores and {@code memory} each; returns when all registered. */
    StandaloneCluster start(int workers, int cores, String memory) throws IOException, InterruptedException {
        masterPort = freePort();
        Path masterLog = dir.resolve("master.log");
        started(launch(List.of("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                "--port", String.valueOf(masterPort), "--webui-port", String.valueOf(freePort())), masterLog));
        await(masterLog, s -> s.contains("I have been elected leader"), Duration.ofSeconds(90), "the Master to start");
        for (int i = 1; i <= workers; i++) {
            Path work = Files.createDirectories(dir.resolve("worker-" + i));
            Path log = dir.resolve("worker-" + i + ".log");
            Process w = launch(List.of("org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                    "--cores", String.valueOf(cores), "--memory", memory, "--work-dir", work.toString(),
                    "--webui-port", String.valueOf(freePort()), masterUrl()), log);
            started(w);
            this.workers.add(w);
        }
        for (int i = 1; i <= workers; i++) {
            await(dir.resolve("worker-" + i + ".log"), s -> s.contains("Successfully registered with master"),
                    Duration.ofSeconds(90), "worker " + i + " to register");
        }
        return this;
    }

    String masterUrl() {
        return "spark://127.0.0.1:" + masterPort;
    }

    /** The environment Spark's launchers need without a distribution's scripts. */
    Map<String, String> environment() {
        // without SPARK_SCALA_VERSION the Worker's launcher looks for a source tree's build directories
        // SPARK_LOCAL_DIRS: scratch space (shuffle, fetched jars) stays in the test's folder, also when killed
        return Map.of("SPARK_HOME", sparkHome.toString(), "SPARK_SCALA_VERSION", "2.12",
                "SPARK_LOCAL_IP", "127.0.0.1", "SPARK_LOCAL_DIRS", dir.resolve("scratch").toString(),
                "OMP_NUM_THREADS", "1");
    }

    /** {@code java <flags> -cp <Spark's jars> } — the start of a command line on Spark's classpath alone. */
    List<String> java(String heap) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + heap);
        cmd.addAll(List.of(jvmFlags.trim().split("\\s+")));
        cmd.add("-cp");
        cmd.add(sparkHome.resolve("jars") + "/*");
        return cmd;
    }

    /** The executor JVMs the Workers run now, with the executor id each was given. */
    List<Executor> executors() {
        List<Executor> found = new ArrayList<>();
        for (Process w : workers) {
            w.descendants().forEach(p -> {
                Optional<String[]> args = p.info().arguments();
                if (args.isEmpty() || !p.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend")) {
                    return;
                }
                String[] a = args.get();
                for (int i = 0; i + 1 < a.length; i++) {
                    if (a[i].equals("--executor-id")) {
                        found.add(new Executor(a[i + 1], p));
                    }
                }
            });
        }
        return found;
    }

    record Executor(String id, ProcessHandle process) {
    }

    /** A process this cluster kills on close. */
    Process started(Process p) {
        started.add(p);
        return p;
    }

    private Process launch(List<String> main, Path log) throws IOException {
        List<String> cmd = java("512m");
        cmd.addAll(main);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(environment());
        return pb.start();
    }

    /** Waits until {@code file}'s text passes {@code test}; fails with the file's tail otherwise. */
    static void await(Path file, Predicate<String> test, Duration timeout, String what) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (test.test(read(file))) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("timed out waiting for " + what + "; " + file + " ends with:\n" + tail(file, 40));
    }

    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String tail(Path file, int lines) {
        String[] all = read(file).split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(all, Math.max(0, all.length - lines), all.length));
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private void killAll() {
        List<Process> all;
        synchronized (started) {
            all = new ArrayList<>(started);
        }
        Collections.reverse(all); // drivers first, then Workers (and their executors), the Master last
        for (Process p : all) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (Process p : all) {
            try {
                p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        killAll();
        // the logs stay for a look after a failure; each executor's copy of the application jar goes
        try (var files = Files.walk(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".jar")).toList()) {
                Files.deleteIfExists(f);
            }
            if (Files.isDirectory(dir.resolve("scratch"))) {
                try (var scratch = Files.walk(dir.resolve("scratch"))) {
                    for (Path f : scratch.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(f);
                    }
                }
            }
        } catch (IOException e) {
            System.err.println("could not clean " + dir + ": " + e);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }
}
