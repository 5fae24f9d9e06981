package org.ftl.prune;

import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.ftl.backbone.Architecture;
import org.ftl.backbone.ConvChain;
import org.ftl.data.InputShape;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNull;

/** prune.magnitude: the kernel as trained, or as deployed with the batch-norm after it folded in. */
class MagnitudeTest {
    private static final InputShape IN = new InputShape(64, 64, 3);

    /** An AlexNet with batch-norm after every conv whose batch-norms scale their filters unevenly, as trained ones do. */
    private static ConvChain withUnevenNorms(long seed) {
        ConvChain chain = ConvChain.of(TestNets.backbone(Architecture.ALEXNET, 0.125, true, IN, seed, false), IN);
        java.util.Random r = new java.util.Random(seed);
        for (ConvChain.Block b : chain.blocks()) {
            int norm = b.map().get(1);
            assertEquals(ConvChain.Role.NORM, ConvChain.role(chain.layerConf(norm)), b.name());
            INDArray gamma = chain.network().getLayer(norm).getParam(BatchNormalizationParamInitializer.GAMMA);
            // DL4J keeps log10 of the standard deviation by default
            INDArray logStd = chain.network().getLayer(norm).getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD);
            for (int f = 0; f < b.filters(); f++) {
                gamma.putScalar(f, (r.nextBoolean() ? 1 : -1) * (0.05 + 3 * r.nextDouble()));
                logStd.putScalar(f, Math.log10(Math.sqrt(0.01 + 4 * r.nextDouble())));
            }
        }
        return chain;
    }

    @Test
    void foldedMagnitudesAreTheKernelsNormsTimesTheBatchNormsScale() {
        ConvChain chain = withUnevenNorms(3);
        ConvChain.Block first = chain.blocks().get(0);
        INDArray w = chain.network().getLayer(first.conv()).getParam("W");
        double[] s = Folding.outputScale(chain, first);
        LayerEvidence e = new LayerEvidence(0, first.name(), w, null, null, null, s);
        double[] kernel = e.magnitudes(Magnitude.KERNEL);
        double[] folded = e.magnitudes(Magnitude.FOLDED);
        INDArray gamma = chain.network().getLayer(first.map().get(1)).getParam(BatchNormalizationParamInitializer.GAMMA);
        INDArray logStd = chain.network().getLayer(first.map().get(1)).getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD);
        for (int f = 0; f < first.filters(); f++) {
            double byHand = 0;
            for (double v : w.slice(f).dup().data().asDouble()) {
                byHand += Math.abs(v);
            }
            assertEquals(byHand, kernel[f], 1e-4 * byHand);
            double std = Math.pow(10, logStd.getDouble(f));
            double scale = Math.abs(gamma.getDouble(f)) / Math.sqrt(std * std + 1e-5);
            assertEquals(byHand * scale, folded[f], 1e-3 * byHand * scale, "filter " + f);
        }
        // without batch-norm the two are one
        assertArrayEquals(kernel, new LayerEvidence(0, first.name(), w, null, null, null).magnitudes(Magnitude.FOLDED), 0);
    }

    @Test
    void foldedL1OnTheTrainedChainKeepsWhatL1KeepsOnTheDeployedOne() {
        ConvChain chain = withUnevenNorms(5);
        ConvChain deployed = Folding.fold(chain);
        assertNull(Folding.outputScale(deployed, deployed.blocks().get(0)));
        for (double f : new double[] {0.2, 0.5}) {
            PrunedVariant folded = new Pruner(chain, new L1Criterion(Magnitude.FOLDED), null).prune(f);
            PrunedVariant onDeployed = new Pruner(deployed, new L1Criterion(), null).prune(f);
            PrunedVariant kernel = new Pruner(chain, new L1Criterion(Magnitude.KERNEL), null).prune(f);
            boolean differs = false;
            for (int b = 0; b < chain.blocks().size(); b++) {
                assertArrayEquals(onDeployed.kept().get(b), folded.kept().get(b), "f " + f + ", layer " + b);
                differs |= !java.util.Arrays.equals(kernel.kept().get(b), folded.kept().get(b));
            }
            assertTrue(differs, "the batch-norm scales change l1's choice at f " + f);
        }
    }

    @Test
    void theTieRuleAndTheBlendUseTheSameMagnitude() {
        ConvChain chain = withUnevenNorms(7);
        FilterCriterion flat = KeepRuleTest.flat();
        KeepRule byMagnitude = new KeepRule(KeepRule.Count.ROUND_N, KeepRule.Ties.MAGNITUDE);
        PrunedVariant ties = new Pruner(chain, flat, null, byMagnitude, Magnitude.FOLDED).prune(0.3);
        PrunedVariant l1 = new Pruner(chain, new L1Criterion(Magnitude.FOLDED), null).prune(0.3);
        for (int b = 0; b < chain.blocks().size(); b++) {
            assertArrayEquals(l1.kept().get(b), ties.kept().get(b), "layer " + b);
        }
    }
}
