package org.ftl.backbone;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.ftl.data.InputShape;
import org.ftl.data.Preprocessing;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The training network runs its layers on oneDNN (the build's nd4j-native is the oneDNN one), computes what DL4J's
 * own layers compute, and leaves every other network on DL4J's own layers.
 */
class OneDnnTrainingTest {
    private static final InputShape SHAPE = new InputShape(64, 64, 3);

    private static MultiLayerConfiguration conf() {
        BackboneSettings.Train t = new BackboneSettings.Train(1, 1, 8, 0.001, 1e-4, 0.2, false, "local");
        return new BackboneTrainer(Architecture.ALEXNET, 0.125, true, t, Preprocessing.IMAGENET_MEAN, 5).configuration(SHAPE, 3);
    }

    private static DataSet batch() {
        Nd4j.getRandom().setSeed(11);
        INDArray x = Nd4j.rand(DataType.FLOAT, 8, 3, 64, 64).muli(255).subi(120);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 8, 3);
        for (int i = 0; i < 8; i++) {
            y.putScalar(i, i % 3, 1f);
        }
        return new DataSet(x, y);
    }

    @Test
    void theBuildHasOneDnn() {
        assertTrue(OneDnnTraining.available(), "nd4j-native without oneDNN: backbone training runs 3-4x slower (see pom.xml)");
    }

    @Test
    void theTrainingNetworkRunsOnOneDnnAndComputesWhatDl4jsLayersCompute() {
        Assumptions.assumeTrue(OneDnnTraining.available(), "nd4j-native without oneDNN");
        MultiLayerNetwork dnn = OneDnnTraining.network(conf());
        MultiLayerNetwork plain = new MultiLayerNetwork(conf());
        plain.init();
        // conv1, conv1_bn, conv1_relu, pool1, …
        assertNotNull(dnn.getLayer(0).getHelper(), "convolution on oneDNN");
        assertNotNull(dnn.getLayer(1).getHelper(), "batch-norm on oneDNN");
        assertNotNull(dnn.getLayer(3).getHelper(), "pooling on oneDNN");
        assertNull(plain.getLayer(0).getHelper());
        assertEquals(plain.params(), dnn.params(), "same seed, same initial weights");

        DataSet b = batch();
        INDArray difference = dnn.output(b.getFeatures()).sub(plain.output(b.getFeatures()));
        assertTrue(difference.amaxNumber().doubleValue() < 2e-4, "class probabilities differ by " + difference.amaxNumber());
        for (int step = 0; step < 3; step++) {
            dnn.fit(b);
            plain.fit(b);
        }
        // the same function and gradients up to float rounding, which Adam's first steps amplify a little
        assertEquals(plain.score(), dnn.score(), 1e-4 * Math.abs(plain.score()));
        double paramsApart = dnn.params().sub(plain.params()).amaxNumber().doubleValue();
        assertTrue(paramsApart < 5e-3, "parameters apart by " + paramsApart + " after 3 steps");
    }

    @Test
    void thePropertyIsPutBackAndOtherNetworksKeepDl4jsLayers() {
        assertNull(System.getProperty(OneDnnTraining.DISABLE_PROPERTY));
        MultiLayerNetwork trained = OneDnnTraining.network(conf());
        assertNull(System.getProperty(OneDnnTraining.DISABLE_PROPERTY), "not left set");
        // the backbone FTL prunes and deploys is rebuilt from the trained network's conv part: plain layers
        ConvChain chain = ConvChain.of(trained, SHAPE);
        for (int i = 0; i < chain.network().getnLayers(); i++) {
            assertNull(chain.network().getLayer(i).getHelper(), "layer " + i + " of the backbone");
        }
        Assumptions.assumeTrue(OneDnnTraining.available(), "nd4j-native without oneDNN");
        System.setProperty(OneDnnTraining.DISABLE_PROPERTY, "true");
        try {
            assertNotNull(OneDnnTraining.network(conf()).getLayer(0).getHelper());
            assertEquals("true", System.getProperty(OneDnnTraining.DISABLE_PROPERTY), "a user's own value is put back");
        } finally {
            System.clearProperty(OneDnnTraining.DISABLE_PROPERTY);
        }
    }
}
