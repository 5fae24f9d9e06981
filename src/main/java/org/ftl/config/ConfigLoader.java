package org.ftl.config;


import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds the one configuration a command runs with, from four layers (later wins):
 * <ol>
 *   <li>{@code reference.conf}: every key and its default;</li>
 *   <li>the profile given by {@code --conf} (a file, or the name of a profile shipped in {@code conf/});</li>
 *   <li>environment variables for paths ({@link #ENVIRONMENT});</li>
 *   <li>{@code --set key=value} flags, in order.</li>
 * </ol>
 * Keys not declared in reference.conf are refused, so a typo never silently falls back to a default.
 */
public final class ConfigLoader {
    /** Environment variables that override path settings. */
    public static final Map<String, String> ENVIRONMENT = Map.of(
            "FTL_DATA", "ftl.data.root",
            "FTL_RUNS", "ftl.runs.root");

    private static final String ROOT = "ftl";

    private final Config reference;

    public ConfigLoader() {
        this(ConfigFactory.parseResources(ConfigLoader.class.getClassLoader(), "reference.conf",
                ConfigParseOptions.defaults().setAllowMissing(false)));
    }

    ConfigLoader(Config reference) {
        this.reference = reference;
    }

    /**
     * The merged, resolved and key-checked configuration, before typing (each package reads its section into its
     * own record; {@code org.ftl.job.FtlConfig} holds them all).
     *
     * @param profile  a file path, a profile name ("demo" finds conf/demo.conf or the copy shipped in the jar),
     *                 or null for the defaults alone
     * @param sets     overrides in command-line order ({@code --set} flags and command options)
     * @param env      the process environment (a parameter so tests can pass their own)
     */
    public Config layers(String profile, List<SettingOverride> sets, Map<String, String> env) {
        Config layered = reference;
        if (profile != null) {
            layered = readProfile(profile).withFallback(layered);
        }
        layered = environment(env).withFallback(layered);
        for (SettingOverride set : sets) {
            layered = set.parse().withFallback(layered);
        }
        Config resolved;
        try {
            resolved = layered.resolve(ConfigResolveOptions.defaults().setAllowUnresolved(false));
        } catch (ConfigException e) {
            throw new ConfigError("cannot resolve the configuration: " + e.getMessage());
        }
        checkKnownKeys(resolved);
        return resolved;
    }

    /** The text a profile name or path refers to, with its origin shown as the file it came from. */
    Config readProfile(String profile) {
        ConfigParseOptions options = ConfigParseOptions.defaults().setAllowMissing(false);
        try {
            if (profile.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*") && !profile.regionMatches(true, 0, "file:", 0, 5)) {
                return readRemote(profile, options);
            }
            // a file: URI as Hadoop writes local paths (file:/x, file:///x; spaces unencoded) is a local file
            Path file = profile.regionMatches(true, 0, "file:", 0, 5)
                    ? Path.of(new org.apache.hadoop.fs.Path(profile).toUri().getPath()) : Path.of(profile);
            if (Files.isRegularFile(file)) {
                return ConfigFactory.parseFile(file.toFile(), options.setOriginDescription(profile));
            }
            boolean looksLikeName = !profile.contains("/") && !profile.endsWith(".conf");
            if (looksLikeName) {
                Path inConfDir = confDir().resolve(profile + ".conf");
                if (Files.isRegularFile(inConfDir)) {
                    return ConfigFactory.parseFile(inConfDir.toFile(), options.setOriginDescription(inConfDir.toString()));
                }
                InputStream shipped = ConfigLoader.class.getResourceAsStream("/profiles/" + profile + ".conf");
                if (shipped != null) {
                    try (InputStreamReader reader = new InputStreamReader(shipped, StandardCharsets.UTF_8)) {
                        return ConfigFactory.parseReader(reader, options.setOriginDescription("profile " + profile + ".conf"));
                    }
                }
            }
        } catch (ConfigException e) {
            throw new ConfigError("cannot read config " + profile + ": " + e.getMessage());
        } catch (java.io.IOException | java.nio.file.InvalidPathException e) {
            throw new ConfigError("cannot read config " + profile + ": " + e.getMessage());
        }
        throw new ConfigError("config " + profile + ": no such file"
                + (profile.contains("/") ? "" : " (nor a profile of that name: " + String.join(", ", shippedProfiles()) + ")"));
    }

    /**
     * A profile on HDFS or S3A (e.g. beside the data, for a driver that spark-submit starts on a cluster node),
     * read through Hadoop's FileSystem with the classpath's Hadoop settings.
     */
    private static Config readRemote(String profile, ConfigParseOptions options) throws java.io.IOException {
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(profile);
        org.apache.hadoop.fs.FileSystem fs;
        try {
            fs = path.getFileSystem(new org.apache.hadoop.conf.Configuration());
        } catch (RuntimeException e) { // a known scheme whose classes are missing, e.g. s3a:// without hadoop-aws
            throw new java.io.IOException("no file system for it on the classpath (" + e.getMessage() + ")", e);
        }
        try (InputStreamReader reader = new InputStreamReader(fs.open(path), StandardCharsets.UTF_8)) {
            return ConfigFactory.parseReader(reader, options.setOriginDescription(profile));
        } catch (java.io.FileNotFoundException e) {
            throw new ConfigError("config " + profile + ": no such file");
        }
    }

    /** The conf/ folder next to the installation (FTL_HOME, set by submit/ftl), or of the working directory. */
    private static Path confDir() {
        String home = System.getenv("FTL_HOME");
        return home == null ? Path.of("conf") : Path.of(home, "conf");
    }

    static List<String> shippedProfiles() {
        return List.of("demo", "cluster", "nightly", "original");
    }

    private static Config environment(Map<String, String> env) {
        Config c = ConfigFactory.empty();
        for (Map.Entry<String, String> e : ENVIRONMENT.entrySet()) {
            String value = env.get(e.getKey());
            if (value != null && !value.isBlank()) {
                c = ConfigFactory.empty("environment variable " + e.getKey())
                        .withValue(e.getValue(), ConfigValueFactory.fromAnyRef(value, "environment variable " + e.getKey()))
                        .withFallback(c);
            }
        }
        return c;
    }

    static boolean isNumber(String s) {
        return s.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");
    }

    /** Refuses every key under {@code ftl} that reference.conf does not declare, naming its origin. */
    private void checkKnownKeys(Config merged) {
        if (!merged.hasPath(ROOT) || merged.getValue(ROOT).valueType() != ConfigValueType.OBJECT) {
            throw new ConfigError("the configuration has no ftl { … } section");
        }
        List<String> unknown = new ArrayList<>();
        walk(merged.getObject(ROOT), ROOT, unknown, merged);
        if (!unknown.isEmpty()) {
            throw new ConfigError(unknown.get(0) + (unknown.size() > 1 ? " (and " + (unknown.size() - 1) + " more)" : ""));
        }
        // Keys beside ftl (Spark or library settings in a profile) are not ours to judge.
    }

    private void walk(ConfigObject object, String path, List<String> unknown, Config merged) {
        for (Map.Entry<String, ConfigValue> e : object.entrySet()) {
            String key = path + "." + ConfigUtil.joinPath(e.getKey());
            if (!reference.hasPathOrNull(key)) {
                // name a leaf: its origin is where the user wrote it (sections made by --set have none)
                ConfigValue leaf = e.getValue();
                while (leaf.valueType() == ConfigValueType.OBJECT && !((ConfigObject) leaf).isEmpty()) {
                    Map.Entry<String, ConfigValue> first = ((ConfigObject) leaf).entrySet().iterator().next();
                    key = key + "." + ConfigUtil.joinPath(first.getKey());
                    leaf = first.getValue();
                }
                unknown.add("unknown setting " + key + " (from " + Settings.describe(leaf) + ")" + suggestion(key));
                continue;
            }
            ConfigValue declared = reference.getValue(key);
            boolean openObject = declared.valueType() == ConfigValueType.OBJECT && ((ConfigObject) declared).isEmpty();
            if (e.getValue().valueType() == ConfigValueType.OBJECT && !openObject) {
                if (declared.valueType() != ConfigValueType.OBJECT) {
                    unknown.add(key + " (from " + Settings.describe(e.getValue()) + ") is a section here, but a "
                            + declared.valueType().name().toLowerCase(Locale.ROOT) + " value in reference.conf");
                    continue;
                }
                walk((ConfigObject) e.getValue(), key, unknown, merged);
            }
        }
    }

    /** "did you mean …" for the closest declared key, when one is close. */
    private String suggestion(String key) {
        Set<String> known = new TreeSet<>();
        for (Map.Entry<String, ConfigValue> e : reference.getObject(ROOT).toConfig().entrySet()) {
            known.add(ROOT + "." + e.getKey());
        }
        // sections too, so a misspelt section name finds its match
        for (String k : new ArrayList<>(known)) {
            String[] parts = k.split("\\.");
            StringBuilder sb = new StringBuilder(parts[0]);
            for (int i = 1; i < parts.length - 1; i++) {
                sb.append('.').append(parts[i]);
                known.add(sb.toString());
            }
        }
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = editDistance(key, k);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return best != null && bestDistance <= Math.max(2, key.length() / 5) ? "; did you mean " + best + "?" : "";
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** The ftl settings as HOCON text, for run.json and --print-config. */
    public static String render(Config merged) {
        return merged.getConfig(ROOT).atKey(ROOT).root().render(
                ConfigRenderOptions.defaults().setOriginComments(false).setComments(false).setJson(false));
    }
}
