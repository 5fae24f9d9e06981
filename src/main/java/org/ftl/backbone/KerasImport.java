package org.ftl.backbone;

import org.bytedeco.hdf5.Group;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.preprocessor.ComposableInputPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;
import org.deeplearning4j.nn.modelimport.keras.config.KerasModelConfiguration;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.utils.KerasModelBuilder;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.ftl.FtlError;
import org.ftl.data.InputShape;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Keras HDF5 backbones as DL4J networks: whole models ({@code model.save("m.h5")}) and VGG16's weights-only
 * ImageNet file ({@code save_weights}) loaded into the built-in {@link Architecture#VGG16}.
 *
 * <p>DL4J's own {@code KerasModelImport} fails on Sequential models saved without an InputLayer (no
 * {@code batch_input_shape}: a NullPointerException, {@code "mult" is null}, whatever input shape is passed).
 * So every model goes one route: the {@code model_config} JSON is read from the file, given the
 * {@code keras_version} and {@code backend} DL4J looks for in it (Keras keeps them as separate file attributes)
 * and the input's {@code batch_input_shape}, and built with {@code KerasModelBuilder} from that JSON and the
 * file's weights. JSON is edited with DL4J's shaded Jackson ({@code org.nd4j.shade.jackson}): it ships inside
 * nd4j-api, so it is in the application jar and on every classpath, unlike Spark's provided
 * {@code com.fasterxml} one.
 */
public final class KerasImport {
    /** What a Keras HDF5 file holds. */
    public enum Contents {
        /** A whole model: {@code model_config} plus {@code model_weights} ({@code model.save}). */
        MODEL,
        /** Weights only, one group per layer at the root ({@code model.save_weights}, Keras' application weights). */
        WEIGHTS
    }

    private static final String MODEL_FILE = "a Keras model saved as HDF5 (model.save(\"model.h5\"))";
    private static final String WEIGHTS_FILE = "a Keras VGG16 weights file such as "
            + "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5 (model.save_weights)";
    private static final ObjectMapper JSON = new ObjectMapper();

    private KerasImport() {
    }

    /** Tells a whole-model file from a weights-only one (for a backbone setting that takes either). */
    public static Contents contents(Path h5) {
        try (Hdf5File f = Hdf5File.open(h5, "a Keras HDF5 model or weights file")) {
            synchronized (Hdf5Archive.LOCK_OBJECT) {
                return f.root().attrExists("model_config") ? Contents.MODEL : Contents.WEIGHTS;
            }
        }
    }

    /**
     * A whole Keras model as a DL4J network, laid out as Keras has it: NHWC input ({@code [n, h, w, c]}) and
     * NHWC layers; {@link org.ftl.backbone.ConvChain#of} turns its conv part channel-first.
     *
     * <p>Sequential models are imported with or without an InputLayer; the input shape fills in what the file
     * leaves open, and a shape the file declares ({@code batch_input_shape}, {@code build_input_shape}) must
     * agree with it. A functional model is imported if its layers form one chain (one input, one output, every
     * layer feeding the next only), and refused naming the first layer where it branches or merges. A final
     * Flatten is left out (as DL4J does for Sequential models): the network then ends in the un-flattened map.
     *
     * @param inputShape height, width, channels of the images the network is to take
     * @throws FtlError naming the file: not HDF5, no {@code model_config}, a shape mismatch, a model DL4J
     *                  cannot import, a functional model that is not a chain
     */
    public static MultiLayerNetwork importModel(Path h5, InputShape inputShape) {
        ObjectNode model = readModelConfig(h5);
        String kind = model.path("class_name").asText("");
        ArrayNode layers = layers(h5, model);
        return switch (kind) {
            case "Sequential" -> {
                fitInputShape(h5, model, layers, inputShape);
                yield build(h5, model, true).sequential();
            }
            case "Model", "Functional" -> {
                fitFunctionalInputShape(h5, model, layers, inputShape);
                String finalFlatten = neutralizeFinalFlatten(model, layers);
                yield chainOf(h5, build(h5, model, false).graph(), finalFlatten);
            }
            default -> throw new FtlError(h5 + ": model_config is a '" + kind
                    + "'; expected a Keras Sequential or functional model");
        };
    }

