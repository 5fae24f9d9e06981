package org.ftl.sweep;

import java.io.Serializable;

/**
 * What the head stage measured for one candidate: test metrics of its head, its cost next to the baseline's,
 * and the head itself (small) so the driver can assemble the winner. {@code error} is set when it failed.
 */
record CandidateResult(String candidate, double accuracy, double precision, double recall, double f1, double auc,
                       String confusion, double headC, double cvScore, long flops, long sizeBytes, double latencyMs,
                       double latencyBaselineMs, double latencyRatio, int latencyRepetitions, int trainImages,
                       int evaluationImages, byte[] head, String error) implements Serializable {

    static CandidateResult failed(String candidate, Throwable e) {
        return new CandidateResult(candidate, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, "", Double.NaN,
                Double.NaN, 0, 0, Double.NaN, Double.NaN, Double.NaN, 0, 0, 0, null, Errors.describe(e));
    }

    boolean ok() {
        return error == null;
    }
}
