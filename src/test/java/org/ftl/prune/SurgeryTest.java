package org.ftl.prune;

import org.ftl.backbone.ConvChain;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.ftl.FtlError;
import org.ftl.backbone.Architecture;
import org.ftl.data.InputShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SurgeryTest {
    private static final InputShape IN = new InputShape(64, 64, 3);

    @Test
    void convPartDropsTheClassifierAndReproducesTheBackbonesMaps() {
        MultiLayerNetwork full = TestNets.backbone(Architecture.ALEXNET, 0.125, true, IN, 1, true);
        ConvChain chain = ConvChain.of(full, IN);
        INDArray x = TestNets.images(3, IN, 2);
        List<INDArray> acts = full.feedForward(x, false); // [input, layer0, …]
        int lastConvPart = full.getnLayers() - 2;       // the output layer is dropped
        assertEquals(acts.get(lastConvPart + 1), chain.output(x));
        assertEquals(5, chain.blocks().size());
        assertArrayEquals(new int[] {12, 32, 48, 48, 32}, chain.filterCounts());
    }

    @Test
    void leaveFactorOneIsTheBackboneExactly() {
        for (boolean bn : new boolean[] {false, true}) {
            ConvChain chain = ConvChain.of(TestNets.backbone(Architecture.ALEXNET, 0.125, bn, IN, 3, false), IN);
            ConvChain same = Surgery.keep(chain, TestNets.all(chain));
            INDArray x = TestNets.images(2, IN, 4);
            assertEquals(chain.output(x), same.output(x));
            assertEquals(chain.parameters(), same.parameters());
        }
    }

    @Test
    void pruningTheLastLayerKeepsExactlyItsKeptChannels() {
        ConvChain chain = ConvChain.of(TestNets.backbone(Architecture.ALEXNET, 0.125, true, IN, 5, false), IN);
        List<int[]> kept = new ArrayList<>(TestNets.all(chain));
        int[] lastKept = {0, 3, 7, 30};
        kept.set(4, lastKept);
        ConvChain pruned = Surgery.keep(chain, kept);
        INDArray x = TestNets.images(2, IN, 6);
        INDArray expected = chain.output(x).get(NDArrayIndex.all(), NDArrayIndex.indices(0, 3, 7, 30),
                NDArrayIndex.all(), NDArrayIndex.all());
        assertEquals(expected, pruned.output(x));
    }

    @Test
    void pruningTheFirstLayerKeepsItsKeptMapsExactly() {
        MultiLayerNetwork full = TestNets.backbone(Architecture.ALEXNET, 0.125, true, IN, 7, false);
        ConvChain chain = ConvChain.of(full, IN);
        List<int[]> kept = new ArrayList<>(TestNets.all(chain));
        kept.set(0, new int[] {1, 2, 5, 11});
        ConvChain pruned = Surgery.keep(chain, kept);
        INDArray x = TestNets.images(2, IN, 8);
        int lastOfBlock = chain.blocks().get(0).map().get(chain.blocks().get(0).map().size() - 1);
        INDArray original = chain.network().feedForwardToLayer(lastOfBlock, x, false).get(lastOfBlock + 1);
        INDArray variant = pruned.network().feedForwardToLayer(lastOfBlock, x, false).get(lastOfBlock + 1);
        INDArray expected = original.get(NDArrayIndex.all(), NDArrayIndex.indices(1, 2, 5, 11), NDArrayIndex.all(), NDArrayIndex.all());
        assertArrayEquals(expected.shape(), variant.shape());
        // the same filters and batch-norm values; libnd4j's vectorised batch-norm and conv loops sum a 4-channel map in
        // another order than a 12-channel one on some CPUs (AVX-512 Xeon: 7.6e-5 on values up to 249), so equal up to
        // float rounding, not bit for bit
        double scale = expected.amaxNumber().doubleValue();
        assertTrue(expected.sub(variant).amaxNumber().doubleValue() <= 1e-6 * scale,
                "largest difference " + expected.sub(variant).amaxNumber() + " on values up to " + scale);
    }

    @Test
    void parameterCountsMatchTheClosedForm() {
        int[] widths = {12, 32, 48, 48, 32};
        int[] kernels = {11, 5, 3, 3, 3};
        for (boolean bn : new boolean[] {false, true}) {
            ConvChain chain = ConvChain.of(TestNets.backbone(Architecture.ALEXNET, 0.125, bn, IN, 9, false), IN);
            assertEquals(closedForm(kernels, 3, widths, bn), chain.parameters());
            int[][] keep = {{0, 4}, {1, 2, 3}, {0}, {5, 6, 40}, {9, 10}};
            ConvChain pruned = Surgery.keep(chain, Arrays.asList(keep));
            int[] left = Arrays.stream(keep).mapToInt(k -> k.length).toArray();
            assertEquals(closedForm(kernels, 3, left, bn), pruned.parameters());
            assertArrayEquals(left, pruned.filterCounts());
        }
    }

    /** Σ k²·in·out + out (+ 4·out for batch-norm's gamma, beta, mean, variance). */
    private static long closedForm(int[] kernels, int inputChannels, int[] filters, boolean bn) {
        long p = 0;
        int in = inputChannels;
        for (int i = 0; i < filters.length; i++) {
            p += (long) kernels[i] * kernels[i] * in * filters[i] + filters[i] + (bn ? 4L * filters[i] : 0);
            in = filters[i];
        }
        return p;
    }

    @Test
    void vgg16ShapeAndCounts() {
        InputShape in = new InputShape(32, 32, 3);
        ConvChain chain = ConvChain.of(TestNets.backbone(Architecture.VGG16, 0.0625, false, in, 1, false), in);
        assertEquals(13, chain.blocks().size());
        assertArrayEquals(new long[] {32, 1, 1}, chain.outputShape());
        assertEquals("block5_conv3", chain.blocks().get(12).name());
    }

    @Test
    void savedVariantLoadsAsAnOrdinaryModelWithTheSameOutputs(@TempDir Path dir) {
        ConvChain chain = ConvChain.of(TestNets.backbone(Architecture.ALEXNET, 0.125, true, IN, 11, false), IN);
        int[][] keep = {{0, 4, 5}, {1, 2, 3}, {0, 1}, {5, 6, 40}, {9, 10}};
        ConvChain pruned = Surgery.keep(chain, Arrays.asList(keep));
        Path file = dir.resolve("variant.zip");
        pruned.save(file);
        ConvChain loaded = ConvChain.load(file, IN);
        INDArray x = TestNets.images(2, IN, 12);
        assertEquals(pruned.output(x), loaded.output(x));
        assertEquals(pruned.parameters(), loaded.parameters());
        assertArrayEquals(pruned.filterCounts(), loaded.filterCounts());
    }

    @Test
    void badKeptListsAreRefused() {
        ConvChain chain = ConvChain.of(TestNets.backbone(Architecture.ALEXNET, 0.125, false, IN, 13, false), IN);
        List<int[]> kept = new ArrayList<>(TestNets.all(chain));
        kept.set(1, new int[0]);
        assertThrows(IllegalArgumentException.class, () -> Surgery.keep(chain, kept));
        kept.set(1, new int[] {3, 2});
        assertThrows(IllegalArgumentException.class, () -> Surgery.keep(chain, kept));
        kept.set(1, new int[] {99});
        assertThrows(IllegalArgumentException.class, () -> Surgery.keep(chain, kept));
    }

    @Test
    void aLayerThatCannotBePrunedIsNamed() {
        var conf = new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder().list()
                .layer(new org.deeplearning4j.nn.conf.layers.ConvolutionLayer.Builder(3, 3).name("c1").nOut(4).build())
                .layer(new org.deeplearning4j.nn.conf.layers.LocalResponseNormalization.Builder().name("lrn1").build())
                .setInputType(org.deeplearning4j.nn.conf.inputs.InputType.convolutional(16, 16, 3))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        FtlError e = assertThrows(FtlError.class, () -> ConvChain.of(net, new InputShape(16, 16, 3)));
        assertTrue(e.getMessage().contains("'lrn1' (LocalResponseNormalization) cannot be pruned"), e.getMessage());
    }
}
