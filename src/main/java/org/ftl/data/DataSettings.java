package org.ftl.data;

import org.ftl.config.Settings;

import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueType;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code ftl.data}: where the data layout lives, which class is the target, and what in a mask is the object. */
public record DataSettings(String root, String targetClass, List<String> imageExtensions, MaskObject maskObject) {

    public static DataSettings from(Settings s) {
        List<String> ext = s.stringList("ftl.data.image-extensions").stream()
                .map(e -> e.toLowerCase(Locale.ROOT).replaceFirst("^\\.", "")).toList();
        if (ext.isEmpty()) {
            throw s.invalid("ftl.data.image-extensions", "must name at least one ending, e.g. [png, jpg]");
        }
        return new DataSettings(s.nonEmpty("ftl.data.root"), s.nonEmpty("ftl.data.target-class"), ext, maskObject(s));
    }

    /** brightness, nonzero, or a list of levels such as [1]. */
    private static MaskObject maskObject(Settings s) {
        String key = "ftl.data.mask-object";
        String allowed = "must be brightness, nonzero or a list of mask levels from 1 to 65535, e.g. [1]";
        ConfigValueType type = s.raw().getValue(key).valueType();
        String setting = key + " = " + (type == ConfigValueType.STRING ? s.string(key)
                : s.raw().getValue(key).render(ConfigRenderOptions.concise())) + " (from " + s.origin(key) + ")";
        if (type == ConfigValueType.LIST || type == ConfigValueType.NUMBER) {
            List<Integer> levels = new ArrayList<>();
            List<Double> values = type == ConfigValueType.NUMBER ? List.of(s.doubleIn(key, 1, 65535)) : s.doubleList(key, 1, 65535);
            for (double v : values) {
                if (v != Math.rint(v)) {
                    throw s.invalid(key, allowed);
                }
                levels.add((int) v);
            }
            if (levels.isEmpty()) {
                throw s.invalid(key, allowed);
            }
            return MaskObject.labels(levels, setting);
        }
        String rule = type == ConfigValueType.STRING ? s.string(key).trim().toLowerCase(Locale.ROOT) : "";
        return switch (rule) {
            case "brightness" -> MaskObject.brightness(setting);
            case "nonzero" -> MaskObject.nonzero(setting);
            default -> throw s.invalid(key, allowed);
        };
    }
}
