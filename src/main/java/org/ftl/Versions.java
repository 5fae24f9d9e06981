package org.ftl;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/** The versions of this build and of the libraries it was built against (for --version and run.json). */
public final class Versions {
    private static final Properties PROPS = load();

    private Versions() {
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = Versions.class.getResourceAsStream("version.properties")) {
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

    /** Every recorded version plus the running JVM's, sorted by name. */
    public static Map<String, String> all() {
        Map<String, String> m = new TreeMap<>();
        PROPS.forEach((k, v) -> m.put(k.toString(), v.toString()));
        m.put("java.version", System.getProperty("java.version"));
        return m;
    }
}
