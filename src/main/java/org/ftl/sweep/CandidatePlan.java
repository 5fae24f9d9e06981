package org.ftl.sweep;

import org.ftl.prune.PruneSettings;
import org.ftl.prune.Candidate;

import java.util.ArrayList;
import java.util.List;

/**
 * The sweep's candidates: the f = 1 baseline once (it is the same network for every criterion), then each
 * criterion over its own grid of leave factors below 1.
 */
public final class CandidatePlan {
    /** The criterion name the baseline row carries. */
    public static final String BASELINE = "baseline";

    private CandidatePlan() {
    }

    public static List<Candidate> of(PruneSettings prune) {
        List<Candidate> out = new ArrayList<>();
        out.add(baseline());
        for (String criterion : prune.criteria()) {
            for (double f : prune.factorsOf(criterion)) {
                if (f < 1.0) {
                    out.add(new Candidate(criterion, f));
                }
            }
        }
        return List.copyOf(out);
    }

    public static Candidate baseline() {
        return new Candidate(BASELINE, 1.0);
    }
}
