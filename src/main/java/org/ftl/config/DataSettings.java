package org.ftl.config;

import java.util.List;
import java.util.Locale;

/** {@code ftl.data}: where the data layout lives and which class is the target. */
public record DataSettings(String root, String targetClass, List<String> imageExtensions) {

    static DataSettings from(Settings s) {
        List<String> ext = s.stringList("ftl.data.image-extensions").stream()
                .map(e -> e.toLowerCase(Locale.ROOT).replaceFirst("^\\.", "")).toList();
        if (ext.isEmpty()) {
            throw s.invalid("ftl.data.image-extensions", "must name at least one ending, e.g. [png, jpg]");
        }
        return new DataSettings(s.nonEmpty("ftl.data.root"), s.nonEmpty("ftl.data.target-class"), ext);
    }
}
