package org.ftl.cost;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.ftl.backbone.Architecture;
import org.ftl.data.InputShape;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;

/** Small real DL4J networks for the cost tests. */
final class Nets {
    private Nets() {
    }

    static MultiLayerNetwork of(InputShape in, List<Layer> layers) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(42)
                .dataType(DataType.FLOAT).list();
        layers.forEach(list::layer);
        list.setInputType(InputType.convolutional(in.height(), in.width(), in.channels(), CNN2DFormat.NCHW));
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }

    static MultiLayerNetwork of(InputShape in, Layer... layers) {
        return of(in, List.of(layers));
    }

    /** A built-in backbone's conv part, plus any layers on top. */
    static MultiLayerNetwork backbone(Architecture arch, double width, InputShape in, Layer... top) {
        List<Layer> layers = new ArrayList<>(arch.convLayers(width, true));
        layers.addAll(List.of(top));
        return of(in, layers);
    }

    static INDArray image(InputShape in, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.FLOAT, 1, in.channels(), in.height(), in.width());
    }
}
