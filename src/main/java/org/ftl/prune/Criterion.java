package org.ftl.prune;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The ways a layer's filters can be ranked: the method's own (IoU of the maps with the object's masks) and the
 * comparisons it is measured against. Written in settings, candidate ids and the metrics' {@code criterion} column by
 * {@link #configName()} (e.g. {@code iou}); the unpruned baseline's rows say {@code baseline}, which is no criterion.
 */
public enum Criterion {
    /** Filters whose binarized maps overlap the object's masks best (FTL's). */
    IOU,
    /** Largest L1 norm of the filter's weights (magnitude pruning). */
    L1,
    /** A seeded random choice. */
    RANDOM,
    /** Fewest zero activations (average percentage of zeros, lowest first). */
    APOZ;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether ranking needs the segmented images (their masks, or just their activations). */
    public boolean needsSegmentedImages() {
        return this == IOU || this == APOZ;
    }

    /** Every criterion's name, in declaration order (the report's and the settings' order). */
    public static List<String> names() {
        return Arrays.stream(values()).map(Criterion::configName).toList();
    }

    /** The criterion a name stands for; an IllegalArgumentException naming the choices otherwise. */
    public static Criterion parse(String name) {
        for (Criterion c : values()) {
            if (c.configName().equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("'" + name + "' is not a criterion: " + String.join(", ", names()));
    }

    /** Whether the name is one of the criteria. */
    public static boolean isOne(String name) {
        return names().contains(name);
    }
}
