package org.ftl.prune;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Li et al. 2017, "Pruning Filters for Efficient ConvNets": a filter's score is the sum of the absolute
 * values of its kernel weights (over the input channels the pruned prefix left it).
 */
public final class L1Criterion implements FilterCriterion {
    @Override
    public String name() {
        return Criterion.L1.configName();
    }

    @Override
    public boolean needsActivations() {
        return false;
    }

    @Override
    public double[] score(LayerEvidence e) {
        INDArray w = e.weights();
        return Transforms.abs(w, true).sum(1, 2, 3).toDoubleVector();
    }
}
