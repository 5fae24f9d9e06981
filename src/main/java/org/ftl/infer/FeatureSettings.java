package org.ftl.infer;

import org.ftl.config.Settings;


/** {@code ftl.features}: how a candidate's last map becomes the head's features. */
public record FeatureSettings(FeatureMode mode, int batchSize, int channelMultiple) {

    public static FeatureSettings from(Settings s) {
        return new FeatureSettings(FeatureMode.parse(s.oneOf("ftl.features.mode", "flatten", "average")),
                s.intIn("ftl.features.batch-size", 1, 4096), s.intIn("ftl.features.channel-multiple", 1, 64));
    }
}
