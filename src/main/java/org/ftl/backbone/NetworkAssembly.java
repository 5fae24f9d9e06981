package org.ftl.backbone;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.ftl.data.InputShape;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Builds a DL4J network from layer configurations and the exact parameters each layer is to hold. */
public final class NetworkAssembly {
    private NetworkAssembly() {
    }

    /**
     * @param layers configurations (owned by the new network: pass clones)
     * @param params per layer, parameter name → values of exactly the new layer's shape
     */
    public static MultiLayerNetwork build(List<Layer> layers, List<Map<String, INDArray>> params, InputShape input) {
        return build(layers, params, input.height(), input.width(), input.channels());
    }

    /** As above, for a network whose input is an inner map of any number of channels. */
    public static MultiLayerNetwork build(List<Layer> layers, List<Map<String, INDArray>> params,
                                   long height, long width, long channels) {
        // every weight is copied in, so no random choice is left; a fixed seed keeps DL4J from writing the
        // current time into the model file (its default), which would make identical models differ
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(0)
                .dataType(DataType.FLOAT)
                .list();
        for (Layer l : layers) {
            list.layer(l);
        }
        list.setInputType(InputType.convolutional(height, width, channels, CNN2DFormat.NCHW));
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        for (int i = 0; i < layers.size(); i++) {
            Map<String, INDArray> own = net.getLayer(i).paramTable();
            for (Map.Entry<String, INDArray> p : params.get(i).entrySet()) {
                INDArray target = own.get(p.getKey());
                if (target == null) {
                    throw new IllegalStateException("layer " + i + " has no parameter " + p.getKey());
                }
                INDArray value = p.getValue();
                if (target.length() != value.length()) {
                    throw new IllegalStateException("layer " + i + " parameter " + p.getKey() + ": shape "
                            + Arrays.toString(target.shape()) + " cannot hold " + Arrays.toString(value.shape()));
                }
                // params are views into one flat buffer: assign in place, reshaping vectors ([n] vs [1, n])
                target.assign(value.reshape(target.shape()).castTo(target.dataType()));
            }
        }
        return net;
    }
}
