package org.ftl.cost;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Convolution2D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.ftl.data.InputShape;
import org.ftl.infer.FeatureMode;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;

import java.util.ArrayList;
import java.util.List;

/**
 * Analytic floating-point operations to run a network on one image at inference: a cost that, unlike
 * latency, is the same on every machine, so candidates can be compared before anything is timed.
 *
 * <p>Convention (the common one in the pruning literature, so published FLOP counts compare): one
 * multiply-add is 2 FLOPs. Per layer, with the output of {@code H×W×C} elements ({@code n} for dense):
 * <ul>
 *   <li>convolution: {@code 2·kH·kW·Cin·Cout·Hout·Wout}, plus {@code Cout·Hout·Wout} bias adds;
 *       dilation and padding change only the output size, which is read off DL4J's own shapes;</li>
 *   <li>batch-norm: 2 per element: at inference mean, variance, gamma and beta fold into one per-channel
 *       scale and shift, which a deployment computes once, not per image;</li>
 *   <li>activation functions (a layer's own or an activation layer): 1 per element, whatever the
 *       function: ReLU's compare and tanh's series are not told apart; identity costs nothing;</li>
 *   <li>softmax: 3 per element (exponential, sum, divide), since it normalises over the vector;</li>
 *   <li>pooling (max, avg, sum): {@code kH·kW} per output element, one comparison or add per window
 *       element; global pooling: 1 per input element;</li>
 *   <li>dense and output layers: {@code 2·nIn·nOut}, plus {@code nOut} bias adds;</li>
 *   <li>padding, dropout (identity at inference) and the reshapes between conv and dense layers: 0.</li>
 * </ul>
 * A layer outside this list is refused by name rather than counted as free.
 *
 * @param total  FLOPs per image, all layers
 * @param layers the per-layer breakdown, in network order, for reports
 */
public record Flops(long total, List<LayerFlops> layers) {
    /** One layer's share: its index and name in the network, its DL4J type, and its FLOPs per image. */
    public record LayerFlops(int index, String name, String type, long flops) {
    }

    public Flops {
        layers = List.copyOf(layers);
    }

    /** FLOPs per image of a network whose input is an image of this shape, channels first (NCHW). */
    public static Flops of(MultiLayerNetwork network, InputShape input) {
        return of(network, InputType.convolutional(input.height(), input.width(), input.channels(), CNN2DFormat.NCHW));
    }

    /**
     * FLOPs per image of the deployed classifier of a conv chain — the chain, its feature step and a softmax head of
     * {@code classes} outputs — counted by the same rules as {@link #of} counts the assembled network, without
     * assembling it: the global average of {@link FeatureMode#AVERAGE} 1 per map element, flattening free, the head
     * {@code 2·d·k + k} and its softmax {@code 3·k}.
     */
    public static long classifier(MultiLayerNetwork chain, InputShape input, FeatureMode mode, int classes) {
        InputType.InputTypeConvolutional map = (InputType.InputTypeConvolutional) chain.getLayerWiseConfigurations()
                .getLayerActivationTypes(InputType.convolutional(input.height(), input.width(), input.channels(),
                        CNN2DFormat.NCHW)).get(chain.getnLayers() - 1);
        long[] shape = {map.getChannels(), map.getHeight(), map.getWidth()};
        long d = mode.features(shape);
        long step = mode == FeatureMode.AVERAGE ? shape[0] * shape[1] * shape[2] : 0;
        return Math.addExact(of(chain, input).total(), step + 2L * d * classes + classes + 3L * classes);
    }

