package org.ftl.backbone;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.ftl.FtlError;
import org.ftl.backbone.KerasFiles.LayerWeights;
import org.ftl.data.InputShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.ftl.backbone.KerasJson.conv2d;
import static org.ftl.backbone.KerasJson.dense;
import static org.ftl.backbone.KerasJson.flatten;
import static org.ftl.backbone.KerasJson.functional;
import static org.ftl.backbone.KerasJson.input;
import static org.ftl.backbone.KerasJson.maxPool;
import static org.ftl.backbone.KerasJson.node;
import static org.ftl.backbone.KerasJson.separableConv2d;
import static org.ftl.backbone.KerasJson.sequential;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KerasImportTest {
    private static final InputShape IN = new InputShape(16, 16, 3);
    private static final String[] LAYERS = {conv2d("conv2d", 4, 3, "relu"), maxPool("max_pooling2d"),
            conv2d("conv2d_1", 6, 3, "linear"), flatten("flatten"), dense("dense", 2, "softmax")};

    /** The small model's weights in Keras' layouts: 16×16×3 → conv 3×3 (4) → pool → conv 3×3 (6) → 5·5·6 → dense 2. */
    private record Small(INDArray k1, INDArray b1, INDArray k2, INDArray b2, INDArray kd, INDArray bd) {
        static Small random(long seed) {
            Nd4j.getRandom().setSeed(seed);
            return new Small(Nd4j.rand(DataType.FLOAT, 3, 3, 3, 4).subi(0.5), Nd4j.rand(DataType.FLOAT, 4).subi(0.5),
                    Nd4j.rand(DataType.FLOAT, 3, 3, 4, 6).subi(0.5), Nd4j.rand(DataType.FLOAT, 6).subi(0.5),
                    Nd4j.rand(DataType.FLOAT, 150, 2).subi(0.5).muli(0.1), Nd4j.rand(DataType.FLOAT, 2).subi(0.5));
        }

        List<LayerWeights> layers(boolean withInputGroup) {
            List<LayerWeights> l = new ArrayList<>();
            if (withInputGroup) {
                l.add(LayerWeights.none("input_1"));
            }
            l.add(LayerWeights.kernelBias("conv2d", "conv2d", k1, b1));
            l.add(LayerWeights.none("max_pooling2d"));
            l.add(LayerWeights.kernelBias("conv2d_1", "conv2d_1", k2, b2));
            l.add(LayerWeights.none("flatten"));
            l.add(LayerWeights.kernelBias("dense", "dense", kd, bd));
            return l;
        }

        /** Keras' conv-part output (NHWC) and the model's output, computed independently of DL4J. */
        INDArray convPart(INDArray nhwc) {
            return KerasReference.conv(KerasReference.maxPool(KerasReference.conv(nhwc, k1, b1, 0, true)), k2, b2, 0, false);
        }

        INDArray output(INDArray nhwc) {
            return KerasReference.flattenDenseSoftmax(convPart(nhwc), kd, bd);
        }
    }

    private static INDArray nhwc(int n, InputShape in, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.FLOAT, n, in.height(), in.width(), in.channels()).subi(0.5).muli(4);
    }

    private static Path sequentialWithoutInputLayer(Path dir, Small w) {
        Path file = dir.resolve("no-input-layer.h5");
        KerasFiles.writeModel(file, sequential("[null, 16, 16, 3]", LAYERS), w.layers(false));
        return file;
    }

    private static Path sequentialWithInputLayer(Path dir, Small w) {
        List<String> layers = new ArrayList<>(List.of(LAYERS));
        layers.add(0, input("input_1", "[null, 16, 16, 3]"));
        Path file = dir.resolve("input-layer.h5");
        KerasFiles.writeModel(file, sequential(null, layers.toArray(String[]::new)), w.layers(false));
        return file;
    }

    private static void assertClose(INDArray expected, INDArray actual, double eps) {
        assertArrayEquals(expected.shape(), actual.shape());
        double diff = expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        assertTrue(diff <= eps * Math.max(1, expected.amaxNumber().doubleValue()), "max difference " + diff);
    }

    /** The imported network reproduces Keras: its conv part (layer 2's output) and its softmax output. */
    private static void assertComputesWhatKerasDoes(MultiLayerNetwork net, Small w) {
        INDArray x = nhwc(3, IN, 42);
        INDArray convPart = net.feedForwardToLayer(2, x, false).get(3);
        assertClose(w.convPart(x), convPart, 1e-5);
        assertClose(w.output(x), net.output(x, false), 1e-5);
    }

    @Test
    void sequentialWithoutInputLayerImportsAndComputesWhatKerasDoes(@TempDir Path dir) {
        Small w = Small.random(1);
        MultiLayerNetwork net = KerasImport.importModel(sequentialWithoutInputLayer(dir, w), IN);
        assertEquals(4, net.getnLayers()); // conv, pool, conv, dense (flatten is dense's preprocessor)
        assertComputesWhatKerasDoes(net, w);
    }

    @Test
    void sequentialWithInputLayerImportsAndComputesWhatKerasDoes(@TempDir Path dir) {
        Small w = Small.random(2);
        MultiLayerNetwork net = KerasImport.importModel(sequentialWithInputLayer(dir, w), IN);
        assertComputesWhatKerasDoes(net, w);
        assertEquals(KerasImport.Contents.MODEL, KerasImport.contents(dir.resolve("input-layer.h5")));
    }

    @Test
    void convChainOfAnImportIsItsNhwcConvPartChannelFirst(@TempDir Path dir) {
        Small w = Small.random(3);
        MultiLayerNetwork net = KerasImport.importModel(sequentialWithoutInputLayer(dir, w), IN);
        ConvChain chain = ConvChain.of(net, IN);
        assertArrayEquals(new int[] {4, 6}, chain.filterCounts());
        assertEquals("conv2d", chain.blocks().get(0).name());
        assertArrayEquals(new long[] {6, 5, 5}, chain.outputShape());
        INDArray x = nhwc(2, IN, 43);
        INDArray own = net.feedForwardToLayer(2, x, false).get(3);           // [n, h, w, c]
        INDArray chainFirst = chain.output(x.permute(0, 3, 1, 2).dup('c'));  // [n, c, h, w]
        assertClose(own.permute(0, 3, 1, 2), chainFirst, 1e-6);
        assertEquals(4 * 27 + 4 + 6 * 36 + 6, chain.parameters());
    }

    /**
     * ConvChain relabels NHWC conv layers NCHW and keeps their weights; that is right only if DL4J holds
     * conv weights as [out, in, kH, kW] in both layouts. Checked against the loops, with an asymmetric kernel.
     */
    @Test
    void dl4jHoldsConvWeightsOutInKhKwInBothLayouts() {
        Nd4j.getRandom().setSeed(5);
        INDArray w = Nd4j.rand(DataType.FLOAT, 5, 3, 3, 2).subi(0.5);     // [out, in, kH, kW], kH ≠ kW
        INDArray b = Nd4j.rand(DataType.FLOAT, 5);
        INDArray x = nhwc(2, new InputShape(7, 6, 3), 6);
        INDArray expected = KerasReference.conv(x, w.permute(2, 3, 1, 0), b, 0, false);
        for (CNN2DFormat format : CNN2DFormat.values()) {
            MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).list()
                    .layer(new ConvolutionLayer.Builder(3, 2).nOut(5).activation(Activation.IDENTITY).dataFormat(format).build())
                    .setInputType(InputType.convolutional(7, 6, 3, format)).build());
            net.init();
            assertArrayEquals(new long[] {5, 3, 3, 2}, net.getLayer(0).getParam("W").shape(), format.name());
            net.getLayer(0).getParam("W").assign(w);
            net.getLayer(0).getParam("b").assign(b.reshape(net.getLayer(0).getParam("b").shape()));
            INDArray out = format == CNN2DFormat.NHWC ? net.output(x) : net.output(x.permute(0, 3, 1, 2).dup('c')).permute(0, 2, 3, 1);
            assertClose(expected, out, 1e-5);
        }
    }

    @Test
    void functionalChainIsImportedAsAMultiLayerNetwork(@TempDir Path dir) {
        Small w = Small.random(7);
        Path file = dir.resolve("functional.h5");
        KerasFiles.writeModel(file, functional("input_1", "dense",
                node(input("input_1", "[null, 16, 16, 3]"), "input_1"),
                node(LAYERS[0], "conv2d", "input_1"),
                node(LAYERS[1], "max_pooling2d", "conv2d"),
                node(LAYERS[2], "conv2d_1", "max_pooling2d"),
                node(LAYERS[3], "flatten", "conv2d_1"),
                node(LAYERS[4], "dense", "flatten")), w.layers(true));
        MultiLayerNetwork net = KerasImport.importModel(file, IN);
        assertComputesWhatKerasDoes(net, w);
        assertArrayEquals(new int[] {4, 6}, ConvChain.of(net, IN).filterCounts());
    }

    /** DL4J leaves a Sequential model's final Flatten out; a functional model's is left out the same way. */
    @Test
    void aFinalFlattenIsLeftOutOfSequentialAndFunctionalModels(@TempDir Path dir) {
        Nd4j.getRandom().setSeed(17);
        INDArray k = Nd4j.rand(DataType.FLOAT, 3, 3, 3, 4).subi(0.5);
        INDArray b = Nd4j.rand(DataType.FLOAT, 4);
        List<LayerWeights> weights = List.of(LayerWeights.none("input_1"), LayerWeights.kernelBias("conv2d", "conv2d", k, b),
                LayerWeights.none("flatten"));
        Path seq = dir.resolve("sequential-features.h5");
        KerasFiles.writeModel(seq, sequential("[null, 16, 16, 3]", conv2d("conv2d", 4, 3, "relu"), flatten("flatten")),
                weights.subList(1, 3));
        Path fun = dir.resolve("functional-features.h5");
        KerasFiles.writeModel(fun, functional("input_1", "flatten",
                node(input("input_1", "[null, 16, 16, 3]"), "input_1"),
                node(conv2d("conv2d", 4, 3, "relu"), "conv2d", "input_1"),
                node(flatten("flatten"), "flatten", "conv2d")), weights);
        INDArray x = nhwc(2, IN, 18);
        INDArray expected = KerasReference.conv(x, k, b, 0, true);
        for (Path file : List.of(seq, fun)) {
            MultiLayerNetwork net = KerasImport.importModel(file, IN);
            assertEquals(1, net.getnLayers(), file.toString());
            assertClose(expected, net.output(x), 1e-5);
        }
    }

    @Test
    void keras20SequentialConfigAsABareListImports(@TempDir Path dir) {
        Small w = Small.random(19);
        Path file = dir.resolve("keras-2.0.h5");
        KerasFiles.writeModel(file, KerasJson.sequentialAsList("[null, 16, 16, 3]", LAYERS), w.layers(false));
        assertComputesWhatKerasDoes(KerasImport.importModel(file, IN), w);
        FtlError e = assertThrows(FtlError.class, () -> KerasImport.importModel(file, new InputShape(16, 17, 3)));
        assertTrue(e.getMessage().contains("[null,16,16,3]"), e.getMessage());
    }

    @Test
    void functionalBranchIsRefusedNamingTheLayer(@TempDir Path dir) {
        Nd4j.getRandom().setSeed(8);
        Path file = dir.resolve("branch.h5");
        List<LayerWeights> weights = List.of(LayerWeights.none("input_1"),
                LayerWeights.kernelBias("conv2d", "conv2d", Nd4j.rand(DataType.FLOAT, 3, 3, 3, 4), Nd4j.rand(DataType.FLOAT, 4)),
                LayerWeights.kernelBias("conv2d_1", "conv2d_1", Nd4j.rand(DataType.FLOAT, 1, 1, 4, 4), Nd4j.rand(DataType.FLOAT, 4)),
                LayerWeights.kernelBias("conv2d_2", "conv2d_2", Nd4j.rand(DataType.FLOAT, 1, 1, 4, 4), Nd4j.rand(DataType.FLOAT, 4)),
                LayerWeights.none("add"));
        KerasFiles.writeModel(file, functional("input_1", "add",
                node(input("input_1", "[null, 16, 16, 3]"), "input_1"),
                node(conv2d("conv2d", 4, 3, "relu"), "conv2d", "input_1"),
                node(conv2d("conv2d_1", 4, 1, "relu"), "conv2d_1", "conv2d"),
                node(conv2d("conv2d_2", 4, 1, "relu"), "conv2d_2", "conv2d"),
                node(KerasJson.add("add"), "add", "conv2d_1", "conv2d_2")), weights);
        FtlError e = assertThrows(FtlError.class, () -> KerasImport.importModel(file, IN));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("not a straight chain: layer 'conv2d' (ConvolutionLayer) feeds 2 layers"), e.getMessage());
    }

    @Test
    void aFileThatIsNotHdf5IsRefusedNamingIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("model.h5");
        Files.writeString(file, "{\"class_name\": \"Sequential\"}");
        FtlError e = assertThrows(FtlError.class, () -> KerasImport.importModel(file, IN));
        assertEquals(file + ": not an HDF5 file; expected a Keras model saved as HDF5 (model.save(\"model.h5\"))", e.getMessage());
        FtlError w = assertThrows(FtlError.class, () -> KerasImport.importVgg16Weights(file, new InputShape(32, 32, 3)));
        assertTrue(w.getMessage().startsWith(file + ": not an HDF5 file; expected a Keras VGG16 weights file"), w.getMessage());
        FtlError missing = assertThrows(FtlError.class, () -> KerasImport.importModel(dir.resolve("absent.h5"), IN));
        assertTrue(missing.getMessage().startsWith(dir.resolve("absent.h5") + ": no such file"), missing.getMessage());
    }

    @Test
    void hdf5WithoutModelConfigIsRefusedNamingIt(@TempDir Path dir) {
        Path plain = dir.resolve("plain.h5");
        KerasFiles.writePlainHdf5(plain);
        FtlError e = assertThrows(FtlError.class, () -> KerasImport.importModel(plain, IN));
        assertTrue(e.getMessage().startsWith(plain + ": an HDF5 file without a model_config attribute"), e.getMessage());
        assertEquals(KerasImport.Contents.WEIGHTS, KerasImport.contents(plain));
    }

    @Test
    void aDeclaredInputShapeThatDisagreesIsRefusedNamingBothShapes(@TempDir Path dir) {
        Small w = Small.random(9);
        Path withInput = sequentialWithInputLayer(dir, w);
        FtlError e = assertThrows(FtlError.class, () -> KerasImport.importModel(withInput, new InputShape(20, 20, 3)));
        assertTrue(e.getMessage().startsWith(withInput + ": the model takes input [null,16,16,3]"), e.getMessage());
        assertTrue(e.getMessage().contains("the input shape is 20,20,3"), e.getMessage());
        // without an InputLayer Keras still records the shape the model was built for
        Path noInput = sequentialWithoutInputLayer(dir, w);
        FtlError grey = assertThrows(FtlError.class, () -> KerasImport.importModel(noInput, new InputShape(16, 16, 1)));
        assertTrue(grey.getMessage().contains("[null,16,16,3]") && grey.getMessage().contains("16,16,1"), grey.getMessage());
    }

    @Test
    void openHeightAndWidthAreTakenFromTheInputShape(@TempDir Path dir) {
        Nd4j.getRandom().setSeed(10);
        INDArray k = Nd4j.rand(DataType.FLOAT, 3, 3, 3, 4).subi(0.5);
        INDArray b = Nd4j.rand(DataType.FLOAT, 4);
        Path file = dir.resolve("fully-conv.h5");
        KerasFiles.writeModel(file, sequential(null, input("input_1", "[null, null, null, 3]"), conv2d("conv2d", 4, 3, "relu")),
                List.of(LayerWeights.kernelBias("conv2d", "conv2d", k, b)));
        InputShape in = new InputShape(12, 10, 3);
        MultiLayerNetwork net = KerasImport.importModel(file, in);
        INDArray x = nhwc(2, in, 11);
        assertClose(KerasReference.conv(x, k, b, 0, true), net.output(x), 1e-5);
    }

    @Test
    void aLayerFtlCannotPruneImportsButConvChainRefusesItByName(@TempDir Path dir) {
        Nd4j.getRandom().setSeed(12);
        Map<String, INDArray> separable = new LinkedHashMap<>();
        separable.put("separable_conv2d/depthwise_kernel:0", Nd4j.rand(DataType.FLOAT, 3, 3, 4, 1));
        separable.put("separable_conv2d/pointwise_kernel:0", Nd4j.rand(DataType.FLOAT, 1, 1, 4, 8));
        separable.put("separable_conv2d/bias:0", Nd4j.rand(DataType.FLOAT, 8));
        Path file = dir.resolve("separable.h5");
        KerasFiles.writeModel(file, sequential("[null, 16, 16, 3]", conv2d("conv2d", 4, 3, "relu"), separableConv2d("separable_conv2d", 8, 3)),
                List.of(LayerWeights.kernelBias("conv2d", "conv2d", Nd4j.rand(DataType.FLOAT, 3, 3, 3, 4), Nd4j.rand(DataType.FLOAT, 4)),
                        new LayerWeights("separable_conv2d", separable)));
        MultiLayerNetwork net = KerasImport.importModel(file, IN);
        FtlError e = assertThrows(FtlError.class, () -> ConvChain.of(net, IN));
        assertTrue(e.getMessage().contains("'separable_conv2d' (SeparableConvolution2D) cannot be pruned"), e.getMessage());
    }

    @Test
    void aModelDl4jCannotImportIsRefusedNamingTheFile(@TempDir Path dir) {
        Path file = dir.resolve("odd.h5");
        String odd = "{\"class_name\": \"NoSuchLayer\", \"config\": {\"name\": \"odd\", \"trainable\": true}}";
        KerasFiles.writeModel(file, sequential("[null, 16, 16, 3]", conv2d("conv2d", 4, 3, "relu"), odd),
                List.of(LayerWeights.kernelBias("conv2d", "conv2d", Nd4j.rand(DataType.FLOAT, 3, 3, 3, 4), Nd4j.rand(DataType.FLOAT, 4)),
                        LayerWeights.none("odd")));
        FtlError e = assertThrows(FtlError.class, () -> KerasImport.importModel(file, IN));
        assertTrue(e.getMessage().startsWith(file + ": DL4J cannot import this Keras model: "), e.getMessage());
        assertTrue(e.getMessage().contains("NoSuchLayer"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    // ---- VGG16 weights-only files ----

    private static final int[][] VGG_BLOCKS = {{64, 64}, {128, 128}, {256, 256, 256}, {512, 512, 512}, {512, 512, 512}};

    /** Known random VGG16 conv weights, Keras layout, He-scaled so maps stay in range. */
    private static Map<String, INDArray[]> vggWeights(long seed) {
        Nd4j.getRandom().setSeed(seed);
        Map<String, INDArray[]> w = new LinkedHashMap<>();
        int in = 3;
        for (int b = 0; b < VGG_BLOCKS.length; b++) {
            for (int c = 0; c < VGG_BLOCKS[b].length; c++) {
                int out = VGG_BLOCKS[b][c];
                double scale = Math.sqrt(6.0 / (9 * in));
                w.put("block" + (b + 1) + "_conv" + (c + 1), new INDArray[] {
                        Nd4j.rand(DataType.FLOAT, 3, 3, in, out).subi(0.5).muli(2 * scale),
                        Nd4j.rand(DataType.FLOAT, out).subi(0.5).muli(0.2)});
                in = out;
            }
        }
        return w;
    }

    /**
     * As Keras writes VGG16's no-top weights: input and pooling groups without weights, and per conv layer
     * either Keras 2's nested {@code name/name/kernel:0} or the original Keras 1 file's flat
     * {@code name_W_1:0}, {@code name_b_1:0}.
     */
    private static void writeVggWeights(Path file, Map<String, INDArray[]> w, boolean keras1Names, String skip) {
        KerasFiles.writeWeights(file, vggLayers(w, keras1Names, skip));
    }

    private static List<LayerWeights> vggLayers(Map<String, INDArray[]> w, boolean keras1Names, String skip) {
        List<LayerWeights> layers = new ArrayList<>();
        layers.add(LayerWeights.none("input_1"));
        for (int b = 0; b < VGG_BLOCKS.length; b++) {
            for (int c = 0; c < VGG_BLOCKS[b].length; c++) {
                String name = "block" + (b + 1) + "_conv" + (c + 1);
                if (name.equals(skip)) {
                    continue;
                }
                INDArray[] kb = w.get(name);
                if (keras1Names) {
                    Map<String, INDArray> m = new LinkedHashMap<>();
                    m.put(name + "_W_1:0", kb[0]);
                    m.put(name + "_b_1:0", kb[1]);
                    layers.add(new LayerWeights(name, m));
                } else {
                    layers.add(LayerWeights.kernelBias(name, name, kb[0], kb[1]));
                }
            }
            layers.add(LayerWeights.none("block" + (b + 1) + "_pool"));
        }
        return layers;
    }

    @Test
    void vgg16WeightsLandInTheBuiltInVgg16Transposed(@TempDir Path dir) {
        Map<String, INDArray[]> w = vggWeights(13);
        InputShape in = new InputShape(32, 32, 3);
        Path wholeModel = dir.resolve("vgg16-model.h5");   // model.save of VGG16(include_top=False): the same groups in model_weights
        KerasFiles.writeModel(wholeModel, "{\"class_name\": \"Functional\", \"config\": {\"name\": \"vgg16\", \"layers\": []}}",
                vggLayers(w, false, null));
        for (Path file : List.of(dir.resolve("vgg16-keras2.h5"), dir.resolve("vgg16-keras1.h5"), wholeModel)) {
            if (file != wholeModel) {
                writeVggWeights(file, w, file.getFileName().toString().contains("keras1"), null);
            }
            assertEquals(file == wholeModel ? KerasImport.Contents.MODEL : KerasImport.Contents.WEIGHTS, KerasImport.contents(file));
            MultiLayerNetwork net = KerasImport.importVgg16Weights(file, in);
            ConvChain chain = ConvChain.of(net, in);
            assertEquals(13, chain.blocks().size());
            assertArrayEquals(new long[] {512, 1, 1}, chain.outputShape());

            // block1_conv1 on the image, and block2_conv1 (64 input channels) on block1_pool's map
            Nd4j.getRandom().setSeed(14);
            INDArray x = Nd4j.rand(DataType.FLOAT, 1, 3, 32, 32).subi(0.5).muli(100);   // NCHW
            List<INDArray> acts = net.feedForwardToLayer(3, x, false);                  // input, conv1, conv2, pool, conv1 of block 2
            check(acts.get(0), acts.get(1), w.get("block1_conv1"), new long[][] {{0, 0, 0}, {5, 17, 3}, {31, 31, 63}, {16, 0, 31}});
            check(acts.get(3), acts.get(4), w.get("block2_conv1"), new long[][] {{0, 0, 0}, {7, 9, 127}, {15, 15, 64}, {3, 12, 5}});
            assertArrayEquals(new long[] {128, 64, 3, 3}, net.getLayer(3).getParam("W").shape());
        }
    }

    /** DL4J's map {@code out} of NCHW input {@code x} against Keras' convolution ('same', ReLU) at (row, column, filter). */
    private static void check(INDArray x, INDArray out, INDArray[] kernelBias, long[][] positions) {
        INDArray nhwc = x.permute(0, 2, 3, 1);
        for (long[] p : positions) {
            double expected = KerasReference.at(nhwc, kernelBias[0], kernelBias[1], 0, p[0], p[1], p[2], 1, true);
            double actual = out.getDouble(0, p[2], p[0], p[1]);
            assertEquals(expected, actual, 1e-4 * Math.max(1, Math.abs(expected)), Arrays.toString(p));
        }
        double any = 0;
        for (long[] p : positions) {
            any += out.getDouble(0, p[2], p[0], p[1]);
        }
        assertTrue(any > 0, "the checked positions are not all zero");
    }

    @Test
    void vgg16WeightsWithoutALayerAreRefusedNamingIt(@TempDir Path dir) {
        Path file = dir.resolve("vgg16-partial.h5");
        writeVggWeights(file, vggWeights(15), false, "block3_conv2");
        FtlError e = assertThrows(FtlError.class, () -> KerasImport.importVgg16Weights(file, new InputShape(32, 32, 3)));
        assertTrue(e.getMessage().startsWith(file + ": no weights for VGG16 layer 'block3_conv2'"), e.getMessage());
    }

    @Test
    void vgg16WeightsOfTheWrongShapeAreRefusedNamingTheLayerAndBothShapes(@TempDir Path dir) {
        Path file = dir.resolve("vgg16.h5");
        writeVggWeights(file, vggWeights(16), false, null);
        FtlError e = assertThrows(FtlError.class, () -> KerasImport.importVgg16Weights(file, new InputShape(32, 32, 1)));
        assertEquals(file + ": layer 'block1_conv1' kernel is [3, 3, 3, 64] in the file but the network needs [3, 3, 1, 64]"
                + " [kH, kW, in, out]", e.getMessage());
        FtlError small = assertThrows(FtlError.class, () -> KerasImport.importVgg16Weights(file, new InputShape(16, 16, 3)));
        assertTrue(small.getMessage().contains("at least 32×32"), small.getMessage());
    }
}
