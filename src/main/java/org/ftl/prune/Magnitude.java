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
     * The kernel as deployed, batch-norm folded in: scaled by |γ|/√(σ² + ε) of the batch-norm after the conv, what an
     * L1 pruner sees in the exported model. Batch-norm makes the trained kernel's size arbitrary (it divides the output
     * by its spread); folding puts that 1/σ into the norm, which then favours filters whose output hardly varies. The
     * README's Criteria experiment measured it weaker than {@link #KERNEL} at most budgets.
     */
    FOLDED;

    public static Magnitude parse(String name) {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
