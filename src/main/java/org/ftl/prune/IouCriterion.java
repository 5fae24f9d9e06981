package org.ftl.prune;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * FTL's criterion: how well each filter's binarized activation map overlaps the object's mask.
 * IoU = |A ∩ M| / |A ∪ M| per image (0 when the union is empty); a filter's score is its mean IoU over
 * the target class's segmented images, or, with {@code allClasses}, the mean of every class's mean.
 */
public final class IouCriterion implements FilterCriterion {
    private final String targetClass;
    private final boolean allClasses;
    private final Binarization binarization;
    private final float fixedThreshold;
    private final MaskResize maskResize;

    public IouCriterion(String targetClass, boolean allClasses, Binarization binarization, float fixedThreshold,
                        MaskResize maskResize) {
        this.targetClass = targetClass;
        this.allClasses = allClasses;
        this.binarization = binarization;
        this.fixedThreshold = fixedThreshold;
        this.maskResize = maskResize;
    }

    @Override
    public String name() {
        return "iou";
    }

    @Override
    public boolean needsActivations() {
        return true;
    }

    @Override
    public double[] score(LayerEvidence e) {
        int n = (int) e.mapShape()[0];
        int filters = (int) e.mapShape()[1];
        int h = (int) e.mapShape()[2];
        int w = (int) e.mapShape()[3];
        int len = h * w;
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
        double[] score = new double[filters];
        for (List<Integer> images : byClass.values()) {
            double[] sum = new double[filters];
            for (int i : images) {
                boolean[] mask = e.segmented().mask(i, h, w, maskResize);
                int maskArea = 0;
                for (boolean b : mask) {
                    maskArea += b ? 1 : 0;
                }
                for (int f = 0; f < filters; f++) {
                    int off = (i * filters + f) * len;
                    float cut = binarization.threshold(e.maps(), off, len, fixedThreshold);
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
}
