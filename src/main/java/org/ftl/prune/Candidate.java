package org.ftl.prune;

import java.io.Serializable;
import java.math.BigDecimal;

/** One point of the sweep: a criterion and a leave factor. Its id names it in tables and files. */
public record Candidate(String criterion, double leaveFactor) implements Serializable {
    /** Decimals a factor is rounded to in ids: below them, two factors would share an id. */
    public static final int ID_DECIMALS = 9;

    /**
     * {@code iou-0.13}: at least two decimals, more when the factor has them, so that 0.505 and 0.51 are
     * two candidates (and two checkpoint files), not one. The factor is rounded to {@value #ID_DECIMALS} decimals
     * first, so that a factor accumulated in floating point reads as the decimal it stands for (0.09999999999999999
     * is {@code iou-0.10}); grids whose factors would share an id are refused (see {@link LeaveFactors#of}).
     */
    public String id() {
        return criterion + "-" + factorName(leaveFactor);
    }

    /** A leave factor as ids show it: 0.10, 0.505. */
    public static String factorName(double leaveFactor) {
        BigDecimal f = BigDecimal.valueOf(leaveFactor).setScale(ID_DECIMALS, java.math.RoundingMode.HALF_EVEN)
                .stripTrailingZeros();
        return (f.scale() < 2 ? f.setScale(2) : f).toPlainString();
    }

    /** f = 1 keeps every filter: the unpruned backbone, the same for every criterion. */
    public boolean isBaseline() {
        return leaveFactor >= 1.0;
    }
}
