package org.ftl.prune;

import java.io.Serializable;
import java.math.BigDecimal;

/** One point of the sweep: a criterion and a leave factor. Its id names it in tables and files. */
public record Candidate(String criterion, double leaveFactor) implements Serializable {
    /**
     * {@code iou-0.13}: at least two decimals, more when the factor has them, so that 0.505 and 0.51 are
     * two candidates (and two checkpoint files), not one.
     */
    public String id() {
        BigDecimal f = BigDecimal.valueOf(leaveFactor).stripTrailingZeros();
        return criterion + "-" + (f.scale() < 2 ? f.setScale(2) : f).toPlainString();
    }

    /** f = 1 keeps every filter: the unpruned backbone, the same for every criterion. */
    public boolean isBaseline() {
        return leaveFactor >= 1.0;
    }
}
