package org.ftl.backbone;

import org.bytedeco.hdf5.Group;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.ftl.FtlError;
import org.ftl.data.InputShape;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Keras' VGG16 weights read layer by layer into the built-in {@link Architecture#VGG16}: Keras ships them without a
 * model config ({@code save_weights}), so DL4J's Keras import cannot build them; the network is FTL's own and only
 * the numbers come from the file.
 *
 * <p>Each layer's datasets are found through the group's {@code weight_names} attribute (Keras 2 nests
 * them: {@code block1_conv1/block1_conv1/kernel:0}; the original Keras 1 file has
 * {@code block1_conv1_W_1:0} directly in the group), or by walking the group when the attribute is
 * absent; the 4-d one is the kernel, {@code [kH, kW, in, out]} (TensorFlow ordering), the 1-d one the bias.
 * Kernels are transposed to DL4J's {@code [out, in, kH, kW]}. A whole-model file's {@code model_weights}
 * group is read the same way.
 */
final class KerasVgg16Weights {
    private static final String WEIGHTS_FILE = "a Keras VGG16 weights file such as "
            + "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5 (model.save_weights)";

    private KerasVgg16Weights() {
    }

    /** See {@link KerasImport#importVgg16Weights}. */
    static MultiLayerNetwork load(Path weightsH5, InputShape inputShape) {
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
}
