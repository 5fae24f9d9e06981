package org.ftl.cost;


import org.ftl.infer.OnnxModel;

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
                                     CostSettings settings) {
        try (OnnxModel b = OnnxModel.load(baseline, settings.threads())) {
            return measure(candidate, b, params, flops, image, settings);
        }
    }

    /** As above, with the baseline already loaded (with {@code settings.threads()} threads), e.g. once per executor. */
    public static CostReport measure(byte[] candidate, OnnxModel baseline, long params, long flops, float[] image,
                                     CostSettings settings) {
        try (OnnxModel c = OnnxModel.load(candidate, settings.threads())) {
            Latency l = new LatencyProbe(settings).compare(c, baseline, image);
            return new CostReport(params, flops, candidate.length, l.candidateMs(), l.baselineMs(), l.ratio(),
                    l.repetitions(), l.candidateIqrMs());
        }
    }
}
