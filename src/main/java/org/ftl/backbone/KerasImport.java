package org.ftl.backbone;

import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.ftl.FtlError;
import org.ftl.data.InputShape;

import java.nio.file.Path;

/**
 * Keras HDF5 backbones as DL4J networks: whole models ({@code model.save("m.h5")}) and VGG16's weights-only
 * ImageNet file ({@code save_weights}) loaded into the built-in {@link Architecture#VGG16}.
 *
 * <p>The entry point for {@link Backbones}; the work is split by job: {@link KerasModelConfig} reads and repairs
 * a whole model's config so DL4J can build it, {@link GraphToChain} turns a functional model's graph into a chain,
 * {@link KerasVgg16Weights} reads a weights-only file.
 */
public final class KerasImport {
    /** What a Keras HDF5 file holds. */
    public enum Contents {
        /** A whole model: {@code model_config} plus {@code model_weights} ({@code model.save}). */
        MODEL,
        /** Weights only, one group per layer at the root ({@code model.save_weights}, Keras' application weights). */
        WEIGHTS
    }

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
        KerasModelConfig model = KerasModelConfig.read(h5);
        String kind = model.kind();
        return switch (kind) {
            case "Sequential" -> {
                model.fitSequentialInputShape(inputShape);
                yield model.buildSequential();
            }
            case "Model", "Functional" -> {
                model.fitFunctionalInputShape(inputShape);
                String finalFlatten = model.neutralizeFinalFlatten();
                yield GraphToChain.chainOf(h5, model.buildGraph(), finalFlatten);
            }
            default -> throw new FtlError(h5 + ": model_config is a '" + kind
                    + "'; expected a Keras Sequential or functional model");
        };
    }

    /**
     * VGG16's Keras weights (one group per layer, {@code block1_conv1} … {@code block5_conv3}; the top
     * {@code fc1}/{@code fc2}/{@code predictions} groups of the with-top file are ignored) in the built-in
     * {@link Architecture#VGG16} conv part at full width, channel-first (NCHW input {@code [n, c, h, w]}).
     * A whole-model file's {@code model_weights} group is read the same way.
     *
     * <p>These weights were trained on Caffe-style inputs: BGR channel order, ImageNet mean subtracted, no
     * scaling. Use them with {@link org.ftl.data.Preprocessing#IMAGENET_CAFFE}.
     *
     * @param inputShape at least 32×32 (five 2×2 poolings), 3 channels for the ImageNet weights
     * @throws FtlError naming the file: not HDF5, a missing layer, a shape mismatch (naming the layer and
     *                  both shapes)
     */
    public static MultiLayerNetwork importVgg16Weights(Path weightsH5, InputShape inputShape) {
        return KerasVgg16Weights.load(weightsH5, inputShape);
    }
}
