package org.ftl.infer;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Convolution2D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.ftl.data.InputShape;
import org.ftl.data.Preprocessing;
import org.ftl.infer.OnnxGraph.Attribute;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A DL4J network of the kind FTL deploys, written as one ONNX graph (opset {@value OnnxGraph#OPSET}, float32, NCHW,
 * any batch size), so that any ONNX runtime — ONNX Runtime on an edge device, and this project's own feature
 * extraction and latency probe — runs exactly what the sweep measured.
 *
 * <p>The graph takes plain pixels: {@code image} [N, C, H, W], RGB (or grey) values 0–255, already resized to the
 * network's input size. The backbone's preprocessing is the graph's first nodes (channel reorder, mean, scale:
 * {@link Preprocessing}), so a device cannot feed the model differently from how it was trained and measured.
 *
 * <p>Layers written: 2-D convolution (Truncate/Strict or Same mode, any padding, stride and dilation), batch-norm,
 * activation (identity, ReLU, leaky ReLU, sigmoid, tanh), max and average pooling, zero padding, global average or
 * max pooling, DL4J's flattening between conv and dense layers (channel-major, as ONNX's Flatten), and a softmax
 * output layer. Dropout is identity at inference and is left out. Anything else is refused naming the layer.
 */
public final class OnnxExport {
    /** The graph's input: [N, C, H, W] pixels 0–255. */
    public static final String INPUT = "image";
    /** A classifier's output: [N, classes] probabilities. */
    public static final String PROBABILITIES = "probabilities";
    /** A feature extractor's output: [N, d] features. */
    public static final String FEATURES = "features";

    private OnnxExport() {
    }

    /**
     * A classifier (conv chain, feature step and softmax output layer, as {@code Classifier.assemble} builds it):
     * pixels in, {@value #PROBABILITIES} out.
     */
    public static byte[] classifier(MultiLayerNetwork network, InputShape input, Preprocessing pre,
                                    Map<String, String> metadata) {
        Writer w = new Writer(network, input, pre);
        String out = w.layers();
        if (!w.endsWithSoftmax) {
            throw new IllegalArgumentException("a classifier ends with a softmax output layer");
        }
        return w.finish(out, PROBABILITIES, w.width(), metadata);
    }

    /**
     * A conv chain as a feature extractor: pixels in, its last map as the head's features out ({@value #FEATURES},
     * [N, d]), flattened or globally averaged as {@code mode} says.
     */
    public static byte[] features(MultiLayerNetwork chain, InputShape input, Preprocessing pre, FeatureMode mode) {
        return features(chain, input, pre, mode, 1);
    }

    /**
     * As {@link #features(MultiLayerNetwork, InputShape, Preprocessing, FeatureMode)}, with every conv's output but the
     * last one widened to a multiple of {@code channelMultiple} by filters of zeros (and the next conv reading them
     * with weights of zeros): the same function, laid out for a CPU whose blocked kernels take channels in groups of
     * that many (ONNX Runtime's NCHWc convolutions: 8 floats with AVX2, 16 with AVX-512), so that a pruned count such
     * as 17 or 46 does not fall back to the slower unblocked kernel.
     */
    public static byte[] features(MultiLayerNetwork chain, InputShape input, Preprocessing pre, FeatureMode mode,
                                  int channelMultiple) {
        Writer w = new Writer(chain, input, pre);
        w.align = channelMultiple;
        String map = w.layers();
        if (!(w.type instanceof InputType.InputTypeConvolutional c)) {
            throw new IllegalArgumentException("a conv chain ends with a map, not " + w.type);
        }
        String out;
        long d;
        if (mode == FeatureMode.AVERAGE) {
            out = w.graph.node("Flatten", List.of(w.graph.node("GlobalAveragePool", List.of(map))), Attribute.integer("axis", 1));
            d = c.getChannels();
        } else {
            out = w.graph.node("Flatten", List.of(map), Attribute.integer("axis", 1));
            d = c.getChannels() * c.getHeight() * c.getWidth();
        }
        return w.finish(out, FEATURES, d, Map.of());
    }

