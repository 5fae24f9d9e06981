package org.ftl.backbone;

import java.util.List;
import java.util.stream.Collectors;

/** Layer and model configurations as tf.keras 2.4 serializes them into {@code model_config}. */
final class KerasJson {
    private KerasJson() {
    }

    private static final String INIT = """
            "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": null}}, \
            "bias_initializer": {"class_name": "Zeros", "config": {}}, "kernel_regularizer": null, \
            "bias_regularizer": null, "activity_regularizer": null, "kernel_constraint": null, "bias_constraint": null""";

    static String input(String name, String batchShape) {
        return """
                {"class_name": "InputLayer", "config": {"batch_input_shape": %s, "dtype": "float32", \
                "sparse": false, "ragged": false, "name": "%s"}}""".formatted(batchShape, name);
    }

    static String conv2d(String name, int filters, int kernel, String activation) {
        return """
                {"class_name": "Conv2D", "config": {"name": "%s", "trainable": true, "dtype": "float32", \
                "filters": %d, "kernel_size": [%d, %d], "strides": [1, 1], "padding": "valid", \
                "data_format": "channels_last", "dilation_rate": [1, 1], "groups": 1, "activation": "%s", \
                "use_bias": true, %s}}""".formatted(name, filters, kernel, kernel, activation, INIT);
    }

    static String separableConv2d(String name, int filters, int kernel) {
        return """
                {"class_name": "SeparableConv2D", "config": {"name": "%s", "trainable": true, "dtype": "float32", \
                "filters": %d, "kernel_size": [%d, %d], "strides": [1, 1], "padding": "valid", \
                "data_format": "channels_last", "dilation_rate": [1, 1], "groups": 1, "activation": "relu", \
                "use_bias": true, "depth_multiplier": 1, \
                "depthwise_initializer": {"class_name": "GlorotUniform", "config": {"seed": null}}, \
                "pointwise_initializer": {"class_name": "GlorotUniform", "config": {"seed": null}}, \
                "bias_initializer": {"class_name": "Zeros", "config": {}}, "depthwise_regularizer": null, \
                "pointwise_regularizer": null, "bias_regularizer": null, "activity_regularizer": null, \
                "depthwise_constraint": null, "pointwise_constraint": null, "bias_constraint": null}}\
                """.formatted(name, filters, kernel, kernel);
    }

    static String maxPool(String name) {
        return """
                {"class_name": "MaxPooling2D", "config": {"name": "%s", "trainable": true, "dtype": "float32", \
                "pool_size": [2, 2], "padding": "valid", "strides": [2, 2], "data_format": "channels_last"}}\
                """.formatted(name);
    }

    static String flatten(String name) {
        return """
                {"class_name": "Flatten", "config": {"name": "%s", "trainable": true, "dtype": "float32", \
                "data_format": "channels_last"}}""".formatted(name);
    }

    static String dense(String name, int units, String activation) {
        return """
                {"class_name": "Dense", "config": {"name": "%s", "trainable": true, "dtype": "float32", \
                "units": %d, "activation": "%s", "use_bias": true, %s}}""".formatted(name, units, activation, INIT);
    }

    static String add(String name) {
        return """
                {"class_name": "Add", "config": {"name": "%s", "trainable": true, "dtype": "float32"}}\
                """.formatted(name);
    }

    /** {@code buildInputShape} null: the model had an InputLayer (Keras then writes no build_input_shape). */
    static String sequential(String buildInputShape, String... layers) {
        return """
                {"class_name": "Sequential", "config": {"name": "sequential", "layers": [%s]%s}}\
                """.formatted(String.join(", ", layers),
                buildInputShape == null ? "" : ", \"build_input_shape\": " + buildInputShape);
    }

    /** A functional-API layer entry: the layer's serialization plus its name and inbound nodes. */
    static String node(String layerJson, String name, String... inbound) {
        String nodes = inbound.length == 0 ? "[]" : "[[" + List.of(inbound).stream()
                .map(i -> "[\"" + i + "\", 0, 0, {}]").collect(Collectors.joining(", ")) + "]]";
        return layerJson.substring(0, layerJson.length() - 1) + ", \"name\": \"" + name + "\", \"inbound_nodes\": " + nodes + "}";
    }

    /** Keras 2.0–2.1 wrote a Sequential's config as the bare layer list, the shape on the first layer. */
    static String sequentialAsList(String firstLayerBatchShape, String... layers) {
        String first = layers[0].replaceFirst("\"config\": \\{",
                "\"config\": {\"batch_input_shape\": " + firstLayerBatchShape + ", ");
        String[] all = layers.clone();
        all[0] = first;
        return "{\"class_name\": \"Sequential\", \"config\": [" + String.join(", ", all) + "]}";
    }

    static String functional(String input, String output, String... nodes) {
        return """
                {"class_name": "Functional", "config": {"name": "model", "layers": [%s], \
                "input_layers": [["%s", 0, 0]], "output_layers": [["%s", 0, 0]]}}\
                """.formatted(String.join(", ", nodes), input, output);
    }
}
