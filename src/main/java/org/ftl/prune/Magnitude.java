package org.ftl.prune;

import java.util.Locale;

/**
 * How a filter's magnitude is measured, wherever one is used: the l1 criterion, {@code prune.ties = magnitude} and
 * {@code prune.iou.magnitude-weight}. Always the L1 norm of the filter's kernel over the input channels the pruned
 * prefix left it; the two differ only in a block with batch-norm after the conv.
 */
public enum Magnitude {
    /** The kernel as trained (Li et al. 2017 on the network's conv weights). */
    KERNEL,
    /**
     * The kernel as deployed, batch-norm folded in: scaled by |γ|/√(σ² + ε) of the batch-norm after the conv. Batch-norm
     * divides a filter's output by its own spread, so the trained kernel's size says nothing about how strongly the
     * filter speaks to the next layer; the folded kernel's does.
     */
    FOLDED;

    public static Magnitude parse(String name) {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
