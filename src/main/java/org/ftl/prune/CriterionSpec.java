package org.ftl.prune;

import java.io.Serializable;

/**
 * Everything needed to make any criterion and prune with it, small enough to ship to executors: the IoU
 * choices, the target class, the seed of {@code random} and the rule of how many filters are kept.
 */
public record CriterionSpec(String targetClass, boolean allClasses, Binarization binarization, float threshold,
                            MaskResize maskResize, long seed, KeepRule keepRule) implements Serializable {

    /** With FTL's own keep rule. */
    public CriterionSpec(String targetClass, boolean allClasses, Binarization binarization, float threshold,
                         MaskResize maskResize, long seed) {
        this(targetClass, allClasses, binarization, threshold, maskResize, seed, KeepRule.FTL);
    }

    public FilterCriterion create(String name) {
        return switch (name) {
            case "iou" -> new IouCriterion(targetClass, allClasses, binarization, threshold, maskResize);
            case "l1" -> new L1Criterion();
            case "random" -> new RandomCriterion(seed);
            case "apoz" -> new ApozCriterion();
            default -> throw new IllegalArgumentException("unknown criterion '" + name + "': iou, l1, random or apoz");
        };
    }
}
