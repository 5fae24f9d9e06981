package org.ftl.prune;

import java.io.Serializable;

/** One point of the sweep: a criterion and a leave factor. Its id names it in tables and files. */
public record Candidate(String criterion, double leaveFactor) implements Serializable {
    public String id() {
        return criterion + "-" + String.format(java.util.Locale.ROOT, "%.2f", leaveFactor);
    }

    /** f = 1 keeps every filter: the unpruned backbone, the same for every criterion. */
    public boolean isBaseline() {
        return leaveFactor >= 1.0;
    }
}
