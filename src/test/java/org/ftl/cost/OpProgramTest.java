package org.ftl.cost;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.ftl.backbone.Architecture;
import org.ftl.backbone.Backbones;
import org.ftl.data.InputShape;
import org.ftl.head.Classifier;
import org.ftl.head.FeatureMode;
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
