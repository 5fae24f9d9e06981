package org.ftl.backbone;

import onnx.Onnx;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.ftl.FtlError;
import org.ftl.data.InputShape;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.protobuf.InvalidProtocolBufferException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pretrained CNN exported to ONNX (torchvision's AlexNet and VGG16 are what users have) as a backbone: its conv part
 * — Conv, Relu, BatchNormalization, MaxPool, AveragePool, zero Pad, Dropout and Identity in a straight line from
 * the image input — as a DL4J network, channels first. The classifier is what comes from the first Flatten, Reshape,
 * Shape (the start of a reshape), Gemm, MatMul or global pooling on, and is dropped, as for any backbone. Any other
 * node before that, a branch (a value read by two nodes), a grouped or dilated convolution FTL cannot prune, or
 * ceil-mode pooling is refused naming the node.
 */
public final class OnnxImport {
    /** Where the conv part ends: the classifier starts here. */
    private static final Set<String> HEAD = Set.of("Flatten", "Reshape", "Shape", "Gemm", "MatMul", "GlobalAveragePool",
            "GlobalMaxPool");

    private OnnxImport() {
    }

    /** The conv part of the ONNX model in {@code bytes}; {@code name} is for messages. */
    public static MultiLayerNetwork convPart(byte[] bytes, String name, InputShape input) {
        Onnx.ModelProto model;
        try {
            model = Onnx.ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new FtlError(name + ": not an ONNX model: " + e.getMessage(), e);
        }
        Onnx.GraphProto g = model.getGraph();
        if (g.getNodeCount() == 0) {
            throw new FtlError(name + ": not an ONNX model (no graph nodes)");
        }
        Map<String, Onnx.TensorProto> weights = new HashMap<>();
        g.getInitializerList().forEach(t -> weights.put(t.getName(), t));
        for (Onnx.NodeProto n : g.getNodeList()) { // weights held as Constant nodes
            if (n.getOpType().equals("Constant") && n.getOutputCount() == 1) {
                n.getAttributeList().stream().filter(a -> a.getName().equals("value")).findFirst()
                        .ifPresent(a -> weights.put(n.getOutput(0), a.getT()));
            }
        }
        String image = imageInput(g, weights.keySet(), name, input);
        Map<String, List<Onnx.NodeProto>> readers = new HashMap<>();
        for (Onnx.NodeProto n : g.getNodeList()) {
            for (String in : new java.util.LinkedHashSet<>(n.getInputList())) { // a node reading a value twice reads it once
                readers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
            }
        }

        List<Layer> layers = new ArrayList<>();
        List<Map<String, INDArray>> params = new ArrayList<>();
        String value = image;
        long channels = input.channels();
        Set<String> seen = new HashSet<>();
        while (true) {
            List<Onnx.NodeProto> next = readers.getOrDefault(value, List.of());
            if (next.isEmpty()) {
                break;
            }
            if (next.size() > 1) {
                throw new FtlError(name + ": '" + value + "' is read by " + next.size() + " nodes ("
                        + String.join(", ", next.stream().map(OnnxImport::describe).toList())
                        + "): FTL prunes a straight chain of conv layers");
            }
            Onnx.NodeProto n = next.get(0);
            if (!seen.add(n.getName() + "/" + n.getOutput(0))) {
                break;
            }
            String op = n.getOpType();
            if (HEAD.contains(op)) {
                break;
            }
            String layerName = layerName(n, layers.size());
            switch (op) {
                case "Conv" -> {
                    INDArray w = tensor(weights, n.getInput(1), n, name);
                    if (w.rank() != 4) {
                        throw refused(name, n, "a " + w.rank() + "-d convolution (FTL prunes 2-d ones)");
                    }
                    if (longAttr(n, "group", 1) != 1) {
                        throw refused(name, n, "a grouped convolution (group " + longAttr(n, "group", 1) + ")");
                    }
                    if (w.size(1) != channels) {
                        throw new FtlError(name + ": " + describe(n) + " takes " + w.size(1) + " channels, but "
                                + (layers.isEmpty() ? "input.channels is " : "its input has ") + channels);
                    }
                    int[] k = {(int) w.size(2), (int) w.size(3)};
                    int[] stride = ints(n, "strides", 1, 1);
                    int[] dilation = ints(n, "dilations", 1, 1);
                    int[] pads = ints(n, "pads", 0, 0, 0, 0);
                    requireNoAutoPad(n, name);
                    padIfAsymmetric(layers, params, pads, layerName);
                    ConvolutionLayer.Builder b = new ConvolutionLayer.Builder(k[0], k[1]).name(layerName)
                            .nIn(channels).nOut(w.size(0)).stride(stride[0], stride[1]).dilation(dilation[0], dilation[1])
                            .padding(pads[0] == pads[2] ? pads[0] : 0, pads[1] == pads[3] ? pads[1] : 0)
                            .convolutionMode(ConvolutionMode.Truncate).activation(Activation.IDENTITY)
                            .dataFormat(CNN2DFormat.NCHW);
                    Map<String, INDArray> p = new HashMap<>();
                    p.put("W", w);
                    if (n.getInputCount() > 2 && !n.getInput(2).isEmpty()) {
                        p.put("b", tensor(weights, n.getInput(2), n, name).reshape(1, w.size(0)));
                        b.hasBias(true);
                    } else {
                        b.hasBias(false);
                    }
                    layers.add(b.build());
                    params.add(p);
                    channels = w.size(0);
                }
                case "Relu" -> {
                    layers.add(new ActivationLayer.Builder().name(layerName).activation(Activation.RELU).build());
                    params.add(Map.of());
                }
                case "BatchNormalization" -> {
                    Map<String, INDArray> p = new HashMap<>();
                    p.put("gamma", tensor(weights, n.getInput(1), n, name).reshape(1, channels));
                    p.put("beta", tensor(weights, n.getInput(2), n, name).reshape(1, channels));
                    p.put("mean", tensor(weights, n.getInput(3), n, name).reshape(1, channels));
                    p.put("var", tensor(weights, n.getInput(4), n, name).reshape(1, channels));
                    float eps = n.getAttributeList().stream().filter(a -> a.getName().equals("epsilon"))
                            .map(Onnx.AttributeProto::getF).findFirst().orElse(1e-5f);
                    layers.add(new BatchNormalization.Builder().name(layerName).nIn(channels).nOut(channels).eps(eps)
                            .useLogStd(false).build());
                    params.add(p);
                }
                case "MaxPool", "AveragePool" -> {
                    if (longAttr(n, "ceil_mode", 0) != 0) {
                        throw refused(name, n, "ceil-mode pooling (DL4J's pooling rounds down)");
                    }
                    requireNoAutoPad(n, name);
                    int[] k = ints(n, "kernel_shape");
                    int[] stride = ints(n, "strides", 1, 1);
                    int[] pads = ints(n, "pads", 0, 0, 0, 0);
                    int[] dilation = ints(n, "dilations", 1, 1);
                    if (pads[0] != pads[2] || pads[1] != pads[3]) {
                        throw refused(name, n, "asymmetric pooling padding " + java.util.Arrays.toString(pads));
                    }
                    boolean max = op.equals("MaxPool");
                    SubsamplingLayer.Builder b = new SubsamplingLayer.Builder(max ? SubsamplingLayer.PoolingType.MAX
                            : SubsamplingLayer.PoolingType.AVG).name(layerName).kernelSize(k[0], k[1])
                            .stride(stride[0], stride[1]).padding(pads[0], pads[1]).dilation(dilation[0], dilation[1])
                            .convolutionMode(ConvolutionMode.Truncate).dataFormat(CNN2DFormat.NCHW);
                    if (!max) {
                        b.avgPoolIncludePadInDivisor(longAttr(n, "count_include_pad", 0) != 0);
                    }
                    layers.add(b.build());
                    params.add(Map.of());
                }
                case "Pad" -> {
                    int[] p = padAmounts(n, weights, name);
                    layers.add(new ZeroPaddingLayer.Builder(p[0], p[1], p[2], p[3]).name(layerName)
                            .dataFormat(CNN2DFormat.NCHW).build());
                    params.add(Map.of());
                }
                case "Dropout", "Identity" -> {
                    // identity at inference: nothing to keep
                }
                default -> throw refused(name, n, "not a layer FTL prunes (Conv, Relu, BatchNormalization, MaxPool, "
                        + "AveragePool, Pad, Dropout), and not the start of the classifier (Flatten, Gemm, …)");
            }
            value = n.getOutput(0);
        }
        if (layers.stream().noneMatch(l -> l instanceof ConvolutionLayer)) {
            throw new FtlError(name + ": no Conv node on the way from the input '" + image + "' to the classifier");
        }
        return network(layers, params, input, name);
    }

    private static MultiLayerNetwork network(List<Layer> layers, List<Map<String, INDArray>> params, InputShape input,
                                             String name) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(0).dataType(DataType.FLOAT).list();
        layers.forEach(list::layer);
        list.setInputType(InputType.convolutional(input.height(), input.width(), input.channels(), CNN2DFormat.NCHW));
        MultiLayerNetwork net;
        try {
            net = new MultiLayerNetwork(list.build());
            net.init();
        } catch (RuntimeException e) {
            throw new FtlError(name + ": cannot take " + input.height() + "x" + input.width() + "x" + input.channels()
                    + " inputs (input.size, input.channels): " + e.getMessage(), e);
        }
        for (int i = 0; i < layers.size(); i++) {
            for (Map.Entry<String, INDArray> p : params.get(i).entrySet()) {
                INDArray target = net.getLayer(i).getParam(p.getKey());
                if (target == null || target.length() != p.getValue().length()) {
                    throw new FtlError(name + ": layer '" + layers.get(i).getLayerName() + "': " + p.getKey() + " of shape "
                            + java.util.Arrays.toString(p.getValue().shape()) + " does not fit");
                }
                target.assign(p.getValue().reshape(target.shape()));
            }
        }
        return net;
    }

    /** The graph input that is an image: not an initialiser (old exporters list weights as inputs too). */
    private static String imageInput(Onnx.GraphProto g, Set<String> weights, String name, InputShape input) {
        List<Onnx.ValueInfoProto> images = g.getInputList().stream().filter(i -> !weights.contains(i.getName())).toList();
        if (images.size() != 1) {
            throw new FtlError(name + ": " + images.size() + " graph inputs besides the weights; FTL's backbones take one image");
        }
        Onnx.ValueInfoProto in = images.get(0);
        Onnx.TensorShapeProto shape = in.getType().getTensorType().getShape();
        if (shape.getDimCount() != 4) {
            throw new FtlError(name + ": its input '" + in.getName() + "' has " + shape.getDimCount()
                    + " dimensions, not [N, C, H, W]");
        }
        Onnx.TensorShapeProto.Dimension c = shape.getDim(1);
        if (c.hasDimValue() && c.getDimValue() != input.channels()) {
            throw new FtlError(name + ": its input '" + in.getName() + "' has " + c.getDimValue()
                    + " channel(s), but input.channels is " + input.channels());
        }
        return in.getName();
    }

    /** A zero Pad over height and width only: ONNX pads [N, C, H, W begin…, N, C, H, W end…]. */
    private static int[] padAmounts(Onnx.NodeProto n, Map<String, Onnx.TensorProto> weights, String name) {
        String mode = n.getAttributeList().stream().filter(a -> a.getName().equals("mode")).map(a -> a.getS().toStringUtf8())
                .findFirst().orElse("constant");
        if (!mode.equals("constant")) {
            throw refused(name, n, mode + " padding (FTL reads zero padding)");
        }
        long[] p;
        if (n.getInputCount() > 1) {
            p = tensor(weights, n.getInput(1), n, name).castTo(DataType.LONG).toLongVector();
            if (n.getInputCount() > 2 && !n.getInput(2).isEmpty()
                    && tensor(weights, n.getInput(2), n, name).castTo(DataType.DOUBLE).getDouble(0) != 0) {
                throw refused(name, n, "padding with a value other than 0");
            }
        } else {
            int[] a = ints(n, "pads");
            p = java.util.Arrays.stream(a).asLongStream().toArray();
        }
        if (p.length != 8 || p[0] != 0 || p[1] != 0 || p[4] != 0 || p[5] != 0) {
            throw refused(name, n, "padding other than of height and width " + java.util.Arrays.toString(p));
        }
        return new int[] {(int) p[2], (int) p[6], (int) p[3], (int) p[7]}; // top, bottom, left, right
    }

    /** Conv pads that are not the same on both sides become a ZeroPaddingLayer of the difference before the conv. */
    private static void padIfAsymmetric(List<Layer> layers, List<Map<String, INDArray>> params, int[] pads, String name) {
        if (pads[0] == pads[2] && pads[1] == pads[3]) {
            return;
        }
        layers.add(new ZeroPaddingLayer.Builder(pads[0], pads[2], pads[1], pads[3]).name(name + "_pad")
                .dataFormat(CNN2DFormat.NCHW).build());
        params.add(Map.of());
        pads[0] = pads[1] = pads[2] = pads[3] = 0;
    }

    private static void requireNoAutoPad(Onnx.NodeProto n, String name) {
        String auto = n.getAttributeList().stream().filter(a -> a.getName().equals("auto_pad")).map(a -> a.getS().toStringUtf8())
                .findFirst().orElse("NOTSET");
        if (!auto.equals("NOTSET") && !auto.equals("VALID")) {
            throw refused(name, n, "auto_pad " + auto + " (export with explicit pads)");
        }
    }

    private static INDArray tensor(Map<String, Onnx.TensorProto> weights, String value, Onnx.NodeProto n, String name) {
        Onnx.TensorProto t = weights.get(value);
        if (t == null) {
            throw refused(name, n, "its input '" + value + "' is computed, not stored: FTL reads weights stored in the file");
        }
        long[] shape = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
        int count = Math.toIntExact(java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b));
        ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        switch (t.getDataType()) {
            case Onnx.TensorProto.DataType.FLOAT_VALUE -> {
                float[] v = new float[count];
                if (t.getRawData().isEmpty()) {
                    for (int i = 0; i < count; i++) {
                        v[i] = t.getFloatData(i);
                    }
                } else {
                    raw.asFloatBuffer().get(v);
                }
                return Nd4j.create(v, shape.length == 0 ? new long[] {1} : shape, 'c');
            }
            case Onnx.TensorProto.DataType.INT64_VALUE -> {
                long[] v = new long[count];
                if (t.getRawData().isEmpty()) {
                    for (int i = 0; i < count; i++) {
                        v[i] = t.getInt64Data(i);
                    }
                } else {
                    raw.asLongBuffer().get(v);
                }
                return Nd4j.createFromArray(v).reshape(shape.length == 0 ? new long[] {1} : shape);
            }
            default -> throw refused(name, n, "its weight '" + value + "' is of ONNX data type " + t.getDataType()
                    + " (FTL reads float32 weights)");
        }
    }

    private static long longAttr(Onnx.NodeProto n, String attr, long otherwise) {
        return n.getAttributeList().stream().filter(a -> a.getName().equals(attr)).map(Onnx.AttributeProto::getI)
                .findFirst().orElse(otherwise);
    }

    private static int[] ints(Onnx.NodeProto n, String attr, int... otherwise) {
        return n.getAttributeList().stream().filter(a -> a.getName().equals(attr))
                .map(a -> a.getIntsList().stream().mapToInt(Long::intValue).toArray()).findFirst()
                .orElseGet(() -> {
                    if (otherwise.length == 0) {
                        throw new FtlError(describe(n) + " has no " + attr);
                    }
                    return otherwise.clone();
                });
    }

    private static String layerName(Onnx.NodeProto n, int index) {
        String s = n.getName().isEmpty() ? n.getOpType().toLowerCase(java.util.Locale.ROOT) + index : n.getName();
        return s.replaceAll("[^A-Za-z0-9_.-]", "_");
    }

    private static String describe(Onnx.NodeProto n) {
        return "node '" + (n.getName().isEmpty() ? n.getOutput(0) : n.getName()) + "' (" + n.getOpType() + ")";
    }

    private static FtlError refused(String name, Onnx.NodeProto n, String why) {
        return new FtlError(name + ": " + describe(n) + " cannot be pruned: " + why);
    }
}
