package org.ftl.infer;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.ftl.backbone.Architecture;
import org.ftl.backbone.Backbones;
import org.ftl.data.InputShape;
import org.ftl.data.Preprocessing;
import org.ftl.head.Classifier;
import org.ftl.head.LogisticHead;
import org.ftl.backbone.ConvChain;
import org.ftl.prune.Folding;
import org.ftl.prune.Surgery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exported graphs run in ONNX Runtime give what DL4J's forward pass gives: plain pixels into the graph (its
 * preprocessing inside), the same pixels preprocessed into DL4J's network.
 */
public class OnnxExportTest {
    /** Pixels 0–255 as a camera gives them, and the same images preprocessed for DL4J. */
    record Images(float[] pixels, INDArray preprocessed) {
        static Images random(InputShape in, int n, Preprocessing pre, long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            int per = in.channels() * in.height() * in.width();
            float[] pixels = new float[n * per];
            float[] pre2 = new float[n * per];
            for (int i = 0; i < n; i++) {
                byte[] interleaved = new byte[per];
                for (int j = 0; j < per; j++) {
                    interleaved[j] = (byte) r.nextInt(256);
                }
                Preprocessing.NONE.apply(interleaved, in.channels(), pixels, i * per);
                pre.apply(interleaved, in.channels(), pre2, i * per);
            }
            return new Images(pixels, Nd4j.create(pre2, new long[] {n, in.channels(), in.height(), in.width()}, 'c'));
        }
    }

    /**
     * Batch-norm as training leaves it: each layer's mean and variance measured on what reaches it from random
     * images (preprocessed as {@code pre} says), then a random scale and shift. An untrained batch-norm is close to the
     * identity, and one with random statistics lets a deep chain's maps grow without bound, which no trained network
     * has (float rounding then moves its probabilities far more than any export error would).
     */
    public static ConvChain withTrainedLookingBatchNorm(ConvChain chain, long seed) {
        return withTrainedLookingBatchNorm(chain, Preprocessing.IMAGENET_MEAN, seed);
    }

    public static ConvChain withTrainedLookingBatchNorm(ConvChain chain, Preprocessing pre, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Images.random(chain.input(), 8, pre, seed).preprocessed();
        MultiLayerNetwork net = chain.network();
        for (int i = 0; i < net.getnLayers(); i++) {
            org.deeplearning4j.nn.api.Layer l = net.getLayer(i);
            if (!(l.conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.BatchNormalization)) {
                continue;
            }
            INDArray in = net.feedForwardToLayer(i - 1, x, false).get(i); // what layer i receives
            INDArray mean = in.mean(0, 2, 3);
            INDArray variance = in.var(false, 0, 2, 3).addi(1e-3);
            for (Map.Entry<String, INDArray> e : l.paramTable().entrySet()) {
                INDArray v = e.getValue();
                switch (e.getKey()) {
                    case "mean" -> v.assign(mean.reshape(v.shape()));
                    case "var" -> v.assign(variance.reshape(v.shape()));
                    case "log10stdev" -> v.assign(org.nd4j.linalg.ops.transforms.Transforms.log(
                            org.nd4j.linalg.ops.transforms.Transforms.sqrt(variance, true), 10, true).reshape(v.shape()));
                    case "gamma" -> v.assign(Nd4j.rand(DataType.FLOAT, v.shape()).addi(0.5));
                    default -> v.assign(Nd4j.rand(DataType.FLOAT, v.shape()).subi(0.3));
                }
            }
        }
        return chain;
    }

