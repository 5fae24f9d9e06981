package org.ftl.cost;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.ftl.backbone.Architecture;
import org.ftl.data.InputShape;
import org.ftl.backbone.ConvChain;
import org.ftl.prune.Surgery;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlopsTest {

    @Test
    void smallChainMatchesTheHandCount() {
        InputShape in = new InputShape(16, 16, 3);
        MultiLayerNetwork net = Nets.of(in,
                // 3x3/2, padding 1: (16 + 2 - 3) / 2 + 1 = 8 → 4×8×8 = 256 outputs
                new ConvolutionLayer.Builder(3, 3).stride(2, 2).padding(1, 1).convolutionMode(ConvolutionMode.Truncate)
                        .nOut(4).activation(Activation.IDENTITY).build(),
                new BatchNormalization.Builder().build(),
                new ActivationLayer.Builder().activation(Activation.RELU).build(),
                // 2x2/2 max: 4×4×4 = 64 outputs
                new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build(),
                // 3x3/1, no padding: 4 - 3 + 1 = 2 → 5×2×2 = 20 outputs, ReLU of its own
                new ConvolutionLayer.Builder(3, 3).convolutionMode(ConvolutionMode.Truncate).nOut(5)
                        .activation(Activation.RELU).build(),
                new DenseLayer.Builder().nOut(6).activation(Activation.RELU).build(),
                new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2).activation(Activation.SOFTMAX).build());

        long conv1 = 2 * 3 * 3 * 3 * 4 * 8 * 8 + 256;  // 13 824 multiply-adds×2 + 256 bias adds = 14 080
        long bn = 2 * 256;                               // 512
        long relu = 256;
        long pool = 2 * 2 * 64;                          // 256
        long conv2 = 2 * 3 * 3 * 4 * 5 * 2 * 2 + 20 + 20; // 1 440 + bias + ReLU = 1 480
        long dense = 2 * 20 * 6 + 6 + 6;                 // 252
        long out = 2 * 6 * 2 + 2 + 3 * 2;                // 24 + bias + softmax = 32
        assertEquals(14_080, conv1);
        assertEquals(16_868, conv1 + bn + relu + pool + conv2 + dense + out);

        Flops flops = Flops.of(net, in);
        assertEquals(List.of(conv1, bn, relu, pool, conv2, dense, out),
                flops.layers().stream().map(Flops.LayerFlops::flops).toList());
        assertEquals(16_868, flops.total());
        assertEquals("ConvolutionLayer", flops.layers().get(0).type());
        assertEquals(6, flops.layers().get(6).index());
    }

    @Test
    void globalPoolingCountsItsInputAndSamePaddingUsesDl4jsShapes() {
        InputShape in = new InputShape(10, 10, 1);
        MultiLayerNetwork net = Nets.of(in,
                // Same mode, stride 3: ceil(10 / 3) = 4 → 2×4×4 = 32 outputs
                new ConvolutionLayer.Builder(3, 3).stride(3, 3).convolutionMode(ConvolutionMode.Same).nOut(2)
                        .hasBias(false).activation(Activation.IDENTITY).build(),
                new GlobalPoolingLayer.Builder(PoolingType.AVG).build(),
                new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX)
                        .hasBias(false).build());
        Flops flops = Flops.of(net, in);
        assertEquals(List.of(2L * 9 * 1 * 2 * 16, 32L, 2L * 2 * 3 + 3 * 3),
                flops.layers().stream().map(Flops.LayerFlops::flops).toList());
    }

    /**
     * The reason batch-norm's and dropout's activation is not counted: their configurations say sigmoid (the
     * network default), DL4J never applies it. Should a DL4J upgrade start to, this fails.
     */
    @Test
    void inheritedActivationsThatDl4jIgnoresAreNotCounted() {
        InputShape in = new InputShape(4, 4, 1);
        INDArray x = Nd4j.linspace(-8, 8, 16, DataType.FLOAT).reshape(1, 1, 4, 4);

        MultiLayerNetwork bn = Nets.of(in, new BatchNormalization.Builder().build());
        assertEquals("sigmoid", ((BaseLayer) bn.getLayerWiseConfigurations().getConf(0).getLayer()).getActivationFn().toString());
        INDArray y = bn.output(x, false);
        assertTrue(y.minNumber().doubleValue() < -1 && y.maxNumber().doubleValue() > 1, "a sigmoid was applied: " + y);
        assertEquals(2 * 16, Flops.of(bn, in).total());

        MultiLayerNetwork dropout = Nets.of(in, new DropoutLayer.Builder(0.5).build());
        assertEquals("sigmoid", ((BaseLayer) dropout.getLayerWiseConfigurations().getConf(0).getLayer()).getActivationFn().toString());
        assertEquals(x, dropout.output(x, false));
        assertEquals(0, Flops.of(dropout, in).total());
    }

    /** AlexNet at 64×64: conv maps 15², 7², 3², 3², 3²; pools 3×3/2 to 7², 3², 1². */
    @Test
    void prunedVariantFollowsTheClosedForm() {
        InputShape in = new InputShape(64, 64, 3);
        ConvChain chain = ConvChain.of(Nets.backbone(Architecture.ALEXNET, 0.125, in), in);
        int[][] variants = {{12, 32, 48, 48, 32}, {3, 8, 12, 12, 8}, {1, 1, 1, 1, 1}, {5, 2, 40, 7, 31}};
        for (int[] widths : variants) {
            List<int[]> kept = IntStream.of(widths).mapToObj(w -> IntStream.range(0, w).toArray()).toList();
            ConvChain pruned = Surgery.keep(chain, kept);
            assertEquals(closedForm(widths), Flops.of(pruned.network(), in).total(), () -> java.util.Arrays.toString(widths));
        }
        assertEquals(closedForm(new int[] {12, 32, 48, 48, 32}), Flops.of(chain.network(), in).total());
    }

    /**
     * Per conv layer i with c_i filters of k_i×k_i on an S_i-pixel map:
     * (2·k_i²·c_{i-1} + 1 bias + 2 batch-norm + 1 ReLU)·c_i·S_i; per 3×3 pool: 9·c·P.
     */
    private static long closedForm(int[] c) {
        int[] k = {11, 5, 3, 3, 3};
        int[] s = {15 * 15, 7 * 7, 3 * 3, 3 * 3, 3 * 3};
        long total = 0;
        int prev = 3;
        for (int i = 0; i < 5; i++) {
            total += (2L * k[i] * k[i] * prev + 4) * c[i] * s[i];
            prev = c[i];
        }
        return total + 9L * c[0] * 7 * 7 + 9L * c[1] * 3 * 3 + 9L * c[4];
    }

    @Test
    void unsupportedLayerIsNamed() {
        InputShape in = new InputShape(8, 8, 1);
        MultiLayerNetwork net = Nets.of(in,
                new ConvolutionLayer.Builder(3, 3).nOut(2).build(),
                new LocalResponseNormalization.Builder().name("lrn1").build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Flops.of(net, in));
        assertTrue(e.getMessage().contains("'lrn1'") && e.getMessage().contains("LocalResponseNormalization"), e.getMessage());
    }
}
