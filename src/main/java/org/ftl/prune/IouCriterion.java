package org.ftl.prune;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * FTL's criterion: how well each filter's binarized activation map overlaps the object's mask.
 * IoU = |A ∩ M| / |A ∪ M| per image (0 when the union is empty); a filter's score is its mean IoU over
 * the target class's segmented images, or, with {@code allClasses}, the mean of every class's mean.
 *
 * <p>The contrastive score ({@code prune.iou.score = contrastive}) is that mean IoU on the target class's images
 * minus the filter's mean active fraction (active cells / cells) on the images of the other classes, whose
 * masks are empty: IoU with an empty mask is 0 for every filter and could tell none apart, while the active
 * fraction is what a filter costs there: a filter that fires wherever there is texture gains IoU on crack images
 * by covering their (coarse) masks and loses it again on background, a crack detector keeps it. Both terms are in
 * [0, 1], so the score is in [−1, 1]. A filter that never fires scores 0 there, as high as a perfect detector's
 * IoU minus nothing on background can be low: silent filters outrank busy ones.
 *
 * <p>The selectivity score ({@code prune.iou.score = selectivity}) is the filter's hit rate minus its false-alarm
 * rate over map cells: of the object cells of the target class's images, the share where the binarized map is
 * active, minus the same share of the non-object cells (the target images' background and every cell of the other
 * classes' images). A filter that is always on and one that is never on both score 0; only one that is on where
 * the crack is and off elsewhere scores well (Youden's J of the map as a detector of the mask).
 */
public final class IouCriterion implements FilterCriterion {
    /** What a filter's score measures. */
    public enum Score {
        /** Mean IoU on the target class (per class and averaged, with all classes). */
        IOU,
        /** Mean IoU on the target class minus the mean active fraction on the other classes' images. */
        CONTRASTIVE,
        /** Hit rate on object cells minus false-alarm rate on the other cells, the other classes' images included. */
        SELECTIVITY;

        public static Score parse(String name) {
            return valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
        }

        public String configName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final String targetClass;
    private final boolean allClasses;
    private final Binarization binarization;
    private final float fixedThreshold;
    private final MaskResize maskResize;
    private final double topFraction;
    private final double coverage;
    private final Score kind;
    private final double magnitudeWeight;
    private final Magnitude magnitude;

    public IouCriterion(String targetClass, boolean allClasses, Binarization binarization, float fixedThreshold,
                        MaskResize maskResize) {
        this(targetClass, allClasses, binarization, fixedThreshold, maskResize, 0.1, 0.5, Score.IOU);
    }

    /**
     * @param topFraction the q of {@link Binarization#TOP_FRACTION}
     * @param coverage    the t of {@link MaskResize#COVERAGE}
     * @param kind        what the score measures
     */
    public IouCriterion(String targetClass, boolean allClasses, Binarization binarization, float fixedThreshold,
                        MaskResize maskResize, double topFraction, double coverage, Score kind) {
        this(targetClass, allClasses, binarization, fixedThreshold, maskResize, topFraction, coverage, kind, 0);
    }

    /**
     * @param magnitudeWeight w: the score becomes (1 − w) · the filter's rank by {@code kind} + w · its rank by
     *                        the L1 norm of its kernel weights, ranks scaled to [0, 1] (0: the score alone)
     */
    public IouCriterion(String targetClass, boolean allClasses, Binarization binarization, float fixedThreshold,
                        MaskResize maskResize, double topFraction, double coverage, Score kind, double magnitudeWeight) {
        this(targetClass, allClasses, binarization, fixedThreshold, maskResize, topFraction, coverage, kind, magnitudeWeight,
                Magnitude.KERNEL);
    }

    /** @param magnitude how the magnitude of the blend is measured */
    public IouCriterion(String targetClass, boolean allClasses, Binarization binarization, float fixedThreshold,
                        MaskResize maskResize, double topFraction, double coverage, Score kind, double magnitudeWeight,
                        Magnitude magnitude) {
        this.magnitude = magnitude;
        if (!(magnitudeWeight >= 0 && magnitudeWeight <= 1)) {
            throw new IllegalArgumentException("magnitude weight must be in [0, 1]: " + magnitudeWeight);
        }
        this.magnitudeWeight = magnitudeWeight;
        if (kind != Score.IOU && allClasses) {
            throw new IllegalArgumentException("the " + kind.configName() + " score compares the target class with the others: not with all classes");
        }
        this.targetClass = targetClass;
        this.allClasses = allClasses;
        this.binarization = binarization;
        this.fixedThreshold = fixedThreshold;
        this.maskResize = maskResize;
        this.topFraction = topFraction;
        this.coverage = coverage;
        this.kind = kind;
    }

    @Override
    public String name() {
        return Criterion.IOU.configName();
    }

    @Override
    public boolean needsActivations() {
        return true;
    }

    @Override
    public double[] score(LayerEvidence e) {
        double[] score = overlapScore(e);
        if (magnitudeWeight == 0) {
            return score;
        }
        double[] byScore = scaledRanks(score);
        double[] byMagnitude = scaledRanks(e.magnitudes(magnitude));
        double[] blended = new double[score.length];
        for (int f = 0; f < score.length; f++) {
            blended[f] = (1 - magnitudeWeight) * byScore[f] + magnitudeWeight * byMagnitude[f];
        }
        return blended;
    }

    /**
     * Each value's rank among {@code v}, ascending, scaled to [0, 1] (the lowest 0, the highest 1); equal values share
     * their mean rank, so a tie stays a tie. A single value ranks 1.
     */
    static double[] scaledRanks(double[] v) {
        int n = v.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, java.util.Comparator.comparingDouble(i -> Double.isNaN(v[i]) ? Double.NEGATIVE_INFINITY : v[i]));
        double[] rank = new double[n];
        for (int a = 0; a < n; ) {
            int b = a;
            while (b + 1 < n && Double.compare(v[order[b + 1]], v[order[a]]) == 0) {
                b++;
            }
            double mean = n == 1 ? 1 : (a + b) / 2.0 / (n - 1);
            for (int k = a; k <= b; k++) {
                rank[order[k]] = mean;
            }
            a = b + 1;
        }
        return rank;
    }

    /** The score {@code kind} measures, before any blend with magnitude. */
    private double[] overlapScore(LayerEvidence e) {
        int n = e.images();
        int filters = e.filters();
        int h = e.mapHeight();
        int w = e.mapWidth();
        int len = e.mapCells();
        Map<String, List<Integer>> byClass = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String c = e.segmented().classes().get(i);
            if (allClasses || c.equals(targetClass)) {
                byClass.computeIfAbsent(c, k -> new ArrayList<>()).add(i);
            }
        }
        if (byClass.isEmpty()) {
            throw new IllegalStateException("the segmented set has no image of the target class " + targetClass);
        }
        float cutParameter = binarization == Binarization.TOP_FRACTION ? (float) topFraction : fixedThreshold;
        if (kind == Score.SELECTIVITY) {
            return selectivity(e, cutParameter);
        }
        double[] score = new double[filters];
        if (kind == Score.CONTRASTIVE) {
            List<Integer> background = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (!e.segmented().classes().get(i).equals(targetClass)) {
                    background.add(i);
                }
            }
            if (background.isEmpty()) {
                throw new IllegalStateException("the contrastive score needs images of other classes than " + targetClass
                        + " in the segmented set (prune.iou.background-count)");
            }
            for (int i : background) {
                for (int f = 0; f < filters; f++) {
                    int off = e.mapOffset(i, f);
                    float cut = binarization.threshold(e.maps(), off, len, cutParameter);
                    int active = 0;
                    for (int p = 0; p < len; p++) {
                        if (e.maps()[off + p] > cut) {
                            active++;
                        }
                    }
                    score[f] -= (double) active / len / background.size();
                }
            }
        }
        for (List<Integer> images : byClass.values()) {
            double[] sum = new double[filters];
            for (int i : images) {
                boolean[] mask = e.segmented().mask(i, h, w, maskResize, coverage);
                int maskArea = 0;
                for (boolean b : mask) {
                    maskArea += b ? 1 : 0;
                }
                for (int f = 0; f < filters; f++) {
                    int off = e.mapOffset(i, f);
                    float cut = binarization.threshold(e.maps(), off, len, cutParameter);
                    int inter = 0;
                    int active = 0;
                    for (int p = 0; p < len; p++) {
                        if (e.maps()[off + p] > cut) {
                            active++;
                            if (mask[p]) {
                                inter++;
                            }
                        }
                    }
                    int union = active + maskArea - inter;
                    sum[f] += union == 0 ? 0 : (double) inter / union;
                }
            }
            for (int f = 0; f < filters; f++) {
                score[f] += sum[f] / images.size() / byClass.size();
            }
        }
        return score;
    }

    /** Hit rate minus false-alarm rate per filter, cells of every image pooled. */
    private double[] selectivity(LayerEvidence e, float cutParameter) {
        int n = e.images();
        int filters = e.filters();
        int h = e.mapHeight();
        int w = e.mapWidth();
        int len = e.mapCells();
        long[] hits = new long[filters];
        long[] alarms = new long[filters];
        long object = 0;
        long other = 0;
        for (int i = 0; i < n; i++) {
            boolean target = e.segmented().classes().get(i).equals(targetClass);
            boolean[] mask = target ? e.segmented().mask(i, h, w, maskResize, coverage) : null;
            int area = 0;
            if (mask != null) {
                for (boolean b : mask) {
                    area += b ? 1 : 0;
                }
            }
            object += area;
            other += len - area;
            for (int f = 0; f < filters; f++) {
                int off = e.mapOffset(i, f);
                float cut = binarization.threshold(e.maps(), off, len, cutParameter);
                for (int p = 0; p < len; p++) {
                    if (e.maps()[off + p] > cut) {
                        if (mask != null && mask[p]) {
                            hits[f]++;
                        } else {
                            alarms[f]++;
                        }
                    }
                }
            }
        }
        double[] score = new double[filters];
        for (int f = 0; f < filters; f++) {
            score[f] = (object == 0 ? 0 : (double) hits[f] / object) - (other == 0 ? 0 : (double) alarms[f] / other);
        }
        return score;
    }
}
