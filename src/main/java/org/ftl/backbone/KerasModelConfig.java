package org.ftl.backbone;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;
import org.deeplearning4j.nn.modelimport.keras.config.KerasModelConfiguration;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.utils.KerasModelBuilder;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.ftl.FtlError;
import org.ftl.data.InputShape;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A whole-model Keras file's {@code model_config} JSON, repaired so that DL4J can build it, and built with the file's
 * weights.
 *
 * <p>DL4J's own {@code KerasModelImport} fails on Sequential models saved without an InputLayer (no
 * {@code batch_input_shape}: a NullPointerException, {@code "mult" is null}, whatever input shape is passed).
 * So every model goes one route: the JSON is read from the file, given the {@code keras_version} and
 * {@code backend} DL4J looks for in it (Keras keeps them as separate file attributes) and the input's
 * {@code batch_input_shape}, and built with {@code KerasModelBuilder} from that JSON and the file's weights. JSON is
 * edited with DL4J's shaded Jackson ({@code org.nd4j.shade.jackson}): it ships inside nd4j-api, so it is in the
 * application jar and on every classpath, unlike Spark's provided {@code com.fasterxml} one.
 */
final class KerasModelConfig {
    private static final String MODEL_FILE = "a Keras model saved as HDF5 (model.save(\"model.h5\"))";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final ObjectNode model;
    private final ArrayNode layers;

    private KerasModelConfig(Path file, ObjectNode model, ArrayNode layers) {
        this.file = file;
        this.model = model;
        this.layers = layers;
    }

    /** The file's model_config with the version keys DL4J needs; refuses a file that is not a whole model. */
    static KerasModelConfig read(Path file) {
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
        return new KerasModelConfig(file, model, layers(file, model));
    }

    /** Keras' class of the model: "Sequential", or "Model"/"Functional" for a functional one. */
    String kind() {
        return model.path("class_name").asText("");
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

    /** A Sequential model's first layer takes the input shape, after any shape the file declares agrees with it. */
    void fitSequentialInputShape(InputShape in) {
        ObjectNode first = layerConfig(layers.get(0));
        List<JsonNode> declared = new ArrayList<>();
        declared.add(first.get("batch_input_shape"));
        if ("InputLayer".equals(layers.get(0).path("class_name").asText()) && layers.size() > 1) {
            declared.add(layers.get(1).path("config").get("batch_input_shape"));
        }
        declared.add(model.path("config").get("build_input_shape"));
        for (JsonNode d : declared) {
            checkShape(d, in);
        }
        checkChannelsLast();
        first.set("batch_input_shape", batchShape(in));
    }

    /** A functional model's one InputLayer takes the input shape, after the shape it declares agrees with it. */
    void fitFunctionalInputShape(InputShape in) {
        List<JsonNode> inputs = new ArrayList<>();
        for (JsonNode l : layers) {
            if ("InputLayer".equals(l.path("class_name").asText())) {
                inputs.add(l);
            }
        }
        if (inputs.size() != 1) {
            throw new FtlError(file + ": the functional model has " + inputs.size() + " inputs ("
                    + inputs.stream().map(KerasModelConfig::layerName).collect(Collectors.joining(", "))
                    + "); FTL imports models with one image input");
        }
        ObjectNode config = layerConfig(inputs.get(0));
        checkShape(config.get("batch_input_shape"), in);
        checkChannelsLast();
        config.set("batch_input_shape", batchShape(in));
    }

    /**
     * DL4J leaves a Sequential model's final Flatten out (the network then ends in the map) but cannot import a
     * functional model whose output is a Flatten ("could not be mapped to Layer, Vertex, or InputPreProcessor").
     * Nor can the layer just be deleted from the config: DL4J's weight import fails on a weight group (even an
     * empty one) whose layer the config lacks. So the Flatten becomes a linear Activation of the same name, which
     * {@link GraphToChain#chainOf} then leaves out. Returns its name, or null.
     */
    String neutralizeFinalFlatten() {
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

    private ObjectNode layerConfig(JsonNode layer) {
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
    private void checkShape(JsonNode declared, InputShape in) {
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

    private void checkChannelsLast() {
        for (JsonNode l : layers) {
            if ("channels_first".equals(l.path("config").path("data_format").asText())) {
                throw new FtlError(file + ": layer '" + layerName(l)
                        + "' is channels_first; FTL imports channels_last Keras models (TensorFlow's layout)");
            }
        }
    }

    /** The (repaired) Sequential model as DL4J builds it, with the file's weights. */
    MultiLayerNetwork buildSequential() {
        return build(b -> b.buildSequential().getMultiLayerNetwork());
    }

    /** The (repaired) functional model as DL4J builds it, with the file's weights. */
    ComputationGraph buildGraph() {
        return build(b -> b.buildModel().getComputationGraph());
    }

    /** What to build from the builder: the Sequential or the functional form of the model. */
    private interface Build<T> {
        T from(KerasModelBuilder builder)
                throws IOException, InvalidKerasConfigurationException, UnsupportedKerasConfigurationException;
    }

    private <T> T build(Build<T> how) {
        try (KerasModelBuilder builder = new KerasModelBuilder(new KerasModelConfiguration())) {
            builder.modelJson(JSON.writeValueAsString(model))
                    .weightsHdf5Filename(file.toString())
                    .enforceTrainingConfig(false);
            return how.from(builder);
        } catch (IOException | InvalidKerasConfigurationException | UnsupportedKerasConfigurationException
                 | RuntimeException e) {
            throw new FtlError(file + ": DL4J cannot import this Keras model: " + firstLine(e), e);
        }
    }

    private static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return (nl < 0 ? m : m.substring(0, nl)).trim();
    }
}