    /**
     * VGG16's Keras weights (one group per layer, {@code block1_conv1} … {@code block5_conv3}; the top
     * {@code fc1}/{@code fc2}/{@code predictions} groups of the with-top file are ignored) in the built-in
     * {@link Architecture#VGG16} conv part at full width, channel-first (NCHW input {@code [n, c, h, w]}).
     *
     * <p>Each layer's datasets are found through the group's {@code weight_names} attribute (Keras 2 nests
     * them: {@code block1_conv1/block1_conv1/kernel:0}; the original Keras 1 file has
     * {@code block1_conv1_W_1:0} directly in the group), or by walking the group when the attribute is
     * absent; the 4-d one is the kernel, {@code [kH, kW, in, out]} (TensorFlow ordering), the 1-d one the bias.
     * Kernels are transposed to DL4J's {@code [out, in, kH, kW]}. A whole-model file's {@code model_weights}
     * group is read the same way.
     *
     * <p>These weights were trained on Caffe-style inputs: BGR channel order, ImageNet mean subtracted, no
     * scaling. Use them with {@link org.ftl.data.Preprocessing#IMAGENET_CAFFE}.
     *
     * @param inputShape at least 32×32 (five 2×2 poolings), 3 channels for the ImageNet weights
     * @throws FtlError naming the file: not HDF5, a missing layer, a shape mismatch (naming the layer and
     *                  both shapes)
     */
    public static MultiLayerNetwork importVgg16Weights(Path weightsH5, InputShape inputShape) {
        if (inputShape.height() < 32 || inputShape.width() < 32) {
            throw new FtlError(weightsH5 + ": VGG16 needs an input of at least 32×32 (five 2×2 poolings); the input shape is "
                    + inputShape);
        }
        try (Hdf5File f = Hdf5File.open(weightsH5, WEIGHTS_FILE)) {
            MultiLayerNetwork net = vgg16(inputShape);
            Group root = f.root();
            Group modelWeights = null;
            synchronized (Hdf5Archive.LOCK_OBJECT) {
                if (root.attrExists("model_config") || !root.nameExists("block1_conv1")) {
                    modelWeights = f.group(root, "model_weights");
                }
            }
            try {
                Group weights = modelWeights != null ? modelWeights : root;
                List<String> present = f.children(weights, true);
                for (int i = 0; i < net.getnLayers(); i++) {
                    Layer l = net.getLayerWiseConfigurations().getConf(i).getLayer();
                    if (l instanceof ConvolutionLayer) {
                        loadConv(f, weights, present, net.getLayer(i), l.getLayerName());
                    }
                }
            } finally {
                Hdf5File.close(modelWeights);
            }
            return net;
        }
    }

