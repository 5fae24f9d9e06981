package org.ftl;

import org.apache.spark.sql.SparkSession;

/** One local Spark session for the whole test JVM (starting one takes seconds). */
public final class LocalSpark {
    private static SparkSession session;

    private LocalSpark() {
    }

    public static synchronized SparkSession get() {
        if (session == null || session.sparkContext().isStopped()) {
            session = SparkSession.builder()
                    .master("local[2]")
                    .appName("ftl-tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.ui.showConsoleProgress", "false")
                    .config("spark.sql.shuffle.partitions", "2")
                    .getOrCreate();
        }
        return session;
    }
}
