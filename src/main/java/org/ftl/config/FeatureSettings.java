package org.ftl.config;

/** {@code ftl.features}: how a candidate's last map becomes the head's features. */
public record FeatureSettings(boolean flatten, int batchSize) {

    static FeatureSettings from(Settings s) {
        return new FeatureSettings(s.oneOf("ftl.features.mode", "flatten", "average").equals("flatten"),
                s.intIn("ftl.features.batch-size", 1, 4096));
    }
}
