package org.ftl.job;

import org.ftl.config.Settings;

import java.util.Map;

/** {@code ftl.spark}: the master and any Spark settings passed through. */
public record SparkSettings(String master, String appName, Map<String, String> conf) {

    /**
     * The Hadoop settings Spark would give its jobs: the classpath's core-site.xml / hdfs-site.xml plus every
     * {@code spark.hadoop.*} entry of {@link #conf()} (S3A credentials, HDFS client options). For commands that
     * read or write files without starting Spark, so they see the same file systems as the sweep.
     */
    public org.apache.hadoop.conf.Configuration hadoopConfiguration() {
        org.apache.hadoop.conf.Configuration c = new org.apache.hadoop.conf.Configuration();
        conf.forEach((k, v) -> {
            if (k.startsWith("spark.hadoop.")) {
                c.set(k.substring("spark.hadoop.".length()), v);
            }
        });
        return c;
    }

    public static SparkSettings from(Settings s) {
        return new SparkSettings(s.nonEmpty("ftl.spark.master"), s.nonEmpty("ftl.spark.app-name"),
                s.stringMap("ftl.spark.conf"));
    }
}
