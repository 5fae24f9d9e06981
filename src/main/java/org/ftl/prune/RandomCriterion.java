package org.ftl.prune;

import java.util.SplittableRandom;

/**
 * The control: uniform random scores, seeded per layer, so a seed gives the same choice every time and
 * smaller leave factors keep subsets of what larger ones keep.
 */
public final class RandomCriterion implements FilterCriterion {
    private final long seed;

    public RandomCriterion(long seed) {
        this.seed = seed;
    }

    @Override
    public String name() {
        return Criterion.RANDOM.configName();
    }

    @Override
    public boolean needsActivations() {
        return false;
    }

    @Override
    public double[] score(LayerEvidence e) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + e.block());
        double[] s = new double[e.filters()];
        for (int i = 0; i < s.length; i++) {
            s[i] = r.nextDouble();
        }
        return s;
    }
}
