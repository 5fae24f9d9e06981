package org.ftl.prune;

/**
 * Scores the filters of one conv layer; the pruner keeps the best-scoring ones. All criteria share the
 * same cascade and surgery, so comparisons between them differ only in the scores.
 */
public interface FilterCriterion {
    /** The name used in the metrics table and settings: iou, l1, random, apoz. */
    String name();

    /** Whether {@link LayerEvidence#maps()} must be computed (costly) for this criterion. */
    boolean needsActivations();

    /** One score per filter of the layer; higher is better. NaN counts as worst. */
    double[] score(LayerEvidence evidence);
}
