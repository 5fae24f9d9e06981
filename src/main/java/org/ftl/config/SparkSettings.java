package org.ftl.config;

import java.util.Map;

/** {@code ftl.spark}: the master and any Spark settings passed through. */
public record SparkSettings(String master, String appName, Map<String, String> conf) {

    static SparkSettings from(Settings s) {
        return new SparkSettings(s.nonEmpty("ftl.spark.master"), s.nonEmpty("ftl.spark.app-name"),
                s.stringMap("ftl.spark.conf"));
    }
}
