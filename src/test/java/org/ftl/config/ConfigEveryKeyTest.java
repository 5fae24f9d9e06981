package org.ftl.config;

import org.ftl.job.FtlConfig;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every key reference.conf declares — found by walking its tree, so keys added later are covered too — given
 * a value of the wrong type, and every number key a value out of any sensible range: each is refused with a
 * one-line {@link ConfigError} naming the key, never a stack trace, never silently accepted.
 */
class ConfigEveryKeyTest {
    /** Number keys that take any value of their type. */
    private static final Set<String> UNBOUNDED = Set.of("ftl.seed");

    private static final Config REFERENCE = ConfigFactory.parseResources("reference.conf");

    /** Every declared value (leaves, empty objects such as spark.conf) and every section, by full key. */
    private static Map<String, ConfigValue> declared() {
        Map<String, ConfigValue> out = new TreeMap<>();
        walk(REFERENCE.getObject("ftl"), "ftl", out);
        return out;
    }

    private static void walk(ConfigObject object, String path, Map<String, ConfigValue> out) {
        for (Map.Entry<String, ConfigValue> e : object.entrySet()) {
            String key = path + "." + ConfigUtil.joinPath(e.getKey());
            out.put(key, e.getValue());
            if (e.getValue().valueType() == ConfigValueType.OBJECT) {
                walk((ConfigObject) e.getValue(), key, out);
            }
        }
    }

    /** A value of another type than the declared one, as a user would type it after --set key=. */
    private static String wrongType(ConfigValue v) {
        return switch (v.valueType()) {
            case BOOLEAN -> "maybe";
            case NUMBER -> "lots";
            case STRING -> "[a, b]";
            case LIST -> "not-a-list";
            case OBJECT -> "7"; // a value where a section (or the open spark.conf object) is declared
            case NULL -> throw new IllegalStateException("reference.conf declares null");
        };
    }

    /** The problem with trying {@code key=value}, or null when it was refused as it must be. */
    private static String refusal(String key, String value) {
        try {
            FtlConfig.load(null, List.of(SettingOverride.set(key + "=" + value)), Map.of());
            return key + "=" + value + ": accepted";
        } catch (ConfigError e) {
            String m = e.getMessage();
            if (m == null || !m.contains(key) || m.indexOf('\n') >= 0) {
                return key + "=" + value + ": message does not name the key on one line: " + m;
            }
            return null;
        } catch (Throwable t) {
            return key + "=" + value + ": " + t.getClass().getName() + " instead of a ConfigError: " + t.getMessage();
        }
    }

    @Test
    void everyKeyRefusesAValueOfTheWrongType() {
        List<String> problems = new ArrayList<>();
        Map<String, ConfigValue> keys = declared();
        assertTrue(keys.size() > 60, "walked " + keys.size() + " keys");
        for (Map.Entry<String, ConfigValue> e : keys.entrySet()) {
            String p = refusal(e.getKey(), wrongType(e.getValue()));
            if (p != null) {
                problems.add(p);
            }
            // every list's elements are checked too
            if (e.getValue().valueType() == ConfigValueType.LIST) {
                List<?> list = (List<?>) e.getValue().unwrapped();
                boolean numbers = !list.isEmpty() && list.get(0) instanceof Number;
                if (!list.isEmpty()) {
                    p = refusal(e.getKey(), numbers ? "[1, lots]" : "[[a], {b = 1}]");
                    if (p != null) {
                        problems.add(p);
                    }
                }
            }
        }
        assertTrue(problems.isEmpty(), problems.size() + " keys:\n" + String.join("\n", problems));
    }

    @Test
    void everyNumberKeyRefusesAValueOutOfRange() {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, ConfigValue> e : declared().entrySet()) {
            boolean number = e.getValue().valueType() == ConfigValueType.NUMBER;
            boolean numberList = e.getValue().valueType() == ConfigValueType.LIST
                    && !((List<?>) e.getValue().unwrapped()).isEmpty()
                    && ((List<?>) e.getValue().unwrapped()).get(0) instanceof Number;
            if (!(number || numberList) || UNBOUNDED.contains(e.getKey())) {
                continue;
            }
            // one of the two must be out of range for any real setting; report only when both pass
            String low = refusal(e.getKey(), numberList ? "[-1e12]" : "-1e12");
            String high = refusal(e.getKey(), numberList ? "[1e12]" : "1e12");
            if (low != null && high != null) {
                problems.add(low + " and " + high);
            }
        }
        assertTrue(problems.isEmpty(), problems.size() + " keys:\n" + String.join("\n", problems));
    }
}
