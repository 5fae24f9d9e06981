package org.ftl.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Typed, range-checked reads from the merged configuration. Every failure becomes a {@link ConfigError}
 * naming the key, where its value came from and what is allowed, so the typed settings records never see
 * a bad value.
 */
public final class Settings {
    private final Config config;

    public Settings(Config config) {
        this.config = config;
    }

    public Config raw() {
        return config;
    }

    /** Where a key's value came from: a file and line, a command-line flag, an environment variable. */
    public String origin(String key) {
        if (!config.hasPathOrNull(key)) {
            return "nowhere";
        }
        return describe(config.getValue(key));
    }

    static String describe(ConfigValue value) {
        String d = value.origin().description();
        // Typesafe describes the defaults as "reference.conf @ jar:file:/…/ftl.jar!/reference.conf: 12"
        if (d.startsWith("reference.conf @")) {
            int line = value.origin().lineNumber();
            return "reference.conf" + (line > 0 ? ": " + line : "");
        }
        // a command-line value parsed as HOCON gets a line number; it has only one line
        if (d.startsWith("--set ") || d.startsWith("option ") || d.startsWith("environment variable ")) {
            return d.replaceFirst(": \\d+$", "");
        }
        return d;
    }

    private ConfigError error(String key, String problem) {
        // concise: a list or object on one line, without Typesafe's origin comments
        String shown = config.hasPathOrNull(key) ? config.getValue(key).render(ConfigRenderOptions.concise()) : "(missing)";
        return new ConfigError(key + " = " + shown + " (from " + origin(key) + "): " + problem);
    }

    public String string(String key) {
        try {
            return config.getString(key);
        } catch (ConfigException.Missing | ConfigException.WrongType e) {
            throw error(key, "must be a string");
        }
    }

    public String nonEmpty(String key) {
        String s = string(key);
        if (s.isBlank()) {
            throw error(key, "must not be empty");
        }
        return s;
    }

    public boolean bool(String key) {
        try {
            return config.getBoolean(key);
        } catch (ConfigException.Missing | ConfigException.WrongType e) {
            throw error(key, "must be true or false");
        }
    }

    public int intIn(String key, int min, int max) {
        return (int) longIn(key, min, max);
    }

    public long longIn(String key, long min, long max) {
        long v;
        try {
            v = config.getLong(key);
        } catch (ConfigException.Missing | ConfigException.WrongType e) {
            throw error(key, "must be a whole number from " + min + " to " + max);
        }
        if (v < min || v > max) {
            throw error(key, "must be a whole number from " + min + " to " + max);
        }
        return v;
    }

    public double doubleIn(String key, double min, double max) {
        double v;
        try {
            v = config.getDouble(key);
        } catch (ConfigException.Missing | ConfigException.WrongType e) {
            throw error(key, "must be a number from " + min + " to " + max);
        }
        if (Double.isNaN(v) || v < min || v > max) {
            throw error(key, "must be a number from " + min + " to " + max);
        }
        return v;
    }

    /** A string that must be one of {@code allowed} (compared case-insensitively, returned lower-case). */
    public String oneOf(String key, String... allowed) {
        String v = string(key).toLowerCase(Locale.ROOT);
        for (String a : allowed) {
            if (a.equals(v)) {
                return v;
            }
        }
        throw error(key, "must be one of " + String.join(", ", allowed));
    }

    public List<String> stringList(String key) {
        try {
            return Collections.unmodifiableList(new ArrayList<>(config.getStringList(key)));
        } catch (ConfigException.Missing | ConfigException.WrongType e) {
            throw error(key, "must be a list of strings, e.g. [a, b]");
        }
    }

    public List<Double> doubleList(String key, double min, double max) {
        List<Double> values;
        try {
            values = config.getDoubleList(key);
        } catch (ConfigException.Missing | ConfigException.WrongType e) {
            throw error(key, "must be a list of numbers, e.g. [0.1, 0.5]");
        }
        for (double v : values) {
            if (Double.isNaN(v) || v < min || v > max) {
                throw error(key, "every number must be from " + min + " to " + max);
            }
        }
        return List.copyOf(values);
    }

    /** A free-form object of string values (e.g. Spark settings passed through), in file order. */
    public Map<String, String> stringMap(String key) {
        Map<String, String> m = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, ConfigValue> e : config.getObject(key).entrySet()) {
                Object v = e.getValue().unwrapped();
                if (v instanceof Map || v instanceof List) {
                    throw error(key + "." + quote(e.getKey()), "must be a plain value (string, number or boolean)");
                }
                m.put(e.getKey(), String.valueOf(v));
            }
        } catch (ConfigException.Missing | ConfigException.WrongType e) {
            throw error(key, "must be an object of settings, e.g. { \"spark.executor.memory\" = \"4g\" }");
        }
        return Collections.unmodifiableMap(m);
    }

    private static String quote(String k) {
        return k.contains(".") ? "\"" + k + "\"" : k;
    }

    /** A failure of a rule that spans several keys, reported against the first. */
    public ConfigError invalid(String key, String problem) {
        return error(key, problem);
    }
}
