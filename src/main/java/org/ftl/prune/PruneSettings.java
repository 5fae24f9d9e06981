package org.ftl.prune;

import org.ftl.config.Settings;

import com.typesafe.config.ConfigValueType;
import org.ftl.data.InputShape;
import org.ftl.data.Preprocessing;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * {@code ftl.prune}: criteria, leave-factor grids, how many filters are kept, and the IoU criterion's choices.
 *
 * @param scoringPreprocessing how the segmented images are preprocessed for scoring; null: as the features'
 *                             ({@code input.preprocessing})
 * @param topFraction          q of {@code binarization = top-fraction}
 * @param coverage             t of {@code mask-resize = coverage}
 * @param score                what a filter's score measures ({@code iou.score})
 * @param backgroundCount      images of the other classes of dataset/ the contrastive and selectivity scores compare against
 * @param scoringSize          height and width the segmented images are scored at; empty: the input's ({@code input.shape})
 * @param magnitudeWeight      w of {@code iou.magnitude-weight}: how much the filters' L1 rank counts beside the score's
 * @param magnitude            how a filter's magnitude is measured (l1, ties = magnitude, the magnitude weight)
 */
public record PruneSettings(List<String> criteria, List<Double> factors, List<Double> comparisonFactors,
                            LeaveFactors.Steps factorSteps, KeepRule keepRule, Preprocessing scoringPreprocessing,
                            Binarization binarization, double threshold, MaskResize maskResize, boolean allClasses,
                            double topFraction, double coverage, IouCriterion.Score score, int backgroundCount,
                            List<Integer> scoringSize, double magnitudeWeight, Magnitude magnitude) {

    /** The criteria's names, as settings write them. */
    public static final List<String> CRITERIA = Criterion.names();

    /** The leave factors swept for a criterion: FTL's own grid for iou, the comparison grid for the others. */
    public List<Double> factorsOf(String criterion) {
        return criterion.equals(Criterion.IOU.configName()) ? factors : comparisonFactors;
    }

    public static PruneSettings from(Settings s) {
        List<String> criteria = new ArrayList<>(new LinkedHashSet<>(s.stringList("ftl.prune.criteria")));
        if (criteria.isEmpty()) {
            throw s.invalid("ftl.prune.criteria", "must name at least one of " + String.join(", ", CRITERIA));
        }
        for (String c : criteria) {
            if (!CRITERIA.contains(c)) {
                throw s.invalid("ftl.prune.criteria", "'" + c + "' is not a criterion: " + String.join(", ", CRITERIA));
            }
        }
        LeaveFactors.Steps steps = LeaveFactors.Steps.parse(s.oneOf("ftl.prune.factor-steps", "decimal", "accumulated"));
        KeepRule keep = new KeepRule(KeepRule.Count.parse(s.oneOf("ftl.prune.keep-count", "round-n", "round-n-minus-1")),
                KeepRule.Ties.parse(s.oneOf("ftl.prune.ties", "lower-index", "higher-index", "magnitude")));
        String scoring = s.oneOf("ftl.prune.scoring-preprocessing", "features", "imagenet-mean", "imagenet-caffe", "unit",
                "none", "bgr");
        boolean allClasses = s.oneOf("ftl.prune.iou.classes", "target", "all").equals("all");
        IouCriterion.Score score = IouCriterion.Score.parse(
                s.oneOf("ftl.prune.iou.score", "iou", "contrastive", "selectivity"));
        if (score != IouCriterion.Score.IOU && allClasses) {
            throw s.invalid("ftl.prune.iou.score", score.configName() + " compares the target class with the other classes; "
                    + "it needs ftl.prune.iou.classes = target");
        }
        return new PruneSettings(List.copyOf(criteria), factors(s, "ftl.prune.factors", steps),
                factors(s, "ftl.prune.comparison-factors", steps), steps, keep,
                scoring.equals("features") ? null : Preprocessing.parse(scoring),
                Binarization.parse(s.oneOf("ftl.prune.iou.binarization", "positive", "fixed", "mean", "otsu", "top-fraction")),
                s.doubleIn("ftl.prune.iou.threshold", -1e9, 1e9),
                MaskResize.parse(s.oneOf("ftl.prune.iou.mask-resize", "any", "area", "nearest", "bilinear", "coverage")),
                allClasses, s.doubleIn("ftl.prune.iou.top-fraction", 1e-4, 1), s.doubleIn("ftl.prune.iou.coverage", 1e-4, 1),
                score, s.intIn("ftl.prune.iou.background-count", 1, 100000), scoringSize(s),
                s.doubleIn("ftl.prune.iou.magnitude-weight", 0, 1),
                Magnitude.parse(s.oneOf("ftl.prune.magnitude", "kernel", "folded")));
    }

    private static List<Integer> scoringSize(Settings s) {
        String key = "ftl.prune.scoring-size";
        List<Double> size = s.doubleList(key, 1, 8192);
        if (size.isEmpty()) {
            return List.of();
        }
        if (size.size() != 2 || size.stream().anyMatch(v -> v != Math.rint(v))) {
            throw s.invalid(key, "must be [] (the input's size) or [height, width] in whole pixels, e.g. [320, 480]");
        }
        return List.of(size.get(0).intValue(), size.get(1).intValue());
    }

    /** The size the segmented images are scored at: {@code prune.scoring-size}, or the input's. */
    public InputShape scoringShape(InputShape input) {
        return scoringSize.isEmpty() ? input : new InputShape(scoringSize.get(0), scoringSize.get(1), input.channels());
    }

    /** Whether the score compares with images of the other classes (the segmented set then holds them). */
    public boolean usesBackground() {
        return score != IouCriterion.Score.IOU;
    }

    /** How the segmented images are preprocessed for scoring the filters, given the features' preprocessing. */
    public Preprocessing scoringPreprocessing(Preprocessing features) {
        return scoringPreprocessing == null ? features : scoringPreprocessing;
    }

    /** A list of factors or a { from, to, step } range (its values counted the {@code steps} way). */
    static List<Double> factors(Settings s, String key, LeaveFactors.Steps steps) {
        String allowed = "must be a list of leave factors in (0, 1], e.g. [0.1, 0.5], or { from = 0.01, to = 1.0, step = 0.01 }";
        try {
            if (s.raw().getValue(key).valueType() == ConfigValueType.LIST) {
                List<Double> list = s.doubleList(key, Double.MIN_VALUE, 1);
                if (list.isEmpty()) {
                    throw s.invalid(key, allowed);
                }
                return LeaveFactors.withDistinctIds(LeaveFactors.of(list));
            }
            if (s.raw().getValue(key).valueType() != ConfigValueType.OBJECT) {
                throw s.invalid(key, allowed);
            }
            return LeaveFactors.withDistinctIds(LeaveFactors.range(s.doubleIn(key + ".from", Double.MIN_VALUE, 1),
                    s.doubleIn(key + ".to", Double.MIN_VALUE, 1), s.doubleIn(key + ".step", 1e-4, 1), steps));
        } catch (IllegalArgumentException e) { // from LeaveFactors: from > to and the like
            throw s.invalid(key, e.getMessage());
        }
    }
}