    /**
     * FLOPs per image of a network for one example of {@code input}. The shapes each layer sees are DL4J's
     * own ({@code getLayerActivationTypes}), so stride, padding mode and rounding are DL4J's, not ours.
     *
     * @throws IllegalArgumentException naming the first layer whose cost this class cannot count
     */
    public static Flops of(MultiLayerNetwork network, InputType input) {
        MultiLayerConfiguration conf = network.getLayerWiseConfigurations();
        List<InputType> outputs = conf.getLayerActivationTypes(input);
        List<LayerFlops> layers = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < network.getnLayers(); i++) {
            Layer layer = conf.getConf(i).getLayer();
            InputType in = i == 0 ? input : outputs.get(i - 1);
            InputPreProcessor pre = conf.getInputPreProcess(i);
            if (pre != null) {
                in = pre.getOutputType(in); // reshapes (CNN → dense) are free, but change what the layer sees
            }
            long f = layerFlops(i, layer, in, outputs.get(i));
            layers.add(new LayerFlops(i, name(i, layer), layer.getClass().getSimpleName(), f));
            total = Math.addExact(total, f);
        }
        return new Flops(total, layers);
    }

    private static long layerFlops(int index, Layer layer, InputType in, InputType out) {
        long outElements = out.arrayElementsPerExample();
        Class<?> c = layer.getClass();
        long own;
        if (c == ConvolutionLayer.class || c == Convolution2D.class) {
            // exact classes: depthwise, separable, deconvolution and 1-D/3-D convs subclass ConvolutionLayer
            // but cost differently
            ConvolutionLayer conv = (ConvolutionLayer) layer;
            int[] k = conv.getKernelSize();
            long perOutput = 2L * k[0] * k[1] * conv.getNIn();
            own = perOutput * outElements + (conv.hasBias() ? outElements : 0);
        } else if (c == BatchNormalization.class) {
            own = 2 * outElements;
        } else if (c == ActivationLayer.class) {
            own = 0; // its whole cost is its activation, counted below
        } else if (c == SubsamplingLayer.class) {
            SubsamplingLayer pool = (SubsamplingLayer) layer;
            PoolingType type = pool.getPoolingType();
            if (type == PoolingType.PNORM) {
                throw unsupported(index, layer, "p-norm pooling");
            }
            int[] k = pool.getKernelSize();
            own = (long) k[0] * k[1] * outElements;
        } else if (c == GlobalPoolingLayer.class) {
            GlobalPoolingLayer pool = (GlobalPoolingLayer) layer;
            if (pool.getPoolingType() == PoolingType.PNORM) {
                throw unsupported(index, layer, "p-norm pooling");
            }
            own = in.arrayElementsPerExample();
        } else if (c == DenseLayer.class || c == OutputLayer.class) {
            boolean bias;
            if (layer instanceof DenseLayer dense) {
                if (dense.hasLayerNorm()) {
                    throw unsupported(index, layer, "layer normalisation");
                }
                bias = dense.hasBias();
            } else {
                bias = ((BaseOutputLayer) layer).hasBias();
            }
            FeedForwardLayer ff = (FeedForwardLayer) layer;
            own = 2L * ff.getNIn() * ff.getNOut() + (bias ? ff.getNOut() : 0);
        } else if (c == ZeroPaddingLayer.class || c == DropoutLayer.class) {
            own = 0;
        } else {
            throw unsupported(index, layer, null);
        }
        return own + activationFlops(layer, outElements);
    }

    /**
     * The activation function a layer applies to its output; identity is free. Only layers that apply one
     * are asked: batch-norm and dropout configurations inherit the network's default activation (sigmoid)
     * too, but DL4J's batch-norm and dropout layers never apply it, so counting it would charge for nothing.
     */
    private static long activationFlops(Layer layer, long elements) {
        IActivation fn;
        if (layer instanceof ActivationLayer a) {
            fn = a.getActivationFn();
        } else if (layer instanceof ConvolutionLayer || layer instanceof DenseLayer || layer instanceof OutputLayer) {
            fn = ((BaseLayer) layer).getActivationFn();
        } else {
            return 0;
        }
        if (fn == null || fn instanceof ActivationIdentity) {
            return 0;
        }
        return fn instanceof ActivationSoftmax ? 3 * elements : elements;
    }

    private static String name(int index, Layer layer) {
        return layer.getLayerName() != null ? layer.getLayerName() : "layer" + index;
    }

    private static IllegalArgumentException unsupported(int index, Layer layer, String what) {
        return new IllegalArgumentException("cannot count FLOPs of layer " + index + " '" + name(index, layer) + "' ("
                + layer.getClass().getSimpleName() + (what != null ? ", " + what : "")
                + "): FLOPs are counted for conv, batch-norm, activation, pooling, global pooling, dense and output layers");
    }
}
