package org.ftl.prune;

import org.ftl.backbone.ConvChain;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.ftl.backbone.Architecture;
import org.ftl.data.InputShape;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.List;

/** Small real DL4J networks for the pruning tests. */
final class TestNets {
    private TestNets() {
    }

    /** A built-in architecture at a small width with random weights and, with BN, random BN statistics. */
    static MultiLayerNetwork backbone(Architecture arch, double width, boolean batchNorm, InputShape in, long seed,
                                      boolean withClassifier) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(seed)
                .dataType(DataType.FLOAT).list();
        for (Layer l : arch.convLayers(width, batchNorm)) {
            list.layer(l);
        }
        if (withClassifier) {
            list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2).activation(Activation.SOFTMAX).build());
        }
        list.setInputType(InputType.convolutional(in.height(), in.width(), in.channels(), CNN2DFormat.NCHW));
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        if (batchNorm) {
            Nd4j.getRandom().setSeed(seed + 1);
            for (org.deeplearning4j.nn.api.Layer l : net.getLayers()) {
                if (l.conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.BatchNormalization) {
                    for (var e : l.paramTable().entrySet()) {
                        INDArray r = Nd4j.rand(DataType.FLOAT, e.getValue().shape());
                        e.getValue().assign(e.getKey().equals("var") ? r.add(0.5) : r.sub(0.5));
                    }
                }
            }
        }
        return net;
    }

    static INDArray images(int n, InputShape in, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.FLOAT, n, in.channels(), in.height(), in.width()).muli(255).subi(120);
    }

    static List<int[]> all(ConvChain chain) {
        return chain.blocks().stream().map(b -> java.util.stream.IntStream.range(0, b.filters()).toArray()).toList();
    }
}
