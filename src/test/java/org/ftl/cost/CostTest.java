package org.ftl.cost;


import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.ftl.backbone.Architecture;
import org.ftl.data.InputShape;
import org.ftl.data.Preprocessing;
import org.ftl.infer.OnnxExport;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The probe end to end on real (small) deployed models in ONNX Runtime; times are only checked for consistency. */
class CostTest {
    private static final InputShape IN = new InputShape(64, 64, 3);

    private static MultiLayerNetwork deployable(double width) {
        return Nets.backbone(Architecture.ALEXNET, width, IN,
                new GlobalPoolingLayer.Builder(PoolingType.AVG).build(),
                new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2).activation(Activation.SOFTMAX).build());
    }

    private static byte[] onnx(MultiLayerNetwork net) {
        return OnnxExport.classifier(net, IN, Preprocessing.IMAGENET_MEAN, Map.of());
    }

    private static float[] pixels() {
        return Nets.image(IN, 1).muli(255).dup('c').data().asFloat();
    }

    @Test
    void reportHoldsTheCandidatesCountsAndBothLatencies() {
        byte[] candidate = onnx(deployable(0.0625));
        byte[] baseline = onnx(deployable(0.125));
        Nd4jThreads.Setting before = Nd4jThreads.current();

        CostReport r = Cost.measure(candidate, baseline, 1234, 5678, pixels(), new CostSettings(1, 1, 4, 0));

        assertEquals(1234, r.params());
        assertEquals(5678, r.flops());
        assertEquals(candidate.length, r.sizeBytes());
        assertEquals(4, r.repetitions());
        assertTrue(r.latencyMs() > 0 && r.baselineLatencyMs() > 0 && r.spreadMs() >= 0, r::toString);
        assertEquals(r.latencyMs() / r.baselineLatencyMs(), r.latencyRatio(), 1e-12);
        assertEquals(before, Nd4jThreads.current());
    }

    /** Every timed run computes the real output and reads it (reused workspace, reused input). */
    @Test
    void eachInferenceComputesAndConsumesTheNetworksOutput() {
        MultiLayerNetwork net = deployable(0.0625);
        INDArray image = Nets.image(IN, 2);
        double expected = net.output(image, false).getDouble(0);
        NetworkInference inference = new NetworkInference(net, image.castTo(DataType.DOUBLE), "test");
        for (int i = 0; i < 3; i++) {
            inference.run();
        }
        assertEquals(3 * expected, inference.sink(), 1e-5);
    }

    @Test
    void latencyIsPerImage() {
        byte[] model = onnx(deployable(0.0625));
        float[] two = new float[2 * 3 * 64 * 64];
        assertThrows(IllegalArgumentException.class, () -> Cost.measure(model, model, 1, 1, two, new CostSettings(1, 0, 1, 0)));
    }
}
