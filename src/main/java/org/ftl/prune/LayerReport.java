package org.ftl.prune;

/**
 * One conv layer of a pruned variant: filters kept of total, the mean score of the kept and of the
 * dropped filters (NaN when none were dropped), the parameters of the layer's block before and after, and the
 * spread of the layer's scores.
 */
public record LayerReport(String layer, int kept, int total, double meanScoreKept, double meanScoreDropped,
                          long paramsBefore, long paramsAfter, ScoreSpread spread) {
}
