package org.ftl.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;

/**
 * One {@code key=value} set on the command line, by {@code --set} or by a command's own option (then
 * {@code origin} names that option, so an error points at what the user typed).
 *
 * <p>The value is read as HOCON when it is a number, a boolean, a list or an object, and as a plain string
 * otherwise, so paths like {@code hdfs://nn:8020/data} need no quoting. The {@code ftl.} prefix is optional.
 */
public record SettingOverride(String assignment, String origin) {

    /** A {@code --set key=value} flag. */
    public static SettingOverride set(String assignment) {
        return new SettingOverride(assignment, null);
    }

    /** A command option that stands for a setting, e.g. {@code --count} for {@code synth.count}. */
    public static SettingOverride option(String key, Object value, String optionName) {
        return new SettingOverride(key + "=" + value, "option " + optionName);
    }

    Config parse() {
        int eq = assignment.indexOf('=');
        if (eq <= 0) {
            throw new ConfigError("--set " + assignment + ": expected key=value, e.g. --set synth.count=200");
        }
        String key = assignment.substring(0, eq).trim();
        String text = assignment.substring(eq + 1).trim();
        if (!key.equals("ftl") && !key.startsWith("ftl.")) {
            key = "ftl." + key;
        }
        String from = origin != null ? origin : "--set " + key;
        try {
            ConfigValue value;
            if (text.startsWith("[") || text.startsWith("{") || ConfigLoader.isNumber(text)
                    || text.equals("true") || text.equals("false")) {
                value = ConfigFactory.parseString("v = " + text, ConfigParseOptions.defaults().setOriginDescription(from))
                        .getValue("v");
            } else {
                if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
                    text = text.substring(1, text.length() - 1);
                }
                value = ConfigValueFactory.fromAnyRef(text, from);
            }
            return ConfigFactory.empty(from).withValue(key, value);
        } catch (ConfigException e) {
            throw new ConfigError(from + ": cannot read " + assignment + ": " + e.getMessage());
        }
    }
}