    /**
     * A feature graph ({@link #features}) with a softmax head on top: {@code p = softmax(W·z + b)} on its
     * features z, {@value #PROBABILITIES} out. This is the deployed classifier: the graph the sweep extracted the
     * head's features with, and the head as it was fitted (weights on raw features, any standardisation folded in).
     *
     * @param weights    [classes][d]
     * @param intercepts [classes]
     */
    public static byte[] withHead(byte[] featureGraph, double[][] weights, double[] intercepts, Map<String, String> metadata) {
        onnx.Onnx.ModelProto model;
        try {
            model = onnx.Onnx.ModelProto.parseFrom(featureGraph);
        } catch (org.nd4j.shade.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("not an ONNX model: " + e.getMessage(), e);
        }
        onnx.Onnx.GraphProto.Builder g = model.getGraph().toBuilder();
        if (g.getOutputCount() != 1 || !g.getOutput(0).getName().equals(FEATURES)) {
            throw new IllegalArgumentException("not an FTL feature graph (its output is not '" + FEATURES + "')");
        }
        long d = width(g.getOutput(0));
        int k = intercepts.length;
        if (weights.length != k || k < 2 || weights[0].length != d) {
            throw new IllegalArgumentException("a head of " + weights.length + "x" + (weights.length == 0 ? 0 : weights[0].length)
                    + " weights and " + k + " intercepts for " + d + " features");
        }
        // the features become an inner value, read by the head's Gemm
        String inner = FEATURES + "_map";
        for (onnx.Onnx.NodeProto.Builder n : g.getNodeBuilderList()) {
            for (int o = 0; o < n.getOutputCount(); o++) {
                if (n.getOutput(o).equals(FEATURES)) {
                    n.setOutput(o, inner);
                }
            }
        }
        g.clearOutput();
        float[] w = new float[(int) (d * k)]; // Gemm's B is [d, k]
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < d; j++) {
                w[j * k + c] = (float) weights[c][j];
            }
        }
        float[] b = new float[k];
        for (int c = 0; c < k; c++) {
            b[c] = (float) intercepts[c];
        }
        OnnxGraph head = OnnxGraph.extend(model.toBuilder().setGraph(g));
        String logits = head.node("Gemm", List.of(inner, head.weight("head_W", w, d, k), head.weight("head_b", b, k)));
        String p = head.node("Softmax", List.of(logits), Attribute.integer("axis", 1));
        head.output(p, PROBABILITIES, List.of((long) k));
        metadata.forEach(head::metadata);
        return head.toBytes();
    }

    /** Values per image of a graph's one output: the d of a feature graph, the classes of a classifier. */
    public static long outputWidth(byte[] graph) {
        try {
            onnx.Onnx.GraphProto g = onnx.Onnx.ModelProto.parseFrom(graph).getGraph();
            if (g.getOutputCount() != 1) {
                throw new IllegalArgumentException("an FTL graph has one output, this one " + g.getOutputCount());
            }
            return width(g.getOutput(0));
        } catch (org.nd4j.shade.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("not an ONNX model: " + e.getMessage(), e);
        }
    }

    private static long width(onnx.Onnx.ValueInfoProto output) {
        onnx.Onnx.TensorShapeProto shape = output.getType().getTensorType().getShape();
        if (shape.getDimCount() != 2 || !shape.getDim(1).hasDimValue()) {
            throw new IllegalArgumentException("output '" + output.getName() + "' is not [N, d]");
        }
        return shape.getDim(1).getDimValue();
    }

    /** The network walked layer by layer into the graph. */
    private static final class Writer {
        final MultiLayerNetwork network;
        final MultiLayerConfiguration conf;
        final OnnxGraph graph;
        final Preprocessing pre;
        final InputShape input;
        InputType type; // of the value written last
        boolean endsWithSoftmax;
        int align = 1;        // conv outputs but the last widened to a multiple of this
        long channels;        // channels of the value written last, widened ones included
        int lastConv = -1;

        Writer(MultiLayerNetwork network, InputShape input, Preprocessing pre) {
            this.network = network;
            this.conf = network.getLayerWiseConfigurations();
            if (conf.getDataType() != DataType.FLOAT) {
                throw new IllegalArgumentException("ONNX export writes float32 networks; this one is " + conf.getDataType());
            }
            this.input = input;
            this.pre = pre;
            this.graph = new OnnxGraph("ftl", INPUT, input.channels(), input.height(), input.width());
            this.type = InputType.convolutional(input.height(), input.width(), input.channels(), CNN2DFormat.NCHW);
            this.channels = input.channels();
            for (int i = 0; i < network.getnLayers(); i++) {
                Class<?> c = conf.getConf(i).getLayer().getClass();
                if (c == ConvolutionLayer.class || c == Convolution2D.class) {
                    lastConv = i;
                }
            }
        }

        long width() {
            return ((InputType.InputTypeFeedForward) type).getSize();
        }

        /** Preprocessing, then every layer; returns the last value's name. */
        String layers() {
            String x = preprocessing(INPUT);
            List<InputType> types = conf.getLayerActivationTypes(type);
            for (int i = 0; i < network.getnLayers(); i++) {
                Layer l = conf.getConf(i).getLayer();
                InputPreProcessor p = conf.getInputPreProcess(i);
                if (p != null) {
                    if (!(p instanceof CnnToFeedForwardPreProcessor f) || f.getFormat() != CNN2DFormat.NCHW) {
                        throw refused(i, l, "its input preprocessor " + p.getClass().getSimpleName() + " has no ONNX form here");
                    }
                    x = graph.node("Flatten", List.of(x), Attribute.integer("axis", 1));
                }
                x = layer(i, l, x, type, types.get(i));
                type = types.get(i);
            }
            return x;
        }

        byte[] finish(String value, String name, long width, Map<String, String> metadata) {
            graph.output(value, name, List.of(width));
            metadata.forEach(graph::metadata);
            return graph.toBytes(OnnxExport.class.getPackage().getImplementationVersion() == null ? "dev"
                    : OnnxExport.class.getPackage().getImplementationVersion(), "FTL: a pruned CNN and its head. Input "
                    + INPUT + " [N, " + input.channels() + ", " + input.height() + ", " + input.width() + "]: "
                    + (input.channels() == 3 ? "RGB" : "grey") + " pixels 0-255, resized to " + input.height() + "x"
                    + input.width() + "; preprocessing (" + pre.configName() + ") is inside the graph.");
        }

        private String preprocessing(String x) {
            int channels = input.channels();
            int[] source = pre.sourceChannels(channels);
            boolean reordered = false;
            for (int c = 0; c < channels; c++) {
                reordered |= source[c] != c;
            }
            if (reordered) {
                long[] order = new long[channels];
                for (int c = 0; c < channels; c++) {
                    order[c] = source[c];
                }
                x = graph.node("Gather", List.of(x, graph.int64s("channel_order", order)), Attribute.integer("axis", 1));
            }
            float[] means = pre.means(channels);
            if (means != null) {
                x = graph.node("Sub", List.of(x, graph.weight("channel_means", means, 1, channels, 1, 1)));
            }
            float[] divisors = pre.divisors(channels);
            if (divisors != null) {
                x = graph.node("Div", List.of(x, graph.weight("channel_scales", divisors, 1, channels, 1, 1)));
            }
            return x;
        }

        private String layer(int i, Layer l, String x, InputType in, InputType out) {
            Map<String, INDArray> params = network.getLayer(i).paramTable();
            String name = name(i, l);
            Class<?> c = l.getClass();
            if (c == ConvolutionLayer.class || c == Convolution2D.class) {
                ConvolutionLayer conv = (ConvolutionLayer) l;
                requireNchw(i, l, conv.getCnn2dDataFormat());
                INDArray w = params.get("W");
                long filters = w.size(0);
                long in2 = channels; // what the input carries: the previous conv's widened count
                long out2 = i < lastConv && align > 1 ? (filters + align - 1) / align * align : filters;
                long[] shape = {out2, in2, w.size(2), w.size(3)};
                List<String> inputs = new ArrayList<>(List.of(x, graph.weight(name + "_W", widened(floats(w), w.shape(), shape),
                        shape)));
                float[] bias = conv.hasBias() && params.containsKey("b") ? floats(params.get("b")) : new float[(int) filters];
                if ((conv.hasBias() && params.containsKey("b")) || out2 != filters) {
                    inputs.add(graph.weight(name + "_b", java.util.Arrays.copyOf(bias, (int) out2), out2));
                }
                channels = out2;
                int[] k = conv.getKernelSize();
                int[] d = conv.getDilation();
                String y = graph.node("Conv", inputs,
                        Attribute.ints("kernel_shape", k),
                        Attribute.ints("strides", conv.getStride()),
                        Attribute.ints("dilations", d),
                        Attribute.ints("pads", pads(i, l, conv.getConvolutionMode(), conv.getPadding(), k, conv.getStride(), d, in, out)),
                        Attribute.integer("group", 1));
                return activation(i, l, conv.getActivationFn(), y);
            }
            if (c == BatchNormalization.class) {
                return batchNorm(i, (BatchNormalization) l, params, x, in);
            }
            if (c == ActivationLayer.class) {
                return activation(i, l, ((ActivationLayer) l).getActivationFn(), x);
            }
            if (c == SubsamplingLayer.class) {
                SubsamplingLayer s = (SubsamplingLayer) l;
                requireNchw(i, l, s.getCnn2dDataFormat());
                int[] k = s.getKernelSize();
                int[] d = s.getDilation();
                long[] pads = pads(i, l, s.getConvolutionMode(), s.getPadding(), k, s.getStride(), d, in, out);
                if (s.getPoolingType() == PoolingType.MAX) {
                    return graph.node("MaxPool", List.of(x), Attribute.ints("kernel_shape", k), Attribute.ints("strides", s.getStride()),
                            Attribute.ints("dilations", d), Attribute.ints("pads", pads));
                }
                if (s.getPoolingType() == PoolingType.AVG) {
                    if (d[0] != 1 || d[1] != 1) {
                        throw refused(i, l, "dilated average pooling needs ONNX opset 19");
                    }
                    return graph.node("AveragePool", List.of(x), Attribute.ints("kernel_shape", k),
                            Attribute.ints("strides", s.getStride()), Attribute.ints("pads", pads),
                            Attribute.integer("count_include_pad", s.isAvgPoolIncludePadInDivisor() ? 1 : 0));
                }
                throw refused(i, l, s.getPoolingType() + " pooling has no ONNX form here (max or avg)");
            }
            if (c == ZeroPaddingLayer.class) {
                ZeroPaddingLayer z = (ZeroPaddingLayer) l;
                requireNchw(i, l, z.getDataFormat());
                int[] p = z.getPadding(); // top, bottom, left, right
                return graph.node("Pad", List.of(x, graph.int64s(name + "_pads", 0, 0, p[0], p[2], 0, 0, p[1], p[3])));
            }
            if (c == DropoutLayer.class) {
                return x; // identity at inference
            }
            if (c == GlobalPoolingLayer.class) {
                GlobalPoolingLayer g = (GlobalPoolingLayer) l;
                String op = switch (g.getPoolingType()) {
                    case AVG -> "GlobalAveragePool";
                    case MAX -> "GlobalMaxPool";
                    default -> throw refused(i, l, g.getPoolingType() + " global pooling has no ONNX form here (avg or max)");
                };
                if (!(in instanceof InputType.InputTypeConvolutional)) {
                    throw refused(i, l, "global pooling of a " + in + " input");
                }
                return graph.node("Flatten", List.of(graph.node(op, List.of(x))), Attribute.integer("axis", 1));
            }
            if (c == OutputLayer.class) {
                OutputLayer o = (OutputLayer) l;
                if (!(o.getActivationFn() instanceof ActivationSoftmax) || !o.hasBias()) {
                    throw refused(i, l, "FTL's heads end in a softmax layer with a bias");
                }
                INDArray w = params.get("W"); // [nIn, nOut]
                String y = graph.node("Gemm", List.of(x, graph.weight(name + "_W", floats(w), w.shape()),
                        graph.weight(name + "_b", floats(params.get("b")), o.getNOut())));
                endsWithSoftmax = true;
                return graph.node("Softmax", List.of(y), Attribute.integer("axis", 1));
            }
            throw refused(i, l, "not a layer FTL deploys (conv, batch-norm, activation, pooling, padding, output)");
        }

        private String batchNorm(int i, BatchNormalization bn, Map<String, INDArray> p, String x, InputType in) {
            if (!(in instanceof InputType.InputTypeConvolutional)) {
                throw refused(i, bn, "batch-norm of a " + in + " input");
            }
            requireNchw(i, bn, bn.getCnn2DFormat());
            String name = name(i, bn);
            int n = (int) p.get(BatchNormalizationParamInitializer.GLOBAL_MEAN).length();
            float[] mean = floats(p.get(BatchNormalizationParamInitializer.GLOBAL_MEAN));
            float[] variance;
            if (bn.isUseLogStd()) {
                float[] log10std = floats(p.get(BatchNormalizationParamInitializer.GLOBAL_LOG_STD));
                variance = new float[n];
                for (int o = 0; o < n; o++) {
                    double std = Math.pow(10, log10std[o]);
                    variance[o] = (float) (std * std);
                }
            } else {
                variance = floats(p.get(BatchNormalizationParamInitializer.GLOBAL_VAR));
            }
            float[] gamma;
            float[] beta;
            if (bn.isLockGammaBeta()) {
                gamma = new float[n];
                beta = new float[n];
                java.util.Arrays.fill(gamma, (float) bn.getGamma());
                java.util.Arrays.fill(beta, (float) bn.getBeta());
            } else {
                gamma = floats(p.get(BatchNormalizationParamInitializer.GAMMA));
                beta = floats(p.get(BatchNormalizationParamInitializer.BETA));
            }
            int m = (int) channels; // widened channels are zeros and stay zeros: γ 0, β 0, mean 0, variance 1
            float[] ones = new float[m];
            java.util.Arrays.fill(ones, n, m, 1f);
            System.arraycopy(variance, 0, ones, 0, n);
            return graph.node("BatchNormalization", List.of(x, graph.weight(name + "_gamma", java.util.Arrays.copyOf(gamma, m), m),
                    graph.weight(name + "_beta", java.util.Arrays.copyOf(beta, m), m),
                    graph.weight(name + "_mean", java.util.Arrays.copyOf(mean, m), m),
                    graph.weight(name + "_var", ones, m)), Attribute.real("epsilon", (float) bn.getEps()));
        }

        private String activation(int i, Layer l, IActivation fn, String x) {
            if (fn == null || fn instanceof ActivationIdentity) {
                return x;
            }
            if (fn instanceof ActivationReLU r) {
                boolean plain = (r.getMax() == null || Double.isInfinite(r.getMax()))
                        && (r.getThreshold() == null || r.getThreshold() == 0)
                        && (r.getNegativeSlope() == null || r.getNegativeSlope() == 0);
                if (!plain) {
                    throw refused(i, l, "a ReLU with a cap, threshold or slope has no ONNX form here");
                }
                return graph.node("Relu", List.of(x));
            }
            if (fn instanceof ActivationLReLU r) {
                return graph.node("LeakyRelu", List.of(x), Attribute.real("alpha", (float) r.getAlpha()));
            }
            if (fn instanceof ActivationSigmoid) {
                return graph.node("Sigmoid", List.of(x));
            }
            if (fn instanceof ActivationTanH) {
                return graph.node("Tanh", List.of(x));
            }
            throw refused(i, l, "activation " + fn + " has no ONNX form here (identity, relu, leakyrelu, sigmoid, tanh)");
        }

        /**
         * ONNX's explicit pads [top, left, bottom, right]: a Truncate/Strict layer's own symmetric padding, or what
         * DL4J's Same mode computes for this input (the odd pixel at the bottom and right, as ONNX's SAME_UPPER).
         */
        private long[] pads(int i, Layer l, ConvolutionMode mode, int[] padding, int[] k, int[] s, int[] d, InputType in,
                            InputType out) {
            if (mode == ConvolutionMode.Truncate || mode == ConvolutionMode.Strict) {
                return new long[] {padding[0], padding[1], padding[0], padding[1]};
            }
            if (mode != ConvolutionMode.Same) {
                throw refused(i, l, "convolution mode " + mode + " has no ONNX form here (Truncate, Strict or Same)");
            }
            InputType.InputTypeConvolutional a = (InputType.InputTypeConvolutional) in;
            InputType.InputTypeConvolutional b = (InputType.InputTypeConvolutional) out;
            long[] pads = new long[4];
            long[] inSize = {a.getHeight(), a.getWidth()};
            long[] outSize = {b.getHeight(), b.getWidth()};
            for (int axis = 0; axis < 2; axis++) {
                long effective = (long) (k[axis] - 1) * d[axis] + 1;
                long total = Math.max(0, (outSize[axis] - 1) * s[axis] + effective - inSize[axis]);
                pads[axis] = total / 2;
                pads[axis + 2] = total - total / 2;
            }
            return pads;
        }

        private static void requireNchw(int i, Layer l, CNN2DFormat format) {
            if (format != null && format != CNN2DFormat.NCHW) {
                throw refused(i, l, "channels-last layers are turned channels-first before export");
            }
        }

        private static String name(int i, Layer l) {
            String n = l.getLayerName() == null ? "layer" + i : l.getLayerName();
            return n.replaceAll("[^A-Za-z0-9_]", "_") + "_" + i;
        }

        private static IllegalArgumentException refused(int i, Layer l, String why) {
            return new IllegalArgumentException("layer " + i + " '" + l.getLayerName() + "' (" + l.getClass().getSimpleName()
                    + ") cannot be written to ONNX: " + why);
        }

        /** A [out, in, kH, kW] weight copied into a larger [out', in', kH, kW] one of zeros. */
        private static float[] widened(float[] w, long[] from, long[] to) {
            if (java.util.Arrays.equals(from, to)) {
                return w;
            }
            int k = (int) (from[2] * from[3]);
            float[] out = new float[Math.toIntExact(to[0] * to[1] * k)];
            for (int o = 0; o < from[0]; o++) {
                for (int c = 0; c < from[1]; c++) {
                    System.arraycopy(w, (int) ((o * from[1] + c) * k), out, (int) ((o * to[1] + c) * k), k);
                }
            }
            return out;
        }

        private static float[] floats(INDArray a) {
            return a.castTo(DataType.FLOAT).dup('c').data().asFloat();
        }
    }
}
