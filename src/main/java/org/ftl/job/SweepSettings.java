package org.ftl.job;

import org.ftl.config.Settings;

/** {@code ftl.sweep}: how the sweep spreads over Spark. */
public record SweepSettings(int imagePartitions, int candidatePartitions, int variantGroupMb) {

    public static SweepSettings from(Settings s) {
        return new SweepSettings(s.intIn("ftl.sweep.image-partitions", 1, 100_000),
                s.intIn("ftl.sweep.candidate-partitions", 0, 100_000), s.intIn("ftl.sweep.variant-group-mb", 1, 100_000));
    }
}
