package org.ftl;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/** The versions of this build and of the libraries it was built against (for --version and run.json). */
public final class Versions {
    private static final Properties PROPS = load("version.properties");
    /** Written by the build from git: the commit, and whether tracked files had uncommitted changes. */
    private static final Properties BUILD = load("build.properties");

    private Versions() {
    }

    private static Properties load(String resource) {
        Properties p = new Properties();
        try (InputStream in = Versions.class.getResourceAsStream(resource)) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    public static String ftl() {
        return PROPS.getProperty("ftl.version", "unknown");
    }

    /** The git commit this build was made from, "-dirty" appended when it had uncommitted changes; or "unknown". */
    public static String gitCommit() {
        String commit = BUILD.getProperty("git.commit", "unknown");
        return commit + ("true".equals(BUILD.getProperty("git.dirty")) ? "-dirty" : "");
    }

    /**
     * Every recorded version (as built), the git commit, and what this process runs on: the JVM, and the Spark
     * and Hadoop actually on the classpath (a cluster's may differ from the ones the build was made against).
     */
    /** The version in a jar's META-INF/maven/GROUP/ARTIFACT/pom.properties on the class path, or null. */
    static String mavenVersion(String group, String artifact) {
        String resource = "META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try (InputStream in = Versions.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                return null;
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (java.io.IOException e) {
            return null;
        }
    }

    public static Map<String, String> all() {
        Map<String, String> m = new TreeMap<>();
        PROPS.forEach((k, v) -> m.put(k.toString(), v.toString()));
        m.put("git.commit", gitCommit());
        m.put("java.version", System.getProperty("java.version"));
        m.put("java.vendor", System.getProperty("java.vendor"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        try {
            // from spark-core's own jar (the cluster's on a cluster), without loading Spark here
            String spark = mavenVersion("org.apache.spark", "spark-core_2.12");
            if (spark != null) {
                m.put("spark.runtime.version", spark);
            }
            m.put("hadoop.runtime.version", org.apache.hadoop.util.VersionInfo.getVersion());
        } catch (LinkageError e) {
            // Spark and Hadoop are provided by the cluster: a command run without them records what it can
        }
        return m;
    }
}