    /** A head with random weights: a zero head would hide a wrong feature order. */
    static LogisticHead randomHead(int d, int classes, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] w = new double[classes][d];
        double[] b = new double[classes];
        for (int c = 0; c < classes; c++) {
            b[c] = r.nextDouble() - 0.5;
            for (int j = 0; j < d; j++) {
                w[c][j] = (r.nextDouble() - 0.5) * 0.05;
            }
        }
        return LogisticHead.ofRaw(1.0, w, b, new org.ftl.head.FitReport(0, "test", 0));
    }

    static void assertClose(float[] expected, float[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what + ": lengths");
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]) / Math.max(1, Math.abs(expected[i])));
        }
        assertTrue(worst <= tolerance, what + ": largest difference " + worst);
    }

    static float[] floats(INDArray a) {
        return a.castTo(DataType.FLOAT).dup('c').data().asFloat();
    }

    private static void assertClassifierMatches(ConvChain chain, FeatureMode mode, Preprocessing pre, int classes, String what) {
        InputShape in = chain.input();
        int d = (int) mode.features(chain.outputShape());
        List<String> names = IntStream.range(0, classes).mapToObj(c -> "class" + c).toList();
        MultiLayerNetwork net = Classifier.assemble(chain, mode, randomHead(d, classes, 3), names).network();
        Images x = Images.random(in, 5, pre, 17);
        float[] expected = floats(net.output(x.preprocessed(), false));
        byte[] onnx = OnnxExport.classifier(net, in, pre, Map.of("labels", String.join(",", names)));
        try (OnnxModel model = OnnxModel.load(onnx, 1)) {
            assertEquals(classes, model.outputWidth());
            assertClose(expected, model.run(x.pixels(), 5), 1e-4, what);
            assertEquals(String.join(",", names), model.metadata().get("labels"));
        }
    }

    @ParameterizedTest
    @EnumSource(Preprocessing.class)
    void alexnetClassifiersGiveDl4jsProbabilitiesUnfoldedFoldedAndPruned(Preprocessing pre) {
        InputShape in = new InputShape(64, 64, 3);
        ConvChain chain = withTrainedLookingBatchNorm(Backbones.untrained(Architecture.ALEXNET, 0.25, true, in, 3), 5);
        ConvChain folded = Folding.fold(chain);
        // one filter in every layer, as f = 0.01 leaves
        List<int[]> one = folded.blocks().stream().map(b -> new int[] {b.filters() - 1}).toList();
        List<int[]> odd = folded.blocks().stream().map(b -> IntStream.range(0, b.filters()).filter(f -> f % 3 == 1).toArray()).toList();
        for (FeatureMode mode : FeatureMode.values()) {
            assertClassifierMatches(chain, mode, pre, 2, "unfolded, " + mode);
            assertClassifierMatches(folded, mode, pre, 2, "folded, " + mode);
            assertClassifierMatches(Surgery.keep(folded, one), mode, pre, 2, "1-filter layers, " + mode);
            assertClassifierMatches(Surgery.keep(folded, odd), mode, pre, 3, "every third filter, " + mode);
        }
    }

    @Test
    void vggAndGreyInputsGiveDl4jsProbabilities() {
        ConvChain vgg = withTrainedLookingBatchNorm(Backbones.untrained(Architecture.VGG16, 0.0625, true, new InputShape(32, 32, 3), 4), 6);
        for (FeatureMode mode : FeatureMode.values()) {
            assertClassifierMatches(vgg, mode, Preprocessing.IMAGENET_CAFFE, 2, "vgg16, " + mode);
            assertClassifierMatches(Folding.fold(vgg), mode, Preprocessing.IMAGENET_CAFFE, 2, "vgg16 folded, " + mode);
        }
        InputShape grey = new InputShape(64, 64, 1);
        ConvChain alexGrey = Folding.fold(withTrainedLookingBatchNorm(Backbones.untrained(Architecture.ALEXNET, 0.25, true, grey, 8), 9));
        for (Preprocessing pre : Preprocessing.values()) {
            assertClassifierMatches(alexGrey, FeatureMode.FLATTEN, pre, 2, "grey alexnet, " + pre);
        }
    }

    @Test
    void featureGraphsGiveTheFeaturesOfDl4jsMaps() {
        InputShape in = new InputShape(64, 64, 3);
        ConvChain chain = Folding.fold(withTrainedLookingBatchNorm(Backbones.untrained(Architecture.ALEXNET, 0.25, true, in, 3), 5));
        Images x = Images.random(in, 7, Preprocessing.IMAGENET_MEAN, 4);
        for (FeatureMode mode : FeatureMode.values()) {
            float[] expected = floats(mode.features(chain.output(x.preprocessed())));
            try (OnnxModel model = OnnxModel.load(OnnxExport.features(chain.network(), in, Preprocessing.IMAGENET_MEAN, mode), 1)) {
                assertEquals(mode.features(chain.outputShape()), model.outputWidth());
                assertClose(expected, model.run(x.pixels(), 7), 1e-4, mode.key());
                // any batch size: one image alone gives its row of the batch
                int d = (int) model.outputWidth();
                float[] first = model.run(java.util.Arrays.copyOf(x.pixels(), 3 * 64 * 64), 1);
                assertClose(java.util.Arrays.copyOf(expected, d), first, 1e-4, mode.key() + " alone");
            }
        }
    }

    /** Widening the inner convs to a multiple of the CPU's channel block changes the layout, not the function. */
    @Test
    void widenedChannelsGiveTheSameFeatures() {
        InputShape in = new InputShape(64, 64, 3);
        ConvChain chain = withTrainedLookingBatchNorm(Backbones.untrained(Architecture.ALEXNET, 0.25, true, in, 3), 5);
        List<int[]> odd = chain.blocks().stream().map(b -> IntStream.range(0, b.filters()).filter(f -> f % 3 == 1).toArray()).toList();
        Images x = Images.random(in, 3, Preprocessing.IMAGENET_MEAN, 6);
        for (ConvChain c : List.of(Surgery.keep(chain, odd), Folding.fold(Surgery.keep(chain, odd)))) { // batch-norm kept and folded
            for (FeatureMode mode : FeatureMode.values()) {
                float[] expected = floats(mode.features(c.output(x.preprocessed())));
                for (int multiple : new int[] {8, 16}) {
                    byte[] g = OnnxExport.features(c.network(), in, Preprocessing.IMAGENET_MEAN, mode, multiple);
                    try (OnnxModel m = OnnxModel.load(g, 1)) {
                        assertEquals(expected.length / 3, m.outputWidth(), "the last conv is never widened");
                        assertClose(expected, m.run(x.pixels(), 3), 1e-4, mode + " widened to " + multiple);
                    }
                }
            }
        }
    }

    @Test
    void aBatchRunsIntoItsOwnBuffersAgainAndAgain() {
        InputShape in = new InputShape(64, 64, 3);
        ConvChain chain = Folding.fold(Backbones.untrained(Architecture.ALEXNET, 0.125, true, in, 3));
        try (OnnxModel model = OnnxModel.load(OnnxExport.features(chain.network(), in, Preprocessing.NONE, FeatureMode.AVERAGE), 1);
             OnnxModel.Batch batch = model.batch(2)) {
            Images a = Images.random(in, 2, Preprocessing.NONE, 1);
            Images b = Images.random(in, 2, Preprocessing.NONE, 2);
            float[] ra = model.run(a.pixels(), 2);
            float[] rb = model.run(b.pixels(), 2);
            for (Images x : List.of(a, b, a)) {
                batch.input().put(x.pixels());
                java.nio.FloatBuffer out = batch.run();
                float[] got = new float[out.remaining()];
                out.get(got);
                assertClose(x == a ? ra : rb, got, 0, "refilled input");
            }
        }
    }

    @Test
    void aLayerWithoutAnOnnxFormIsRefusedByName() {
        InputShape in = new InputShape(32, 32, 3);
        MultiLayerNetwork net = new MultiLayerNetwork(new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT).list()
                .layer(new org.deeplearning4j.nn.conf.layers.ConvolutionLayer.Builder(3, 3).name("c1").nOut(4)
                        .activation(org.nd4j.linalg.activations.Activation.SOFTPLUS).build())
                .setInputType(org.deeplearning4j.nn.conf.inputs.InputType.convolutional(32, 32, 3,
                        org.deeplearning4j.nn.conf.CNN2DFormat.NCHW))
                .build());
        net.init();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OnnxExport.features(net, in, Preprocessing.NONE, FeatureMode.FLATTEN));
        assertTrue(e.getMessage().contains("'c1'") && e.getMessage().contains("softplus"), e.getMessage());
    }
}