    private static MultiLayerNetwork vgg16(InputShape in) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).list();
        for (Layer l : Architecture.VGG16.convLayers(1.0, false)) {
            list.layer(l);
        }
        list.setInputType(InputType.convolutional(in.height(), in.width(), in.channels(), CNN2DFormat.NCHW));
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }

    private static void loadConv(Hdf5File f, Group weights, List<String> present,
                                 org.deeplearning4j.nn.api.Layer target, String name) {
        Path file = f.path();
        if (!present.contains(name)) {
            throw new FtlError(file + ": no weights for VGG16 layer '" + name + "' (the file has "
                    + (present.isEmpty() ? "no layer groups" : String.join(", ", present)) + "); expected " + WEIGHTS_FILE);
        }
        Group g = f.group(weights, name);
        INDArray kernel = null;
        INDArray bias = null;
        try {
            List<String> names = f.strings(g, "weight_names");
            if (names == null || names.isEmpty()) {
                names = f.datasetsBelow(g);
            }
            for (String n : names) {
                INDArray v = f.dataset(g, n);
                if (v == null) {
                    throw new FtlError(file + ": layer '" + name + "' lists weight '" + n + "' but has no such dataset");
                }
                if (v.rank() == 4 && kernel == null) {
                    kernel = v;
                } else if (v.rank() == 1 && bias == null) {
                    bias = v;
                } else {
                    throw new FtlError(file + ": layer '" + name + "' has an unexpected weight '" + n + "' of shape "
                            + Arrays.toString(v.shape()) + "; expected a 4-d kernel and a 1-d bias");
                }
            }
        } finally {
            Hdf5File.close(g);
        }
        INDArray w = target.getParam("W");   // [out, in, kH, kW]
        INDArray b = target.getParam("b");
        long[] keras = {w.size(2), w.size(3), w.size(1), w.size(0)};
        if (kernel == null || bias == null) {
            throw new FtlError(file + ": layer '" + name + "' lacks its " + (kernel == null ? "kernel" : "bias")
                    + "; expected a kernel " + Arrays.toString(keras) + " and a bias [" + w.size(0) + "]");
        }
        if (!Arrays.equals(kernel.shape(), keras)) {
            long[] s = kernel.shape();
            boolean theano = s.length == 4 && s[0] == keras[3] && s[1] == keras[2] && s[2] == keras[0] && s[3] == keras[1];
            throw new FtlError(file + ": layer '" + name + "' kernel is " + Arrays.toString(s)
                    + " in the file but the network needs " + Arrays.toString(keras) + " [kH, kW, in, out]"
                    + (theano ? " (a Theano-ordered file? use the tf_dim_ordering_tf_kernels one)" : ""));
        }
        if (bias.length() != b.length()) {
            throw new FtlError(file + ": layer '" + name + "' bias is " + Arrays.toString(bias.shape())
                    + " in the file but the network needs [" + b.length() + "]");
        }
        w.assign(kernel.permute(3, 2, 0, 1));
        b.assign(bias.reshape(b.shape()));
    }

    private static ObjectNode readModelConfig(Path file) {
        Hdf5File.requireHdf5(file, MODEL_FILE);
        String config;
        String version;
        String backend;
        try (Hdf5Archive archive = new Hdf5Archive(file.toString())) {
            if (!archive.hasAttribute("model_config")) {
                throw new FtlError(file + ": an HDF5 file without a model_config attribute (a weights-only file?); expected "
                        + MODEL_FILE + "; VGG16 weights files go to the built-in vgg16");
            }
            config = archive.readAttributeAsJson("model_config");
            version = archive.hasAttribute("keras_version") ? archive.readAttributeAsString("keras_version") : null;
            backend = archive.hasAttribute("backend") ? archive.readAttributeAsString("backend") : null;
            if (!archive.getGroups().contains("model_weights")) {
                throw new FtlError(file + ": the file has a model_config but no model_weights group; expected "
                        + MODEL_FILE + " with its weights (include_optimizer does not matter)");
            }
        } catch (FtlError e) {
            throw e;
        } catch (UnsupportedKerasConfigurationException | RuntimeException e) {
            throw new FtlError(file + ": cannot read the Keras model_config: " + firstLine(e), e);
        }
        JsonNode node;
        try {
            node = JSON.readTree(config);
        } catch (IOException e) {
            throw new FtlError(file + ": model_config is not JSON: " + firstLine(e), e);
        }
        if (!(node instanceof ObjectNode model)) {
            throw new FtlError(file + ": model_config is not a JSON object");
        }
        // DL4J decides the Keras major version and backend from these keys of the config itself
        if (!model.has("keras_version")) {
            model.put("keras_version", version != null && !version.isBlank() ? version.trim() : "2.4.0");
        }
        if (!model.has("backend")) {
            model.put("backend", backend != null && !backend.isBlank() ? backend.trim() : "tensorflow");
        }
        return model;
    }

    /** The layer list: Keras 2.0–2.1 wrote a Sequential's config as the bare list, later ones as {layers: …}. */
    private static ArrayNode layers(Path file, ObjectNode model) {
        JsonNode config = model.path("config");
        JsonNode layers = config.isArray() ? config : config.path("layers");
        if (!(layers instanceof ArrayNode a) || a.isEmpty() || !(a.get(0) instanceof ObjectNode)) {
            throw new FtlError(file + ": model_config has no layers");
        }
        return a;
    }

    private static void fitInputShape(Path file, ObjectNode model, ArrayNode layers, InputShape in) {
        ObjectNode first = layerConfig(file, layers.get(0));
        List<JsonNode> declared = new ArrayList<>();
        declared.add(first.get("batch_input_shape"));
        if ("InputLayer".equals(layers.get(0).path("class_name").asText()) && layers.size() > 1) {
            declared.add(layers.get(1).path("config").get("batch_input_shape"));
        }
        declared.add(model.path("config").get("build_input_shape"));
        for (JsonNode d : declared) {
            checkShape(file, d, in);
        }
        checkChannelsLast(file, layers);
        first.set("batch_input_shape", batchShape(in));
    }

    private static void fitFunctionalInputShape(Path file, ObjectNode model, ArrayNode layers, InputShape in) {
        List<JsonNode> inputs = new ArrayList<>();
        for (JsonNode l : layers) {
            if ("InputLayer".equals(l.path("class_name").asText())) {
                inputs.add(l);
            }
        }
        if (inputs.size() != 1) {
            throw new FtlError(file + ": the functional model has " + inputs.size() + " inputs ("
                    + inputs.stream().map(KerasImport::layerName).collect(Collectors.joining(", "))
                    + "); FTL imports models with one image input");
        }
        ObjectNode config = layerConfig(file, inputs.get(0));
        checkShape(file, config.get("batch_input_shape"), in);
        checkChannelsLast(file, layers);
        config.set("batch_input_shape", batchShape(in));
    }

    /**
     * DL4J leaves a Sequential model's final Flatten out (the network then ends in the map) but cannot import a
     * functional model whose output is a Flatten ("could not be mapped to Layer, Vertex, or InputPreProcessor").
     * Nor can the layer just be deleted from the config: DL4J's weight import fails on a weight group (even an
     * empty one) whose layer the config lacks. So the Flatten becomes a linear Activation of the same name, which
     * {@link #chainOf} then leaves out. Returns its name, or null.
     */
    private static String neutralizeFinalFlatten(ObjectNode model, ArrayNode layers) {
        JsonNode outputs = model.path("config").path("output_layers");
        if (outputs.size() != 1 || !outputs.get(0).isArray() || outputs.get(0).size() == 0) {
            return null;
        }
        String out = outputs.get(0).get(0).asText();
        for (JsonNode l : layers) {
            if (out.equals(l.path("name").asText()) && "Flatten".equals(l.path("class_name").asText())
                    && l instanceof ObjectNode entry) {
                ObjectNode config = JSON.createObjectNode();
                config.put("name", out);
                config.put("trainable", false);
                config.put("dtype", "float32");
                config.put("activation", "linear");
                entry.put("class_name", "Activation");
                entry.set("config", config);
                return out;
            }
        }
        return null;
    }

    private static ObjectNode layerConfig(Path file, JsonNode layer) {
        if (!(layer.path("config") instanceof ObjectNode c)) {
            throw new FtlError(file + ": model_config layer '" + layerName(layer) + "' has no config");
        }
        return c;
    }

    private static String layerName(JsonNode layer) {
        String name = layer.path("config").path("name").asText(layer.path("name").asText(""));
        return name.isEmpty() ? layer.path("class_name").asText("?") : name;
    }

    private static ArrayNode batchShape(InputShape in) {
        ArrayNode shape = JSON.createArrayNode();
        shape.addNull();
        shape.add(in.height());
        shape.add(in.width());
        shape.add(in.channels());
        return shape;
    }

    /** A declared [batch, h, w, c] must agree with the input shape wherever it is not left open (null). */
    private static void checkShape(Path file, JsonNode declared, InputShape in) {
        if (declared == null || declared.isNull()) {
            return;
        }
        int[] wanted = {in.height(), in.width(), in.channels()};
        boolean ok = declared.isArray() && declared.size() == 4;
        for (int i = 0; ok && i < 3; i++) {
            JsonNode d = declared.get(i + 1);
            ok = d.isNull() || d.asInt() == wanted[i];
        }
        if (!ok) {
            throw new FtlError(file + ": the model takes input " + declared + " [batch, height, width, channels] but the input shape is "
                    + in + " (height, width, channels); set the input shape to the model's");
        }
    }

    private static void checkChannelsLast(Path file, ArrayNode layers) {
        for (JsonNode l : layers) {
            if ("channels_first".equals(l.path("config").path("data_format").asText())) {
                throw new FtlError(file + ": layer '" + layerName(l)
                        + "' is channels_first; FTL imports channels_last Keras models (TensorFlow's layout)");
            }
        }
    }

    /** What DL4J built from the patched config and the file's weights: exactly one of the two is set. */
    private record Imported(MultiLayerNetwork sequential, ComputationGraph graph) {
    }

    private static Imported build(Path file, ObjectNode model, boolean sequential) {
        try (KerasModelBuilder builder = new KerasModelBuilder(new KerasModelConfiguration())) {
            builder.modelJson(JSON.writeValueAsString(model))
                    .weightsHdf5Filename(file.toString())
                    .enforceTrainingConfig(false);
            return sequential ? new Imported(builder.buildSequential().getMultiLayerNetwork(), null)
                    : new Imported(null, builder.buildModel().getComputationGraph());
        } catch (IOException | InvalidKerasConfigurationException | UnsupportedKerasConfigurationException
                 | RuntimeException e) {
            throw new FtlError(file + ": DL4J cannot import this Keras model: " + firstLine(e), e);
        }
    }

    /**
     * A functional model whose layers form one chain, as the equivalent MultiLayerNetwork: layer vertices in
     * order with their preprocessors, Flatten-like preprocessor vertices folded into the next layer's.
     */
    private static MultiLayerNetwork chainOf(Path file, ComputationGraph graph, String leaveOut) {
        ComputationGraphConfiguration conf = graph.getConfiguration();
        List<String> inputs = conf.getNetworkInputs();
        List<String> outputs = conf.getNetworkOutputs();
        if (inputs.size() != 1 || outputs.size() != 1) {
            throw new FtlError(file + ": the functional model has " + inputs.size() + " input(s) " + inputs + " and "
                    + outputs.size() + " output(s) " + outputs + "; FTL imports a straight chain of layers");
        }
        Map<String, List<String>> feeds = new HashMap<>();
        conf.getVertexInputs().forEach((v, ins) -> ins.forEach(i -> feeds.computeIfAbsent(i, k -> new ArrayList<>()).add(v)));
        Map<String, GraphVertex> vertices = conf.getVertices();
        List<String> chain = new ArrayList<>();
        String at = inputs.get(0);
        while (feeds.containsKey(at)) {
            List<String> next = feeds.get(at);
            if (next.size() > 1) {
                throw notAChain(file, at, vertices, "feeds " + next.size() + " layers (" + String.join(", ", next) + ")");
            }
            String v = next.get(0);
            List<String> ins = conf.getVertexInputs().get(v);
            if (ins.size() != 1) {
                throw notAChain(file, v, vertices, "takes " + ins.size() + " inputs (" + String.join(", ", ins) + ")");
            }
            chain.add(v);
            at = v;
        }
        Set<String> missed = new LinkedHashSet<>(conf.getTopologicalOrderStr());
        missed.removeAll(chain);
        missed.removeAll(inputs);
        if (!missed.isEmpty()) {
            throw notAChain(file, missed.iterator().next(), vertices, "is not on the path from the input to the output");
        }
        if (leaveOut != null && !chain.isEmpty() && chain.get(chain.size() - 1).equals(leaveOut)) {
            chain.remove(chain.size() - 1);
        }

        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).list();
        List<String> layerVertices = new ArrayList<>();
        InputPreProcessor pending = null;
        for (String v : chain) {
            GraphVertex gv = vertices.get(v);
            if (gv instanceof PreprocessorVertex p) {
                pending = compose(pending, p.getPreProcessor());
            } else if (gv instanceof LayerVertex lv) {
                add(list, layerVertices.size(), lv.getLayerConf().getLayer().clone(), compose(pending, lv.getPreProcessor()));
                layerVertices.add(v);
                pending = null;
            } else {
                throw notAChain(file, v, vertices, "is not a layer");
            }
        }
        if (pending != null) {
            throw notAChain(file, chain.get(chain.size() - 1), vertices, "ends the model but DL4J imports it only as the next layer's input reshaping");
        }
        MultiLayerConfiguration mlc = list.build();
        MultiLayerNetwork net = new MultiLayerNetwork(mlc);
        net.init();
        for (int i = 0; i < layerVertices.size(); i++) {
            for (Map.Entry<String, INDArray> p : graph.getLayer(layerVertices.get(i)).paramTable().entrySet()) {
                INDArray target = net.getLayer(i).getParam(p.getKey());
                target.assign(p.getValue().reshape(target.shape()));
            }
        }
        return net;
    }

    private static void add(NeuralNetConfiguration.ListBuilder list, int index, Layer layer, InputPreProcessor pre) {
        list.layer(index, layer);
        if (pre != null) {
            list.inputPreProcessor(index, pre);
        }
    }

    private static InputPreProcessor compose(InputPreProcessor first, InputPreProcessor then) {
        if (first == null) {
            return then;
        }
        return then == null ? first : new ComposableInputPreProcessor(first, then);
    }

    private static FtlError notAChain(Path file, String vertex, Map<String, GraphVertex> vertices, String what) {
        GraphVertex v = vertices.get(vertex);
        String type = v instanceof LayerVertex lv ? lv.getLayerConf().getLayer().getClass().getSimpleName()
                : v == null ? "input" : v.getClass().getSimpleName();
        return new FtlError(file + ": the functional model is not a straight chain: layer '" + vertex + "' (" + type + ") "
                + what + "; FTL imports Sequential models and functional models whose layers form one chain");
    }

    private static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return (nl < 0 ? m : m.substring(0, nl)).trim();
    }
}
