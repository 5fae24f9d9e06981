package org.ftl.infer;

import onnx.Onnx;
import org.nd4j.shade.protobuf.ByteString;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small builder for one ONNX graph through ONNX's own generated schema ({@code onnx.Onnx}, shipped in ND4J's API
 * jar): nodes in order, weights as float32 initialisers, one float32 NCHW input whose batch dimension is dynamic
 * ({@code N}), and one output. Names of intermediate values are made here ({@link #next}), so callers only say
 * which value feeds which node.
 */
public final class OnnxGraph {
    /** ONNX's default operator set this graph is written against; ONNX Runtime 1.20 runs up to 21. */
    public static final int OPSET = 13;
    /** IR version 7 is what opset 13 came with; every ONNX Runtime since 1.8 reads it. */
    static final long IR_VERSION = 7;
    /** The dimension name of the batch: any number of images per call. */
    public static final String BATCH = "N";

    private final Onnx.GraphProto.Builder graph;
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private int counter;

    /**
     * @param name  the graph's name
     * @param input the input's name; its shape is [N, channels, height, width]
     */
    public OnnxGraph(String name, String input, long channels, long height, long width) {
        graph = Onnx.GraphProto.newBuilder();
        graph.setName(name);
        graph.addInput(valueInfo(input, List.of(channels, height, width)));
    }

    private Onnx.ModelProto.Builder model; // set when extending a model read back

    /** A model read back (e.g. a feature graph) to add nodes to; its counter starts past its own nodes. */
    static OnnxGraph extend(Onnx.ModelProto.Builder model) {
        OnnxGraph g = new OnnxGraph(model.getGraph().toBuilder());
        g.model = model;
        g.counter = model.getGraph().getNodeCount();
        for (Onnx.StringStringEntryProto e : model.getMetadataPropsList()) {
            g.metadata.put(e.getKey(), e.getValue());
        }
        return g;
    }

    private OnnxGraph(Onnx.GraphProto.Builder graph) {
        this.graph = graph;
    }

    /** The bytes of an extended model, its producer and documentation as they were. */
    byte[] toBytes() {
        if (model == null) {
            throw new IllegalStateException("a new graph is written with toBytes(version, doc)");
        }
        model.setGraph(graph).clearMetadataProps();
        metadata.forEach((k, v) -> model.addMetadataProps(Onnx.StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return model.build().toByteArray();
    }

    /** A fresh name for an intermediate value, readable in Netron and in ONNX Runtime's messages. */
    public String next(String what) {
        return what + "_" + (++counter);
    }

    /** Adds a float32 weight of this shape (values in row-major order) and returns its name. */
    public String weight(String name, float[] values, long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        if (n != values.length) {
            throw new IllegalArgumentException(name + ": " + values.length + " values for shape " + java.util.Arrays.toString(shape));
        }
        ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        Onnx.TensorProto.Builder t = Onnx.TensorProto.newBuilder().setName(name)
                .setDataType(Onnx.TensorProto.DataType.FLOAT_VALUE).setRawData(ByteString.copyFrom(bytes.array()));
        for (long d : shape) {
            t.addDims(d);
        }
        graph.addInitializer(t);
        return name;
    }

    /** Adds an int64 constant (shapes, pads, indices) and returns its name. */
    public String int64s(String name, long... values) {
        ByteBuffer bytes = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asLongBuffer().put(values);
        graph.addInitializer(Onnx.TensorProto.newBuilder().setName(name).setDataType(Onnx.TensorProto.DataType.INT64_VALUE)
                .addDims(values.length).setRawData(ByteString.copyFrom(bytes.array())));
        return name;
    }

    /** A node of ONNX's default domain; returns its output's name (made fresh from the operator's name). */
    public String node(String op, List<String> inputs, Attribute... attributes) {
        String out = next(op.toLowerCase(java.util.Locale.ROOT));
        Onnx.NodeProto.Builder n = Onnx.NodeProto.newBuilder().setOpType(op).setName(out).addAllInput(inputs).addOutput(out);
        for (Attribute a : attributes) {
            n.addAttribute(a.proto);
        }
        graph.addNode(n);
        return out;
    }

    /**
     * Makes {@code value}, the output of the last node added, the graph's output under {@code name}, of shape
     * [N, dims…] (renamed in place: no Identity node a runtime would have to remove).
     */
    public void output(String value, String name, List<Long> dims) {
        int last = graph.getNodeCount() - 1;
        if (last < 0 || !graph.getNode(last).getOutput(0).equals(value)) {
            throw new IllegalArgumentException(value + " is not the output of the graph's last node");
        }
        graph.getNodeBuilder(last).setOutput(0, name);
        graph.addOutput(valueInfo(name, dims));
    }

    /** A key–value pair every ONNX runtime shows (ONNX Runtime: {@code OrtSession.getMetadata()}). */
    public void metadata(String key, String value) {
        metadata.put(key, value);
    }

    /** The model file's bytes. */
    public byte[] toBytes(String producerVersion, String doc) {
        Onnx.ModelProto.Builder m = Onnx.ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setProducerName("ftl")
                .setProducerVersion(producerVersion)
                .setDocString(doc)
                .setGraph(graph);
        metadata.forEach((k, v) -> m.addMetadataProps(Onnx.StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return m.build().toByteArray();
    }

    private static Onnx.ValueInfoProto valueInfo(String name, List<Long> dims) {
        Onnx.TensorShapeProto.Builder shape = Onnx.TensorShapeProto.newBuilder()
                .addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimParam(BATCH));
        for (long d : dims) {
            shape.addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return Onnx.ValueInfoProto.newBuilder().setName(name)
                .setType(Onnx.TypeProto.newBuilder().setTensorType(Onnx.TypeProto.Tensor.newBuilder()
                        .setElemType(Onnx.TensorProto.DataType.FLOAT_VALUE).setShape(shape)))
                .build();
    }

    /** A node attribute. */
    public static final class Attribute {
        private final Onnx.AttributeProto proto;

        private Attribute(Onnx.AttributeProto proto) {
            this.proto = proto;
        }

        public static Attribute ints(String name, long... values) {
            List<Long> v = new ArrayList<>();
            for (long x : values) {
                v.add(x);
            }
            return new Attribute(Onnx.AttributeProto.newBuilder().setName(name)
                    .setType(Onnx.AttributeProto.AttributeType.INTS).addAllInts(v).build());
        }

        public static Attribute ints(String name, int... values) {
            long[] v = new long[values.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = values[i];
            }
            return ints(name, v);
        }

        public static Attribute integer(String name, long value) {
            return new Attribute(Onnx.AttributeProto.newBuilder().setName(name)
                    .setType(Onnx.AttributeProto.AttributeType.INT).setI(value).build());
        }

        public static Attribute real(String name, float value) {
            return new Attribute(Onnx.AttributeProto.newBuilder().setName(name)
                    .setType(Onnx.AttributeProto.AttributeType.FLOAT).setF(value).build());
        }
    }
}
