package org.ftl.backbone;

import org.bytedeco.hdf5.Attribute;
import org.bytedeco.hdf5.DataSet;
import org.bytedeco.hdf5.DataSpace;
import org.bytedeco.hdf5.Group;
import org.bytedeco.hdf5.H5File;
import org.bytedeco.hdf5.H5Object;
import org.bytedeco.hdf5.PredType;
import org.bytedeco.hdf5.StrType;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.bytedeco.hdf5.global.hdf5.H5F_ACC_TRUNC;
import static org.bytedeco.hdf5.global.hdf5.H5S_SCALAR;
import static org.bytedeco.hdf5.global.hdf5.H5T_STR_NULLPAD;
import static org.bytedeco.hdf5.global.hdf5.H5T_VARIABLE;

/**
 * Writes HDF5 files laid out as Keras 2.x (tf.keras, h5py) writes them, for the import tests.
 *
 * <p>{@code model.save("m.h5")}: root attributes {@code keras_version} and {@code backend} as variable-length
 * strings (h5py stores a Python str so), {@code model_config} as a fixed-length byte string (Keras encodes the
 * JSON to bytes); group {@code model_weights} with fixed-length {@code layer_names}, {@code backend},
 * {@code keras_version}, and one group per layer (sorted by name) whose {@code weight_names} lists its datasets
 * by TensorFlow variable name ({@code conv2d/kernel:0}), which h5py turns into nested groups. A layer without
 * weights gets an empty {@code weight_names} (h5py writes {@code []} as a float64 array of length 0).
 * {@code model.save_weights("w.h5")} is the {@code model_weights} group's content at the root.
 *
 * <p>Every native HDF5 object is closed here, under DL4J's lock: one left to JavaCPP's deallocator thread is
 * closed there, concurrently with this thread's HDF5 calls, and the (not thread-safe) library crashes the JVM.
 */
public final class KerasFiles {
    /** One layer's weights, by TF variable name, in Keras' order (kernel, bias), Keras layout. */
    record LayerWeights(String layer, Map<String, INDArray> weights) {
        static LayerWeights none(String layer) {
            return new LayerWeights(layer, Map.of());
        }

        static LayerWeights kernelBias(String layer, String prefix, INDArray kernel, INDArray bias) {
            Map<String, INDArray> w = new LinkedHashMap<>();
            w.put(prefix + "/kernel:0", kernel);
            w.put(prefix + "/bias:0", bias);
            return new LayerWeights(layer, w);
        }
    }

    private KerasFiles() {
    }

    /**
     * A small Keras Sequential model with random weights, as tests elsewhere need a Keras backbone: SIZE×SIZE×3 →
     * conv 3×3 (8, relu) → max-pool 2×2 → conv 3×3 (12, relu) → flatten → dense 2 (softmax).
     */
    public static void smallSequential(Path file, int size, long seed) {
        org.nd4j.linalg.factory.Nd4j.getRandom().setSeed(seed);
        int map = (size - 2) / 2 - 2;
        INDArray k1 = org.nd4j.linalg.factory.Nd4j.rand(DataType.FLOAT, 3, 3, 3, 8).subi(0.5).muli(0.2);
        INDArray k2 = org.nd4j.linalg.factory.Nd4j.rand(DataType.FLOAT, 3, 3, 8, 12).subi(0.5).muli(0.2);
        INDArray kd = org.nd4j.linalg.factory.Nd4j.rand(DataType.FLOAT, map * map * 12, 2).subi(0.5).muli(0.01);
        List<LayerWeights> w = List.of(
                LayerWeights.kernelBias("conv2d", "conv2d", k1, org.nd4j.linalg.factory.Nd4j.rand(DataType.FLOAT, 8).subi(0.5)),
                LayerWeights.none("max_pooling2d"),
                LayerWeights.kernelBias("conv2d_1", "conv2d_1", k2, org.nd4j.linalg.factory.Nd4j.rand(DataType.FLOAT, 12).subi(0.5)),
                LayerWeights.none("flatten"),
                LayerWeights.kernelBias("dense", "dense", kd, org.nd4j.linalg.factory.Nd4j.rand(DataType.FLOAT, 2)));
        writeModel(file, KerasJson.sequential("[null, " + size + ", " + size + ", 3]", KerasJson.conv2d("conv2d", 8, 3, "relu"),
                KerasJson.maxPool("max_pooling2d"), KerasJson.conv2d("conv2d_1", 12, 3, "relu"), KerasJson.flatten("flatten"),
                KerasJson.dense("dense", 2, "softmax")), w);
    }

