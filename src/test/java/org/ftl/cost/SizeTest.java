package org.ftl.cost;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.ftl.backbone.Architecture;
import org.ftl.data.InputShape;
import org.ftl.backbone.ConvChain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SizeTest {
    private static final InputShape IN = new InputShape(64, 64, 3);

    @Test
    void serializedSizeIsTheModelFilesLength(@TempDir Path dir) throws Exception {
        ConvChain chain = ConvChain.of(Nets.backbone(Architecture.ALEXNET, 0.125, IN), IN);
        MultiLayerNetwork net = chain.network();
        Path file = dir.resolve("model.zip");
        ModelSerializer.writeModel(net, file.toFile(), false);
        ModelSize size = ModelSize.of(net);
        assertEquals(Files.size(file), size.serializedBytes());
        assertEquals(chain.toBytes().length, size.serializedBytes());
        assertEquals(net.numParams(), size.parameters());
        assertEquals(4 * net.numParams(), size.parameterBytes());
    }

    @Test
    void sizeGrowsWithParameters() {
        ModelSize small = ModelSize.of(Nets.backbone(Architecture.ALEXNET, 0.0625, IN));
        ModelSize large = ModelSize.of(Nets.backbone(Architecture.ALEXNET, 0.125, IN));
        assertTrue(large.parameters() > 3 * small.parameters(), large + " vs " + small);
        // random float32 weights barely compress: the file grows by about the parameters' bytes
        long grown = large.serializedBytes() - small.serializedBytes();
        long paramGrowth = large.parameterBytes() - small.parameterBytes();
        assertTrue(grown > paramGrowth / 2 && grown < 2 * paramGrowth, grown + " bytes for " + paramGrowth + " parameter bytes");
    }

    /** A deployed model never trains again: the optimiser's state (Adam: two moments per weight) is left out. */
    @Test
    void updaterStateIsNotCounted(@TempDir Path dir) throws Exception {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1)
                .dataType(DataType.FLOAT).updater(new Adam(1e-3)).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(8).activation(Activation.RELU).build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(8, 8, 1, CNN2DFormat.NCHW))
                .build());
        net.init();
        net.fit(Nd4j.rand(DataType.FLOAT, 4, 1, 8, 8), Nd4j.eye(2).repeat(0, 2).castTo(DataType.FLOAT));
        Path withUpdater = dir.resolve("with-updater.zip");
        ModelSerializer.writeModel(net, withUpdater.toFile(), true);
        long size = ModelSize.of(net).serializedBytes();
        assertTrue(size < Files.size(withUpdater), size + " vs " + Files.size(withUpdater));
    }
}
