package org.ftl.head;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.ftl.backbone.Architecture;
import org.ftl.data.InputShape;
import org.ftl.infer.FeatureMode;
import org.ftl.backbone.ConvChain;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClassifierTest {
    // 128×128 leaves AlexNet's last map 3×3, so flattening has an order to get wrong
    private static final InputShape IN = new InputShape(128, 128, 3);
    private static final List<String> CLASSES = List.of("Background", "Crack");

    private static ConvChain chain;
    private static INDArray images;
    private static int[] labels;

    @BeforeAll
    static void smallRealBackbone() {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(5)
                .dataType(DataType.FLOAT).list();
        for (Layer l : Architecture.ALEXNET.convLayers(0.125, true)) {
            list.layer(l);
        }
        list.setInputType(InputType.convolutional(IN.height(), IN.width(), IN.channels(), CNN2DFormat.NCHW));
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        Nd4j.getRandom().setSeed(6);
        for (org.deeplearning4j.nn.api.Layer l : net.getLayers()) {
            if (l.conf().getLayer() instanceof BatchNormalization) { // trained-looking statistics, not 0 and 1
                for (var e : l.paramTable().entrySet()) {
                    INDArray r = Nd4j.rand(DataType.FLOAT, e.getValue().shape());
                    e.getValue().assign(e.getKey().equals("var") ? r.add(0.5) : r.sub(0.5));
                }
            }
        }
        chain = ConvChain.of(net, IN);
        // 24 images; the "cracks" carry a bright diagonal band
        int n = 24;
        Nd4j.getRandom().setSeed(7);
        images = Nd4j.rand(DataType.FLOAT, n, 3, IN.height(), IN.width()).muli(120).subi(60);
        labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            if (labels[i] == 1) {
                for (int y = 0; y < IN.height(); y++) {
                    int x0 = Math.max(0, y - 4);
                    images.get(NDArrayIndex.point(i), NDArrayIndex.all(), NDArrayIndex.point(y),
                            NDArrayIndex.interval(x0, Math.min(IN.width(), y + 4))).addi(80);
                }
            }
        }
    }

    private static LogisticHead head(FeatureMode mode) {
        FeatureMatrix features = FeatureMatrix.of(mode.features(chain.output(images)));
        assertEquals(mode.features(chain.outputShape()), features.columns());
        // weak C: probabilities well inside (0, 1), so a wrong feature order shows
        return LogisticHead.fit(new LabelledFeatures(features, labels, CLASSES), 0.02, true, new Convergence(500, 1e-8));
    }

    private static void assertClose(double[][] expected, INDArray actual, double tolerance, String what) {
        assertEquals(expected.length, actual.size(0));
        for (int i = 0; i < expected.length; i++) {
            for (int c = 0; c < expected[i].length; c++) {
                assertEquals(expected[i][c], actual.getDouble(i, c), tolerance, what + ": image " + i + ", class " + c);
            }
        }
    }

    @Test
    void theAssembledNetworkGivesTheHeadsProbabilities() {
        long[] map = chain.outputShape();
        assertTrue(map[1] > 1 && map[2] > 1, "the test needs a map larger than 1×1: " + java.util.Arrays.toString(map));
        for (FeatureMode mode : FeatureMode.values()) {
            LogisticHead head = head(mode);
            Classifier classifier = Classifier.assemble(chain, mode, head, CLASSES);
            double[][] expected = head.probabilities(FeatureMatrix.of(mode.features(chain.output(images))));
            int unsure = 0;
            for (double[] p : expected) {
                unsure += p[1] > 0.02 && p[1] < 0.98 ? 1 : 0;
            }
            assertTrue(unsure >= expected.length / 2, mode + ": the head is too sure for the comparison to mean much");
            assertClose(expected, classifier.probabilities(images), 2e-5, mode.key());
        }
    }

    @Test
    void aWrongFlatteningOrderWouldShow() {
        LogisticHead head = head(FeatureMode.FLATTEN);
        INDArray map = chain.output(images);
        // channels last instead of DL4J's channels first
        INDArray wrong = map.permute(0, 2, 3, 1).dup('c').reshape('c', map.size(0), map.size(1) * map.size(2) * map.size(3));
        double[][] right = head.probabilities(FeatureMatrix.of(FeatureMode.FLATTEN.features(chain.output(images))));
        double[][] permuted = head.probabilities(FeatureMatrix.of(wrong));
        double largest = 0;
        for (int i = 0; i < right.length; i++) {
            largest = Math.max(largest, Math.abs(right[i][1] - permuted[i][1]));
        }
        assertTrue(largest > 1e-3, "feature order makes no difference to this head: the assembly test could not fail");
    }

    @Test
    void survivesSaveAndLoadAsAnOrdinaryDl4jModel(@TempDir Path dir) throws Exception {
        for (FeatureMode mode : FeatureMode.values()) {
            LogisticHead head = head(mode);
            Classifier classifier = Classifier.assemble(chain, mode, head, CLASSES);
            INDArray before = classifier.probabilities(images);
            Path file = dir.resolve(mode.key() + ".zip");
            classifier.save(file);
            Classifier loaded = Classifier.load(file);
            assertEquals(CLASSES, loaded.classes());
            assertEquals(before, loaded.probabilities(images));
            MultiLayerNetwork plain = ModelSerializer.restoreMultiLayerNetwork(file.toFile(), false);
            assertEquals(before, plain.output(images, false));
            assertClose(head.probabilities(FeatureMatrix.of(mode.features(chain.output(images)))), loaded.probabilities(images), 2e-5, mode.key());
        }
    }

    @Test
    void aHeadForOtherFeaturesIsRefused() {
        LogisticHead average = head(FeatureMode.AVERAGE);
        assertThrows(IllegalArgumentException.class, () -> Classifier.assemble(chain, FeatureMode.FLATTEN, average, CLASSES));
        assertThrows(IllegalArgumentException.class,
                () -> Classifier.assemble(chain, FeatureMode.AVERAGE, average, List.of("only one")));
    }
}
