package org.ftl.prune;

import java.io.Serializable;

/**
 * Everything needed to make any criterion and prune with it, small enough to ship to executors: the IoU
 * choices, the target class, the seed of {@code random} and the rule of how many filters are kept.
 */
public record CriterionSpec(String targetClass, boolean allClasses, Binarization binarization, float threshold,
                            MaskResize maskResize, long seed, KeepRule keepRule, double topFraction, double coverage,
                            IouCriterion.Score score, double magnitudeWeight, Magnitude magnitude) implements Serializable {

    /** With the magnitude of the kernels as trained. */
    public CriterionSpec(String targetClass, boolean allClasses, Binarization binarization, float threshold,
                         MaskResize maskResize, long seed, KeepRule keepRule, double topFraction, double coverage,
                         IouCriterion.Score score, double magnitudeWeight) {
        this(targetClass, allClasses, binarization, threshold, maskResize, seed, keepRule, topFraction, coverage, score,
                magnitudeWeight, Magnitude.KERNEL);
    }

    /** With the score alone (magnitude-weight 0). */
    public CriterionSpec(String targetClass, boolean allClasses, Binarization binarization, float threshold,
                         MaskResize maskResize, long seed, KeepRule keepRule, double topFraction, double coverage,
                         IouCriterion.Score score) {
        this(targetClass, allClasses, binarization, threshold, maskResize, seed, keepRule, topFraction, coverage, score, 0);
    }

    /** With the default q = 0.1 of top-fraction, t = 0.5 of coverage, and plain IoU scores. */
    public CriterionSpec(String targetClass, boolean allClasses, Binarization binarization, float threshold,
                         MaskResize maskResize, long seed, KeepRule keepRule) {
        this(targetClass, allClasses, binarization, threshold, maskResize, seed, keepRule, 0.1, 0.5, IouCriterion.Score.IOU);
    }

    /** With FTL's own keep rule. */
    public CriterionSpec(String targetClass, boolean allClasses, Binarization binarization, float threshold,
                         MaskResize maskResize, long seed) {
        this(targetClass, allClasses, binarization, threshold, maskResize, seed, KeepRule.FTL);
    }

    /** A pruner with this spec's keep rule and magnitude. */
    public Pruner pruner(org.ftl.backbone.ConvChain backbone, FilterCriterion criterion, SegmentedSet segmented) {
        return new Pruner(backbone, criterion, segmented, keepRule, magnitude);
    }

    public FilterCriterion create(String name) {
        return switch (Criterion.parse(name)) {
            case IOU -> new IouCriterion(targetClass, allClasses, binarization, threshold, maskResize, topFraction,
                    coverage, score, magnitudeWeight, magnitude);
            case L1 -> new L1Criterion(magnitude);
            case RANDOM -> new RandomCriterion(seed);
            case APOZ -> new ApozCriterion();
        };
    }
}
