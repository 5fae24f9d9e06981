package org.ftl.sweep;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.ftl.job.SparkSettings;

import java.util.Map;

/** The Spark session a sweep runs in: the configured master on a laptop, spark-submit's under spark-submit. */
public final class SparkSessions {
    private SparkSessions() {
    }

    public static SparkSession start(SparkSettings settings) {
        SparkConf conf = new SparkConf();
        // spark-submit sets spark.master for the driver JVM; only a direct run uses ftl.spark.master
        if (!conf.contains("spark.master")) {
            conf.setMaster(settings.master());
        }
        conf.setIfMissing("spark.app.name", settings.appName());
        // ftl prints its own progress lines per stage
        conf.setIfMissing("spark.ui.showConsoleProgress", "false");
        conf.setIfMissing("spark.ui.enabled", "false");
        // pruned variants and features are large byte arrays: room for a few per message
        conf.setIfMissing("spark.rpc.message.maxSize", "512");
        conf.setIfMissing("spark.driver.maxResultSize", "4g");
        if (conf.get("spark.master").startsWith("local")) {
            // a task's OutOfMemoryError makes Spark's executor exit the JVM (code 52); in local mode that JVM is the
            // sweep itself, which would end without a word. Checking no cause for fatal errors fails the task
            // instead, and the sweep says what ran out (a cluster's executors keep Spark's default)
            conf.setIfMissing("spark.executor.killOnFatalError.depth", "0");
        }
        for (Map.Entry<String, String> e : settings.conf().entrySet()) {
            conf.set(e.getKey(), e.getValue());
        }
        return SparkSession.builder().config(conf).getOrCreate();
    }

    /**
     * Cancels every job and waits, at most {@code maxMillis}, until no task of this JVM is inside a sweep stage; how
     * many still are then. When a task fails, Spark fails its job at once but leaves the stage's other tasks to end at
     * their next record, and one may be inside ONNX Runtime or ND4J. A failed sweep ends the JVM soon after, and a
     * native library torn down under a running task crashes the JVM (SIGSEGV, exit 134 instead of the sweep's own
     * code: seen when a 15-sweep bench ran out of native memory). On a cluster the tasks run in the executors' JVMs,
     * which the driver's exit does not tear down: nothing to wait for here.
     */
    static int quiesce(org.apache.spark.SparkContext sc, long maxMillis) {
        sc.cancelAllJobs();
        long until = System.nanoTime() + maxMillis * 1_000_000L;
        while (ActiveTasks.count() > 0 && System.nanoTime() < until) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return ActiveTasks.count();
    }

    /** Where Spark keeps its shuffle and spill files, for messages (spark.local.dir, else java.io.tmpdir). */
    static String localDir() {
        String env = System.getenv("SPARK_LOCAL_DIRS");
        return org.apache.spark.SparkEnv.get() != null && org.apache.spark.SparkEnv.get().conf().contains("spark.local.dir")
                ? org.apache.spark.SparkEnv.get().conf().get("spark.local.dir")
                : env != null ? env : System.getProperty("java.io.tmpdir");
    }
}
