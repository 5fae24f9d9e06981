package org.ftl.cost;

/** The cost probe of one candidate: parameters, FLOPs, size and latency against its baseline. */
public final class Cost {
    private Cost() {
    }

    /**
     * Measures a candidate against the f = 1 baseline of the same run, both as deployed: ONNX classifiers (pruned
     * backbone + head), timed side by side in ONNX Runtime.
     *
     * @param params parameters of the candidate's network, {@code flops} its FLOPs per image (counted at prune time)
     * @param image  one input image as the models take it: channel-first pixels, C·H·W values
     */
    public static CostReport measure(byte[] candidate, byte[] baseline, long params, long flops, float[] image,
                                     LatencySettings settings) {
        Latency l = new LatencyProbe(settings).compare(candidate, baseline, image);
        return new CostReport(params, flops, candidate.length, l.candidateMs(), l.baselineMs(), l.ratio(), l.repetitions(),
                l.candidateIqrMs());
    }
}
