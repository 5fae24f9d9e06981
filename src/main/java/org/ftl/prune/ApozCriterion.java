package org.ftl.prune;

/**
 * Hu et al. 2016, "Network Trimming": the Average Percentage of Zeros of a filter's activations over the
 * segmented images (every class); filters that are mostly silent score low. Score = 1 − APoZ.
 */
public final class ApozCriterion implements FilterCriterion {
    @Override
    public String name() {
        return Criterion.APOZ.configName();
    }

    @Override
    public boolean needsActivations() {
        return true;
    }

    @Override
    public double[] score(LayerEvidence e) {
        int n = e.images();
        int filters = e.filters();
        int len = e.mapCells();
        long[] zeros = new long[filters];
        float[] maps = e.maps();
        for (int i = 0; i < n; i++) {
            for (int f = 0; f < filters; f++) {
                int off = e.mapOffset(i, f);
                long z = 0;
                for (int p = 0; p < len; p++) {
                    if (maps[off + p] <= 0f) {
                        z++;
                    }
                }
                zeros[f] += z;
            }
        }
        double[] s = new double[filters];
        double total = (double) n * len;
        for (int f = 0; f < filters; f++) {
            s[f] = 1.0 - zeros[f] / total;
        }
        return s;
    }
}
