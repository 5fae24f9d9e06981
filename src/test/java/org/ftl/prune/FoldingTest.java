package org.ftl.prune;

import org.ftl.backbone.ConvChain;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.ftl.backbone.Architecture;
import org.ftl.data.InputShape;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FoldingTest {
    private static final InputShape IN = new InputShape(64, 64, 3);

    /** Largest |a − b| relative to the largest |a|: float rounding only. */
    private static double relativeError(INDArray expected, INDArray actual) {
        assertArrayEquals(expected.shape(), actual.shape());
        double scale = Math.max(1e-6, expected.amaxNumber().doubleValue());
        return Transforms.abs(expected.sub(actual)).maxNumber().doubleValue() / scale;
    }

    @Test
    void foldedAlexnetGivesTheSameMapsFromOneLayerPerBlock() {
        ConvChain chain = ConvChain.of(TestNets.backbone(Architecture.ALEXNET, 0.25, true, IN, 11, false), IN);
        ConvChain folded = Folding.fold(chain);
        INDArray x = TestNets.images(4, IN, 12);
        assertTrue(relativeError(chain.output(x), folded.output(x)) < 1e-4);
        // 5 convs + 3 pools: batch-norm and ReLU layers are gone, the ReLU is the conv layer's own
        assertEquals(8, folded.network().getnLayers());
        assertArrayEquals(chain.filterCounts(), folded.filterCounts());
        for (ConvChain.Block b : folded.blocks()) {
            assertEquals(List.of(b.conv()), b.map());
            ConvolutionLayer c = (ConvolutionLayer) folded.layerConf(b.conv());
            assertEquals(Activation.RELU.getActivationFunction().getClass(), c.getActivationFn().getClass());
        }
        // batch-norm's four vectors per filter are no longer parameters
        assertEquals(chain.parameters() - 4L * chain.totalFilters(), folded.parameters());
    }

    @Test
    void foldingAPrunedVariantCommutesWithPruning() {
        ConvChain chain = ConvChain.of(TestNets.backbone(Architecture.ALEXNET, 0.25, true, IN, 13, false), IN);
        List<int[]> kept = chain.blocks().stream().map(b -> new int[] {0, 2, b.filters() - 1}).toList();
        ConvChain pruned = Surgery.keep(chain, kept);
        INDArray x = TestNets.images(3, IN, 14);
        assertTrue(relativeError(pruned.output(x), Folding.fold(pruned).output(x)) < 1e-4);
        assertTrue(relativeError(pruned.output(x), Surgery.keep(Folding.fold(chain), kept).output(x)) < 1e-4);
    }

    @Test
    void logStdBatchNormWithoutConvBiasFolds() {
        for (boolean logStd : new boolean[] {true, false}) {
            NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.FLOAT).list()
                    .layer(new ConvolutionLayer.Builder(3, 3).nOut(6).hasBias(false).activation(Activation.IDENTITY).build())
                    .layer(new BatchNormalization.Builder().useLogStd(logStd).eps(1e-3).build())
                    .layer(new ActivationLayer.Builder().activation(Activation.TANH).build())
                    .layer(new SubsamplingLayer.Builder(2, 2).stride(2, 2).build())
                    .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.IDENTITY).build())
                    .layer(new BatchNormalization.Builder().useLogStd(logStd).build());
            list.setInputType(InputType.convolutional(16, 16, 3, CNN2DFormat.NCHW));
            MultiLayerNetwork net = new MultiLayerNetwork(list.build());
            net.init();
            Nd4j.getRandom().setSeed(4);
            for (org.deeplearning4j.nn.api.Layer l : net.getLayers()) {
                if (l.conf().getLayer() instanceof BatchNormalization) {
                    for (var e : l.paramTable().entrySet()) {
                        INDArray r = Nd4j.rand(DataType.FLOAT, e.getValue().shape());
                        e.getValue().assign(e.getKey().equals("var") ? r.add(0.2) : r.sub(0.5).mul(2));
                    }
                }
            }
            InputShape in = new InputShape(16, 16, 3);
            ConvChain chain = ConvChain.of(net, in);
            ConvChain folded = Folding.fold(chain);
            assertEquals(3, folded.network().getnLayers());
            INDArray x = TestNets.images(2, in, 5);
            assertTrue(relativeError(chain.output(x), folded.output(x)) < 1e-4, "useLogStd " + logStd);
        }
    }

    @Test
    void aChainWithoutBatchNormFusesItsActivationsOrIsKept() {
        ConvChain plain = ConvChain.of(TestNets.backbone(Architecture.ALEXNET, 0.125, false, IN, 15, false), IN);
        assertSame(plain, Folding.fold(plain)); // the ReLU already is the conv layer's own

        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.FLOAT).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(5).activation(Activation.RELU).build())
                .layer(new BatchNormalization.Builder().build()) // after the activation: cannot fold
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.IDENTITY).build())
                .layer(new ActivationLayer.Builder().activation(Activation.RELU).build());
        list.setInputType(InputType.convolutional(12, 12, 3, CNN2DFormat.NCHW));
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        InputShape in = new InputShape(12, 12, 3);
        ConvChain chain = ConvChain.of(net, in);
        ConvChain folded = Folding.fold(chain);
        assertEquals(3, folded.network().getnLayers());
        INDArray x = TestNets.images(2, in, 6);
        assertTrue(relativeError(chain.output(x), folded.output(x)) < 1e-5);
    }
}
