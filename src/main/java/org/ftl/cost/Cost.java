package org.ftl.cost;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/** The cost probe of one candidate: parameters, FLOPs, size and latency against its baseline. */
public final class Cost {
    private final LatencyProbe latency;

    public Cost(LatencyProbe latency) {
        this.latency = latency;
    }

    /**
     * Measures a candidate against the f = 1 baseline of the same run, both as deployed (backbone + head).
     *
     * @param image one input image at batch 1, [1, C, H, W] channels first; it also fixes the input shape
     *              the FLOPs are counted for
     */
    public static CostReport measure(MultiLayerNetwork candidate, MultiLayerNetwork baseline, INDArray image,
                                     LatencySettings settings) {
        return new Cost(new LatencyProbe(settings)).measure(candidate, baseline, image);
    }

    public CostReport measure(MultiLayerNetwork candidate, MultiLayerNetwork baseline, INDArray image) {
        Flops flops = Flops.of(candidate, inputType(image));
        ModelSize size = ModelSize.of(candidate);
        Latency l = latency.compare(candidate, baseline, image);
        return new CostReport(size.parameters(), flops.total(), size.serializedBytes(), l.candidateMs(),
                l.baselineMs(), l.ratio(), l.repetitions(), l.candidateIqrMs());
    }

    /** The input type of one example: an NCHW image, or a feature vector for networks that take one. */
    static InputType inputType(INDArray image) {
        long[] s = image.shape();
        if (s.length == 4 && s[0] == 1) {
            return InputType.convolutional(s[2], s[3], s[1], CNN2DFormat.NCHW);
        }
        if (s.length == 2 && s[0] == 1) {
            return InputType.feedForward(s[1]);
        }
        throw new IllegalArgumentException("cost is measured on one image, [1, C, H, W] (or [1, n]): shape "
                + Arrays.toString(s));
    }
}
