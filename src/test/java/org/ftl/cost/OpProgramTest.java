package org.ftl.cost;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.ftl.backbone.Architecture;
import org.ftl.backbone.Backbones;
import org.ftl.data.InputShape;
import org.ftl.head.Classifier;
import org.ftl.infer.FeatureMode;
import org.ftl.head.LogisticHead;
import org.ftl.prune.ConvChain;
import org.ftl.prune.Folding;
import org.ftl.prune.Surgery;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpProgramTest {
    private static final InputShape IN = new InputShape(64, 64, 3);

    /** The assembled network with random head weights (a zero head would hide a wrong feature order). */
    private static MultiLayerNetwork deployable(ConvChain c, FeatureMode mode, long seed) {
        int d = (int) mode.features(c.outputShape());
        MultiLayerNetwork net = Classifier.assemble(c, mode, LogisticHead.zeros(d, 2), List.of("a", "b")).network();
        org.nd4j.linalg.factory.Nd4j.getRandom().setSeed(seed);
        org.deeplearning4j.nn.api.Layer out = net.getLayer(net.getnLayers() - 1);
        out.getParam("W").assign(org.nd4j.linalg.factory.Nd4j.rand(out.getParam("W").dataType(), out.getParam("W").shape()).subi(0.5).muli(0.1));
        out.getParam("b").assign(org.nd4j.linalg.factory.Nd4j.rand(out.getParam("b").dataType(), out.getParam("b").shape()).subi(0.5));
        return net;
    }

    @Test
    void programGivesDl4jsProbabilitiesForFoldedAndPrunedNetworks() {
        ConvChain chain = Folding.fold(Backbones.untrained(Architecture.ALEXNET, 0.25, true, IN, 3));
        List<int[]> small = chain.blocks().stream().map(b -> IntStream.range(0, Math.max(1, b.filters() / 10)).toArray()).toList();
        for (ConvChain c : List.of(chain, Surgery.keep(chain, small))) {
            for (FeatureMode mode : FeatureMode.values()) {
                MultiLayerNetwork net = deployable(c, mode, 5);
                OpProgram p = OpProgram.of(net, 3, 64, 64).orElseThrow();
                for (long seed = 0; seed < 3; seed++) {
                    INDArray x = Nets.image(IN, seed).muli(255).subi(120);
                    INDArray expected = net.output(x, false);
                    INDArray actual = p.output(x);
                    assertArrayEquals(expected.shape(), actual.shape());
                    double err = Transforms.abs(expected.sub(actual)).maxNumber().doubleValue();
                    assertTrue(err < 1e-5, mode + " seed " + seed + ": " + expected + " vs " + actual);
                }
            }
        }
    }

    /** Feature extraction runs chains at batch 32 and the block's remainder: every image's map as DL4J gives it. */
    @Test
    void aBatchGivesEachImageDl4jsMapAndProbabilities() {
        ConvChain chain = Folding.fold(Backbones.untrained(Architecture.ALEXNET, 0.25, true, IN, 7));
        List<int[]> small = chain.blocks().stream().map(b -> IntStream.range(0, Math.max(1, b.filters() / 3)).toArray()).toList();
        for (ConvChain c : List.of(chain, Surgery.keep(chain, small))) {
            for (int batch : new int[] {1, 2, 5}) {
                org.nd4j.linalg.factory.Nd4j.getRandom().setSeed(batch);
                INDArray x = org.nd4j.linalg.factory.Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, batch, 3, 64, 64)
                        .muli(255).subi(120);
                OpProgram maps = OpProgram.of(c.network(), batch, 3, 64, 64).orElseThrow();
                assertClose(c.output(x), maps.output(x), 1e-3, "maps at batch " + batch);
                MultiLayerNetwork net = deployable(c, FeatureMode.AVERAGE, 8);
                OpProgram classify = OpProgram.of(net, batch, 3, 64, 64).orElseThrow();
                assertClose(net.output(x, false), classify.output(x), 1e-5, "probabilities at batch " + batch);
                for (int i = 0; i < batch; i++) { // each image alone, as the deployed model runs it, gives its row
                    INDArray one = x.slice(i).reshape(1, 3, 64, 64).dup('c');
                    INDArray alone = OpProgram.of(c.network(), 3, 64, 64).orElseThrow().output(one);
                    assertClose(alone, maps.output(x).slice(i).reshape(alone.shape()), 0, "image " + i + " of " + batch);
                }
            }
        }
    }

    /**
     * Variants sharing their first conv's columns give what each gives alone, whichever input ran last: with the
     * columns of both inputs kept, of only the first (the budget fits one), and of none (scratch buffer only).
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(longs = {64L << 20, 4 * 363 * 225 * 4, 0})
    void variantsSharingInputColumnsGiveTheirOwnMaps(long budget) {
        ConvChain chain = Folding.fold(Backbones.untrained(Architecture.ALEXNET, 0.25, true, IN, 11));
        List<int[]> half = chain.blocks().stream().map(b -> IntStream.range(0, Math.max(1, b.filters() / 2)).toArray()).toList();
        List<int[]> odd = chain.blocks().stream().map(b -> IntStream.range(0, b.filters()).filter(f -> f % 3 == 1).toArray()).toList();
        List<ConvChain> variants = List.of(chain, Surgery.keep(chain, half), Surgery.keep(chain, odd));
        InputColumns shared = new InputColumns(budget);
        List<OpProgram> together = variants.stream().map(c -> OpProgram.of(c.network(), 4, 3, 64, 64, shared).orElseThrow()).toList();
        List<INDArray> inputs = new java.util.ArrayList<>();
        for (int seed = 0; seed < 2; seed++) {
            org.nd4j.linalg.factory.Nd4j.getRandom().setSeed(100 + seed);
            inputs.add(org.nd4j.linalg.factory.Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 4, 3, 64, 64).muli(255));
        }
        for (INDArray x : List.of(inputs.get(0), inputs.get(1), inputs.get(1), inputs.get(0), inputs.get(1))) {
            for (int v = 0; v < variants.size(); v++) {
                INDArray alone = OpProgram.of(variants.get(v).network(), 4, 3, 64, 64).orElseThrow().output(x);
                assertClose(alone, together.get(v).output(x), 0, "variant " + v);
            }
        }
        shared.clear(); // the kept columns are freed; the programs go on with fresh ones
        for (int v = 0; v < variants.size(); v++) {
            INDArray alone = OpProgram.of(variants.get(v).network(), 4, 3, 64, 64).orElseThrow().output(inputs.get(0));
            assertClose(alone, together.get(v).output(inputs.get(0)), 0, "variant " + v + " after clear");
        }
    }

    private static void assertClose(INDArray expected, INDArray actual, double tolerance, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what);
        double scale = Math.max(1, Transforms.abs(expected).maxNumber().doubleValue());
        double err = Transforms.abs(expected.sub(actual)).maxNumber().doubleValue() / scale;
        assertTrue(err <= tolerance, what + ": relative error " + err);
    }

    @Test
    void unfoldedBatchNormIsNotRunByTheProgram() {
        ConvChain chain = Backbones.untrained(Architecture.ALEXNET, 0.125, true, IN, 3);
        int d = (int) FeatureMode.FLATTEN.features(chain.outputShape());
        MultiLayerNetwork net = Classifier.assemble(chain, FeatureMode.FLATTEN, LogisticHead.zeros(d, 2), List.of("a", "b")).network();
        assertTrue(OpProgram.of(net, 3, 64, 64).isEmpty());
    }

    /** What ftl predict loads from best/model.zip runs as a program, with the saved network's probabilities. */
    @Test
    void aSavedAndLoadedClassifierRunsAsAProgram(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        ConvChain chain = Folding.fold(Backbones.untrained(Architecture.ALEXNET, 0.125, true, IN, 4));
        MultiLayerNetwork net = deployable(chain, FeatureMode.FLATTEN, 6);
        java.nio.file.Path file = dir.resolve("model.zip");
        org.ftl.AtomicFiles.write(file, Classifier.assemble(chain, FeatureMode.FLATTEN, LogisticHead.zeros(
                (int) FeatureMode.FLATTEN.features(chain.outputShape()), 2), List.of("a", "b")).toBytes());
        MultiLayerNetwork loaded = Classifier.load(file).network();
        loaded.setParams(net.params());
        java.util.function.UnaryOperator<INDArray> run = OpProgram.perImage(loaded, 3, 64, 64);
        assertTrue(OpProgram.of(loaded, 3, 64, 64).isPresent());
        INDArray x = Nets.image(IN, 9).muli(255).subi(120);
        INDArray expected = net.output(x, false);
        assertTrue(Transforms.abs(expected.sub(run.apply(x))).maxNumber().doubleValue() < 1e-5);
    }
}
