package org.ftl.prune;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Li et al. 2017, "Pruning Filters for Efficient ConvNets": a filter's score is the sum of the absolute
 * values of its kernel weights (over the input channels the pruned prefix left it), as trained or with the
 * batch-norm after it folded in ({@link Magnitude}).
 */
public final class L1Criterion implements FilterCriterion {
    private final Magnitude magnitude;

    /** On the kernels as trained. */
    public L1Criterion() {
        this(Magnitude.KERNEL);
    }

    public L1Criterion(Magnitude magnitude) {
        this.magnitude = magnitude;
    }
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
        return e.magnitudes(magnitude);
    }

    /** Each filter's L1 norm: the sum of |w| over its kernel, weights [filters, input channels, kH, kW]. */
    static double[] norms(INDArray weights) {
        return Transforms.abs(weights, true).sum(1, 2, 3).toDoubleVector();
    }
}
