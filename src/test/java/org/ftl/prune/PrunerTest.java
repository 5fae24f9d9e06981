package org.ftl.prune;

import org.ftl.backbone.ConvChain;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.ftl.backbone.Architecture;
import org.ftl.data.InputShape;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrunerTest {
    private static final InputShape IN = new InputShape(64, 64, 3);

    private static IouCriterion iou() {
        return new IouCriterion("Crack", false, Binarization.POSITIVE, 0, MaskResize.ANY);
    }

    /**
     * A VGG16 at 32 px pruned by iou: ND4J's index-array get() on the conv weights failed here with a
     * NullPointerException after the cascade's forward passes (block 4); the kept filters are now copied by hand.
     */
    @Test
    void vgg16At32PixelsIsPrunedByIou() {
        InputShape in = new InputShape(32, 32, 3);
        ConvChain chain = ConvChain.of(TestNets.backbone(Architecture.VGG16, 0.125, true, in, 3, false), in);
        PrunedVariant v = new Pruner(chain, iou(), PrunerTestSets.blobs(in, 8, 5)).prune(0.5);
        assertArrayEquals(new int[] {4, 4, 8, 8, 16, 16, 16, 32, 32, 32, 32, 32, 32}, v.chain().filterCounts());
        assertEquals(13, v.kept().size());
    }

    /** The kept filters or channels, copied along an axis, are what ND4J's own indexing gives on a fresh array. */
    @Test
    void takingAlongAnAxisIsNd4jsIndexedGet() {
        org.nd4j.linalg.factory.Nd4j.getRandom().setSeed(9);
        INDArray a = org.nd4j.linalg.factory.Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 5, 6, 3, 2);
        int[] pick = {4, 0, 2};
        long[] p = {4, 0, 2};
        org.nd4j.linalg.indexing.INDArrayIndex all = org.nd4j.linalg.indexing.NDArrayIndex.all();
        org.nd4j.linalg.indexing.INDArrayIndex some = org.nd4j.linalg.indexing.NDArrayIndex.indices(p);
        assertEquals(a.get(some, all, all, all), Take.along(a, 0, pick));
        assertEquals(a.get(all, some, all, all), Take.along(a, 1, pick));
        INDArray v = org.nd4j.linalg.factory.Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 7);
        assertEquals(v.get(some), Take.along(v, 0, pick));
        assertEquals(org.nd4j.linalg.api.buffer.DataType.DOUBLE, Take.along(v, 0, pick).dataType());
    }

    @Test
    void cascadeGivesWhatRecomputingEachPrefixFromTheInputGives() {
        ConvChain chain = ConvChain.of(TestNets.backbone(Architecture.ALEXNET, 0.125, true, IN, 21, false), IN);
        assertCascadeIsRecomputation(chain, PrunerTestSets.blobs(IN, 8, 22));
    }

    /** prune.scoring-size: a segmented set larger than the network's input is scored at its own size. */
    @Test
    void segmentedImagesLargerThanTheInputAreScoredAtTheirOwnSize() {
        ConvChain chain = ConvChain.of(TestNets.backbone(Architecture.ALEXNET, 0.125, true, IN, 21, false), IN);
        InputShape large = new InputShape(IN.height() * 2, IN.width() * 3, IN.channels());
        SegmentedSet set = PrunerTestSets.blobs(large, 6, 23);
        assertCascadeIsRecomputation(chain, set);
        List<long[]> seen = new ArrayList<>();
        FilterCriterion watching = new FilterCriterion() {
            public String name() {
                return "iou";
            }

            public boolean needsActivations() {
                return true;
            }

            public double[] score(LayerEvidence e) {
                seen.add(e.mapShape());
                return iou().score(e);
            }
        };
        PrunedVariant v = new Pruner(chain, watching, set).prune(0.5);
        for (int b = 0; b < chain.blocks().size(); b++) {
            int lastOfBlock = chain.blocks().get(b).map().get(chain.blocks().get(b).map().size() - 1);
            var own = (org.deeplearning4j.nn.conf.inputs.InputType.InputTypeConvolutional) chain.activationTypes().get(lastOfBlock);
            var big = (org.deeplearning4j.nn.conf.inputs.InputType.InputTypeConvolutional) chain.activationTypes(large).get(lastOfBlock);
            assertArrayEquals(new long[] {6, chain.blocks().get(b).filters(), big.getHeight(), big.getWidth()}, seen.get(b), "block " + b);
            assertTrue(big.getHeight() * big.getWidth() > own.getHeight() * own.getWidth(), "block " + b);
        }
        // the pruned network still takes the backbone's own input
        assertEquals(IN, v.chain().input());
        assertEquals(4, v.chain().network().output(TestNets.images(4, IN, 3), false).size(0));
    }

    private static void assertCascadeIsRecomputation(ConvChain chain, SegmentedSet set) {
        InputShape in = set.shape();
        for (FilterCriterion criterion : List.of(iou(), new ApozCriterion())) {
            Pruner pruner = new Pruner(chain, criterion, set);
            for (double f : new double[] {0.3, 0.5}) {
                PrunedVariant v = pruner.prune(f);
                List<int[]> expected = new ArrayList<>();
                for (int b = 0; b < chain.blocks().size(); b++) {
                    final int upTo = b;
                    ConvChain.Block block = chain.blocks().get(b);
                    int end = block.map().get(block.map().size() - 1) + 1;
                    MultiLayerNetwork prefix = Surgery.rebuild(chain, 0, end, null,
                            k -> k < upTo ? expected.get(k) : null, in);
                    INDArray maps = prefix.output(set.images(), false);
                    INDArray w = prefix.getLayer(block.conv()).getParam("W");
                    double[] s = criterion.score(new LayerEvidence(b, block.name(), w,
                            maps.dup('c').data().asFloat(), maps.shape(), set));
                    expected.add(Pruner.keepBest(s, f));
                }
                for (int b = 0; b < expected.size(); b++) {
                    assertArrayEquals(expected.get(b), v.kept().get(b), criterion.name() + " f=" + f + " layer " + b);
                }
            }
        }
    }

    @Test
    void leaveFactorOneKeepsEveryFilterAndTheOutputs() {
        ConvChain chain = ConvChain.of(TestNets.backbone(Architecture.ALEXNET, 0.125, false, IN, 23, false), IN);
        PrunedVariant v = new Pruner(chain, iou(), PrunerTestSets.blobs(IN, 4, 24)).prune(1.0);
        assertArrayEquals(chain.filterCounts(), v.chain().filterCounts());
        INDArray x = TestNets.images(2, IN, 25);
        assertEquals(chain.output(x), v.chain().output(x));
    }

    @Test
    void keptCountIsMaxOneRoundNF() {
        ConvChain chain = ConvChain.of(TestNets.backbone(Architecture.ALEXNET, 0.125, false, IN, 26, false), IN);
        Pruner p = new Pruner(chain, new L1Criterion(), null);
        // widths 12 32 48 48 32
        assertArrayEquals(new int[] {1, 1, 1, 1, 1}, p.prune(0.01).chain().filterCounts());
        assertArrayEquals(new int[] {4, 10, 14, 14, 10}, p.prune(0.3).chain().filterCounts());
        assertArrayEquals(new int[] {6, 16, 24, 24, 16}, p.prune(0.5).chain().filterCounts());
        // parameters never grow with f
        long before = 0;
        for (double f : LeaveFactors.range(0.05, 1.0, 0.05)) {
            long params = p.prune(f).parameters();
            assertTrue(params >= before, "f=" + f);
            before = params;
        }
        assertEquals(chain.parameters(), before);
    }

    @Test
    void keepBestBreaksTiesByIndexAndTreatsNaNAsWorst() {
        assertArrayEquals(new int[] {1, 2}, Pruner.keepBest(new double[] {0.1, 0.5, 0.5, 0.5}, 0.5));
        assertArrayEquals(new int[] {0, 3}, Pruner.keepBest(new double[] {0.2, Double.NaN, 0.1, 0.3}, 0.5));
        assertArrayEquals(new int[] {2}, Pruner.keepBest(new double[] {0.1, 0.2, 0.9}, 0.01));
        assertArrayEquals(new int[] {0, 1, 2}, Pruner.keepBest(new double[] {0.1, 0.2, 0.9}, 1.0));
    }

    @Test
    void l1AndRandomAreReproducibleForASeed() {
        ConvChain chain = ConvChain.of(TestNets.backbone(Architecture.ALEXNET, 0.125, false, IN, 27, false), IN);
        ConvChain again = ConvChain.of(TestNets.backbone(Architecture.ALEXNET, 0.125, false, IN, 27, false), IN);
        assertKeptEqual(new Pruner(chain, new L1Criterion(), null).prune(0.4),
                new Pruner(again, new L1Criterion(), null).prune(0.4), true);
        assertKeptEqual(new Pruner(chain, new RandomCriterion(5), null).prune(0.4),
                new Pruner(again, new RandomCriterion(5), null).prune(0.4), true);
        assertKeptEqual(new Pruner(chain, new RandomCriterion(5), null).prune(0.4),
                new Pruner(chain, new RandomCriterion(6), null).prune(0.4), false);
    }

    private static void assertKeptEqual(PrunedVariant a, PrunedVariant b, boolean equal) {
        boolean same = true;
        for (int i = 0; i < a.kept().size(); i++) {
            same &= java.util.Arrays.equals(a.kept().get(i), b.kept().get(i));
        }
        assertEquals(equal, same);
    }

    @Test
    void l1KeepsTheFiltersWithTheLargestWeights() {
        ConvChain chain = ConvChain.of(TestNets.backbone(Architecture.ALEXNET, 0.125, false, IN, 28, false), IN);
        INDArray w = chain.network().getLayer(0).getParam("W");
        w.get(org.nd4j.linalg.indexing.NDArrayIndex.point(7)).muli(100);
        w.get(org.nd4j.linalg.indexing.NDArrayIndex.point(2)).muli(50);
        assertArrayEquals(new int[] {2, 7}, new Pruner(chain, new L1Criterion(), null).prune(2.0 / 12).kept().get(0));
    }

    // ---- the behaviour that makes FTL work: line detectors win on cracks -------------------------------

    static final int[] LINE_DETECTORS = {1, 4, 6};

    /**
     * One grey 5×5 conv layer of 8 hand-made filters: three dark-line detectors (horizontal, vertical,
     * diagonal) among a brightness detector, a bright-blob detector, two noise filters and an edge filter;
     * then pooling and a second conv layer so the cascade has somewhere to go.
     */
    static ConvChain craftedBackbone(InputShape in) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.FLOAT).list()
                .layer(new ConvolutionLayer.Builder(5, 5).name("c1").nOut(8).padding(2, 2)
                        .convolutionMode(ConvolutionMode.Truncate).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(3, 3).name("c2").nOut(6).padding(1, 1).activation(Activation.RELU).build())
                .setInputType(InputType.convolutional(in.height(), in.width(), 1, CNN2DFormat.NCHW))
                .build());
        net.init();
        float[][][] k = new float[8][5][5];
        SplittableRandom r = new SplittableRandom(9);
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 5; j++) {
                k[0][i][j] = 0.04f;                                               // brightness
                k[1][i][j] = i == 2 ? -2f : (i == 1 || i == 3 ? 1f : 0f);         // dark horizontal line
                k[2][i][j] = (float) r.nextGaussian() * 0.2f;                     // noise
                k[3][i][j] = (Math.abs(i - 2) + Math.abs(j - 2) <= 1) ? 0.5f : -0.125f; // bright blob
                k[4][i][j] = j == 2 ? -2f : (j == 1 || j == 3 ? 1f : 0f);         // dark vertical line
                k[5][i][j] = j < 2 ? -0.5f : (j > 2 ? 0.5f : 0f);                 // edge
                k[6][i][j] = i == j ? -2f : (Math.abs(i - j) == 1 ? 1.25f : 0f);  // dark diagonal line (zero-sum)
                k[7][i][j] = (float) r.nextGaussian() * 0.2f;                     // noise
            }
        }
        for (int f : new int[] {2, 7}) { // texture filters: zero-mean, so they answer to texture, not to brightness
            double mean = 0;
            for (float[] row : k[f]) {
                for (float v : row) {
                    mean += v / 25;
                }
            }
            for (float[] row : k[f]) {
                for (int j = 0; j < 5; j++) {
                    row[j] -= (float) mean;
                }
            }
        }
        INDArray w = net.getLayer(0).getParam("W");
        INDArray b = net.getLayer(0).getParam("b");
        for (int f = 0; f < 8; f++) {
            for (int i = 0; i < 5; i++) {
                for (int j = 0; j < 5; j++) {
                    w.putScalar(new long[] {f, 0, i, j}, k[f][i][j]);
                }
            }
        }
        // line detectors answer only to strong dark lines, not to texture noise
        b.assign(0);
        for (int f : LINE_DETECTORS) {
            b.putScalar(f, -150);
        }
        return ConvChain.of(net, in);
    }

    /** Grey noisy surfaces with a dark random-walk crack; the mask is exactly the darkened pixels. */
    static SegmentedSet crackSet(InputShape in, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int h = in.height();
        int w = in.width();
        float[] images = new float[n * h * w];
        List<boolean[]> masks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean[] m = new boolean[h * w];
            double x = r.nextInt(w);
            double y = 0;
            double angle = Math.PI / 2 + r.nextDouble(-0.6, 0.6);
            while (y >= 0 && y < h && x >= 0 && x < w) {
                m[(int) y * w + (int) x] = true;
                if (x + 1 < w) {
                    m[(int) y * w + (int) x + 1] = true;
                }
                angle += r.nextDouble(-0.5, 0.5);
                angle = Math.max(0.3, Math.min(Math.PI - 0.3, angle));
                x += Math.cos(angle);
                y += Math.sin(angle);
            }
            for (int p = 0; p < h * w; p++) {
                images[i * h * w + p] = (float) (150 + r.nextGaussian() * 12 + (m[p] ? -90 : 0));
            }
            masks.add(m);
        }
        return new SegmentedSet(in, images, masks, java.util.Collections.nCopies(n, "Crack"),
                java.util.stream.IntStream.range(0, n).mapToObj(i -> "c" + i).toList());
    }

    @Test
    void iouKeepsTheLineDetectorsOnCracksAtSmallLeaveFactors() {
        InputShape in = new InputShape(32, 32, 1);
        ConvChain chain = craftedBackbone(in);
        SegmentedSet cracks = crackSet(in, 20, 31);
        PrunedVariant v = new Pruner(chain, iou(), cracks).prune(3.0 / 8);
        assertArrayEquals(LINE_DETECTORS, v.kept().get(0), "scores: " + v.layers().get(0));
        assertTrue(v.layers().get(0).meanScoreKept() > 2 * v.layers().get(0).meanScoreDropped(), v.layers().get(0).toString());
        // with f = 1/8 the single best is one of them
        int best = new Pruner(chain, iou(), cracks).prune(1.0 / 8).kept().get(0)[0];
        assertTrue(java.util.Arrays.stream(LINE_DETECTORS).anyMatch(i -> i == best), "kept " + best);
        // the other criteria do not find them: that is what FTL adds
        assertFalse(java.util.Arrays.equals(LINE_DETECTORS,
                new Pruner(chain, new L1Criterion(), null).prune(3.0 / 8).kept().get(0)) && java.util.Arrays.equals(LINE_DETECTORS,
                new Pruner(chain, new ApozCriterion(), cracks).prune(3.0 / 8).kept().get(0)));
    }

    @Test
    void binarizationChoicesAllFindTheLineDetectors() {
        InputShape in = new InputShape(32, 32, 1);
        ConvChain chain = craftedBackbone(in);
        SegmentedSet cracks = crackSet(in, 12, 33);
        for (Binarization b : List.of(Binarization.POSITIVE, Binarization.FIXED)) {
            IouCriterion c = new IouCriterion("Crack", false, b, 100f, MaskResize.ANY);
            assertArrayEquals(LINE_DETECTORS, new Pruner(chain, c, cracks).prune(3.0 / 8).kept().get(0), b.name());
        }
        // Otsu cuts each map against itself, so a noise filter that answers to the crack at all competes
        // with the line detectors; the brightness, blob and edge filters must still go.
        IouCriterion otsu = new IouCriterion("Crack", false, Binarization.OTSU, 0f, MaskResize.ANY);
        int[] kept = new Pruner(chain, otsu, cracks).prune(3.0 / 8).kept().get(0);
        for (int notCrack : new int[] {0, 3, 5}) {
            assertFalse(java.util.Arrays.stream(kept).anyMatch(i -> i == notCrack), java.util.Arrays.toString(kept));
        }
    }

    @Test
    void iouIsZeroWhenNothingFiresAndTheMaskIsEmpty() {
        InputShape in = new InputShape(16, 16, 1);
        float[] maps = new float[2 * 16 * 16]; // 1 image, 2 filters, all zero
        maps[5] = 1f;                           // filter 0 fires at one pixel
        SegmentedSet set = new SegmentedSet(in, new float[256], List.of(new boolean[256]), List.of("Crack"), List.of("a"));
        double[] s = iou().score(new LayerEvidence(0, "c", Nd4j.zeros(2, 1, 3, 3), maps, new long[] {1, 2, 16, 16}, set));
        assertArrayEquals(new double[] {0, 0}, s);
    }

    @Test
    void iouIsExactOnAHandCountedCase() {
        InputShape in = new InputShape(4, 4, 1);
        boolean[] mask = new boolean[16];
        for (int p : new int[] {0, 1, 2, 3}) {
            mask[p] = true; // the top row
        }
        float[] maps = new float[16];
        for (int p : new int[] {2, 3, 4, 5}) {
            maps[p] = 1f;  // two on the row, two below: ∩ = 2, ∪ = 6
        }
        SegmentedSet set = new SegmentedSet(in, new float[16], List.of(mask), List.of("Crack"), List.of("a"));
        double[] s = iou().score(new LayerEvidence(0, "c", Nd4j.zeros(1, 1, 1, 1), maps, new long[] {1, 1, 4, 4}, set));
        assertEquals(2.0 / 6, s[0], 1e-12);
    }

    @Test
    void maskResizeModes() {
        boolean[] m = new boolean[64]; // 8x8 with one thin vertical line at x = 1
        for (int y = 0; y < 8; y++) {
            m[y * 8 + 1] = true;
        }
        boolean[] any = MaskResize.ANY.resize(m, 8, 8, 2, 2);
        assertArrayEquals(new boolean[] {true, false, true, false}, any);
        assertArrayEquals(new boolean[] {false, false, false, false}, MaskResize.AREA.resize(m, 8, 8, 2, 2));
        boolean[] half = new boolean[64];
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 2; x++) {
                half[y * 8 + x] = true;
            }
        }
        assertArrayEquals(new boolean[] {true, false, true, false}, MaskResize.AREA.resize(half, 8, 8, 2, 2));
        assertArrayEquals(new boolean[] {false, false, false, false}, MaskResize.NEAREST.resize(m, 8, 8, 2, 2));
    }

    @Test
    void otsuCutsBetweenTwoModes() {
        float[] v = new float[200];
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 200; i++) {
            v[i] = (float) (i < 120 ? 2 + r.nextGaussian() * 0.3 : 9 + r.nextGaussian() * 0.5);
        }
        float t = Binarization.OTSU.threshold(v, 0, v.length, 0);
        assertTrue(t > 3.5 && t < 7.5, "threshold " + t);
        assertEquals(5.5f, Binarization.MEAN.threshold(new float[] {1, 10}, 0, 2, 0), 1e-6);
    }

    @Test
    void leaveFactorGrids() {
        List<Double> grid = LeaveFactors.range(0.01, 1.0, 0.01);
        assertEquals(100, grid.size());
        assertEquals(0.29, grid.get(28));
        assertEquals(1.0, grid.get(99));
        assertEquals(List.of(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0), LeaveFactors.range(0.1, 1.0, 0.1));
        assertEquals(List.of(0.2, 0.5), LeaveFactors.of(List.of(0.5, 0.2, 0.5)));
    }
}