    public static void writeModel(Path file, String modelConfigJson, List<LayerWeights> layers) {
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            H5File f = new H5File(file.toString(), H5F_ACC_TRUNC());
            try {
                variableString(f, "keras_version", "2.4.0");
                variableString(f, "backend", "tensorflow");
                fixedString(f, "model_config", modelConfigJson);
                Group weights = f.createGroup("model_weights");
                writeWeightGroups(weights, layers);
                weights.close();
            } finally {
                f.close();
            }
        }
    }

    /** As {@code model.save_weights}: the weight groups at the root. */
    static void writeWeights(Path file, List<LayerWeights> layers) {
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            H5File f = new H5File(file.toString(), H5F_ACC_TRUNC());
            try {
                writeWeightGroups(f, layers);
            } finally {
                f.close();
            }
        }
    }

    /** An HDF5 file with one dataset and no Keras attributes at all. */
    static void writePlainHdf5(Path file) {
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            H5File f = new H5File(file.toString(), H5F_ACC_TRUNC());
            try {
                dataset(f, "data", org.nd4j.linalg.factory.Nd4j.ones(DataType.FLOAT, 3));
            } finally {
                f.close();
            }
        }
    }

    private static void writeWeightGroups(Group root, List<LayerWeights> layers) {
        fixedStrings(root, "layer_names", layers.stream().map(LayerWeights::layer).toList());
        fixedString(root, "backend", "tensorflow");
        fixedString(root, "keras_version", "2.4.0");
        List<LayerWeights> sorted = new ArrayList<>(layers);
        sorted.sort((a, b) -> a.layer().compareTo(b.layer()));
        for (LayerWeights l : sorted) {
            Group g = root.createGroup(l.layer());
            if (l.weights().isEmpty()) {
                emptyFloatArray(g, "weight_names");
            } else {
                fixedStrings(g, "weight_names", new ArrayList<>(l.weights().keySet()));
            }
            for (Map.Entry<String, INDArray> w : l.weights().entrySet()) {
                dataset(g, w.getKey(), w.getValue());
            }
            g.close();
        }
    }

    /** A float32 dataset at a path below {@code g}, creating the groups on the way as h5py does. */
    private static void dataset(Group g, String path, INDArray values) {
        String[] parts = path.split("/");
        List<Group> opened = new ArrayList<>();
        Group at = g;
        for (int i = 0; i < parts.length - 1; i++) {
            at = at.nameExists(parts[i]) ? at.openGroup(parts[i]) : at.createGroup(parts[i]);
            opened.add(at);
        }
        DataSpace space = new DataSpace(values.rank(), values.shape());
        DataSet ds = at.createDataSet(parts[parts.length - 1], PredType.IEEE_F32LE(), space);
        float[] data = values.castTo(DataType.FLOAT).dup('c').data().asFloat();
        ds.write(new FloatPointer(data), PredType.NATIVE_FLOAT());
        ds.close();
        space.close();
        for (Group o : opened) {
            o.close();
        }
    }

    private static void variableString(H5Object on, String name, String value) {
        StrType type = new StrType(PredType.C_S1(), H5T_VARIABLE());
        DataSpace space = new DataSpace(H5S_SCALAR);
        Attribute a = on.createAttribute(name, type, space);
        a.write(type, value);
        a.close();
        space.close();
        type.close();
    }

    private static void fixedString(H5Object on, String name, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        StrType type = new StrType(PredType.C_S1(), Math.max(1, bytes.length));
        type.setStrpad(H5T_STR_NULLPAD);
        DataSpace space = new DataSpace(H5S_SCALAR);
        Attribute a = on.createAttribute(name, type, space);
        a.write(type, new BytePointer(bytes));
        a.close();
        space.close();
        type.close();
    }

    /** A numpy 'S&lt;n&gt;' array: every string null-padded to the longest one's length. */
    private static void fixedStrings(H5Object on, String name, List<String> values) {
        int width = Math.max(1, values.stream().mapToInt(v -> v.getBytes(StandardCharsets.UTF_8).length).max().orElse(1));
        byte[] all = new byte[width * values.size()];
        for (int i = 0; i < values.size(); i++) {
            byte[] b = values.get(i).getBytes(StandardCharsets.UTF_8);
            System.arraycopy(b, 0, all, i * width, b.length);
        }
        StrType type = new StrType(PredType.C_S1(), width);
        type.setStrpad(H5T_STR_NULLPAD);
        DataSpace space = new DataSpace(1, new long[] {values.size()});
        Attribute a = on.createAttribute(name, type, space);
        a.write(type, new BytePointer(all));
        a.close();
        space.close();
        type.close();
    }

    private static void emptyFloatArray(H5Object on, String name) {
        DataSpace space = new DataSpace(1, new long[] {0});
        Attribute a = on.createAttribute(name, PredType.IEEE_F64LE(), space);
        a.close();
        space.close();
    }
}
