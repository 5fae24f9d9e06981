package org.ftl.head;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.ftl.FtlError;
import org.ftl.ModelZip;
import org.ftl.AtomicFiles;
import org.ftl.data.InputShape;
import org.ftl.infer.FeatureMode;
import org.ftl.backbone.ConvChain;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The deployable model of a candidate: one ordinary DL4J network, images in, class probabilities out — the
 * pruned conv chain, then the feature step ({@link FeatureMode#FLATTEN}: DL4J's CnnToFeedForward
 * preprocessor, which DL4J puts in by itself; {@link FeatureMode#AVERAGE}: a GlobalPoolingLayer, AVG), then the
 * head as a softmax {@code OutputLayer}. The head's standardisation is folded into the output layer's weights
 * (W' = W / scale, b' = b − Σ W'·mean), so the network needs no preprocessing beyond the backbone's own and its
 * probabilities are the head's on the extracted features.
 *
 * <p>Saved with DL4J's ModelSerializer: any DL4J program restores it with
 * {@code ModelSerializer.restoreMultiLayerNetwork}; the class names ride along in the same zip as a plain
 * text entry (read as text, never as a Java object: model files come from users).
 */
public final class Classifier {
    /** The entry of the model zip holding the class names, in output order. */
    public static final String CLASSES_ENTRY = "ftl-classes.txt";

    private final MultiLayerNetwork network;
    private final List<String> classes;

    private Classifier(MultiLayerNetwork network, List<String> classes) {
        this.network = network;
        this.classes = List.copyOf(classes);
    }

    /**
     * @param classes the head's class names, in its output order
     */
    public static Classifier assemble(ConvChain chain, FeatureMode mode, LogisticHead head, List<String> classes) {
        long d = mode.features(chain.outputShape());
        if (head.features() != d) {
            throw new IllegalArgumentException("the head takes " + head.features() + " features, the chain's "
                    + mode.key() + " features are " + d);
        }
        if (classes.size() != head.classes()) {
            throw new IllegalArgumentException(classes.size() + " class names for a head of " + head.classes() + " classes");
        }
        MultiLayerNetwork source = chain.network();
        InputShape in = chain.input();
        // every weight is copied in; a fixed seed keeps DL4J from writing the current time into the model file
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(0)
                .dataType(DataType.FLOAT)
                .list();
        int chainLayers = source.getnLayers();
        for (int i = 0; i < chainLayers; i++) {
            list.layer(source.getLayerWiseConfigurations().getConf(i).getLayer().clone());
        }
        if (mode == FeatureMode.AVERAGE) {
            list.layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).poolingDimensions(2, 3)
                    .collapseDimensions(true).name("features").build());
        }
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("head")
                .nIn(d).nOut(head.classes()).activation(Activation.SOFTMAX).build());
        list.setInputType(InputType.convolutional(in.height(), in.width(), in.channels(), CNN2DFormat.NCHW));
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        for (int i = 0; i < chainLayers; i++) {
            for (Map.Entry<String, INDArray> p : source.getLayer(i).paramTable().entrySet()) {
                // params are views into the network's one flat buffer: assign in place
                net.getLayer(i).paramTable().get(p.getKey()).assign(p.getValue());
            }
        }
        org.deeplearning4j.nn.api.Layer output = net.getLayer(net.getnLayers() - 1);
        double[][] w = head.rawCoefficients(); // [k][d]; DL4J's dense W is [nIn, nOut] = [d, k]
        output.getParam("W").assign(Nd4j.create(w).transpose().castTo(DataType.FLOAT));
        output.getParam("b").assign(Nd4j.create(head.rawIntercepts()).reshape(1, head.classes()).castTo(DataType.FLOAT));
        return new Classifier(net, classes);
    }

    public MultiLayerNetwork network() {
        return network;
    }

    /** Class names in output order. */
    public List<String> classes() {
        return classes;
    }

    /** Class probabilities [n, k] of a batch of NCHW images, preprocessed as for the backbone. */
    public INDArray probabilities(INDArray images) {
        return network.output(images, false);
    }

    /** The model file's bytes: DL4J's model zip plus the class names as a text entry (any file system can hold them). */
    public byte[] toBytes() {
        try {
            Path tmp = Files.createTempFile("ftl-classifier", ".zip");
            try {
                ModelSerializer.writeModel(network, tmp.toFile(), false);
                try (FileSystem zip = FileSystems.newFileSystem(tmp)) {
                    Files.writeString(zip.getPath(CLASSES_ENTRY), String.join("\n", classes) + "\n", StandardCharsets.UTF_8);
                }
                return Files.readAllBytes(tmp);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot serialise the classifier: " + e.getMessage(), e);
        }
    }

    public void save(Path file) {
        AtomicFiles.write(file, toBytes());
    }

    /**
     * Reads a classifier file as data only ({@link ModelZip}: no Java deserialisation, unsafe entry names
     * refused); a file that is not one is an {@link FtlError} naming it.
     */
    public static Classifier load(Path file) {
        Map<String, byte[]> entries = ModelZip.entries(file);
        MultiLayerNetwork net = ModelZip.network(entries, file.toString());
        byte[] names = entries.get(CLASSES_ENTRY);
        if (names == null) {
            throw new FtlError(file + ": a DL4J model without FTL's class names (" + CLASSES_ENTRY + ")");
        }
        List<String> classes = new String(names, StandardCharsets.UTF_8).lines().filter(l -> !l.isEmpty()).toList();
        long outputs;
        try {
            outputs = net.getLayer(net.getnLayers() - 1).getParam("b").length();
        } catch (RuntimeException e) {
            throw new FtlError(file + ": not an FTL classifier (its last layer has no bias): " + e.getMessage(), e);
        }
        if (classes.size() != outputs) {
            throw new FtlError(file + ": " + classes.size() + " class names for a model with " + outputs + " outputs");
        }
        return new Classifier(net, classes);
    }
}
