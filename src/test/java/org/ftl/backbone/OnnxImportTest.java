package org.ftl.backbone;

import org.apache.hadoop.conf.Configuration;
import org.ftl.FtlError;
import org.ftl.data.InputShape;
import org.ftl.infer.OnnxModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** torchvision-shaped ONNX models as backbones: their conv part, in DL4J, computes what ONNX Runtime computes. */
class OnnxImportTest {
    @TempDir
    Path dir;

    private static void assertConvPartComputesWhatOnnxRuntimeDoes(List<OnnxFiles.Block> blocks, InputShape in, long seed) {
        byte[] full = OnnxFiles.model(blocks, in.height(), in.channels(), false, null, seed);
        byte[] convPart = OnnxFiles.model(blocks, in.height(), in.channels(), true, null, seed);
        ConvChain chain = ConvChain.checked(OnnxImport.convPart(full, "model.onnx", in), in, "model.onnx");
        assertArrayEquals(blocks.stream().mapToInt(OnnxFiles.Block::filters).toArray(), chain.filterCounts());
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.rand(DataType.FLOAT, 3, in.channels(), in.height(), in.width()).subi(0.5).muli(4);
        float[] expected;
        try (OnnxModel m = OnnxModel.load(convPart, 1)) {
            expected = m.run(x.dup('c').data().asFloat(), 3);
        }
        INDArray map = chain.output(x);
        float[] actual = map.dup('c').data().asFloat();
        assertEquals(expected.length, actual.length);
        double scale = 0;
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(scale > 0, "the maps are not all zero");
        assertTrue(worst <= 1e-4 * Math.max(1, scale), "largest difference " + worst + " on values up to " + scale);
    }

    @Test
    void torchvisionAlexnetsConvPartImports() {
        assertConvPartComputesWhatOnnxRuntimeDoes(OnnxFiles.alexnet(0.125), new InputShape(64, 64, 3), 1);
    }

    @Test
    void torchvisionVgg16BnConvPartImports() {
        assertConvPartComputesWhatOnnxRuntimeDoes(OnnxFiles.vgg16bn(0.0625), new InputShape(32, 32, 3), 2);
    }

    @Test
    void anOnnxFileIsABackboneSource() throws Exception {
        Path file = dir.resolve("alexnet.onnx");
        Files.write(file, OnnxFiles.model(OnnxFiles.alexnet(0.125), 64, 3, false, null, 3));
        Backbones.Source s = Backbones.Source.parse(file.toString());
        assertTrue(s instanceof Backbones.OnnxFile);
        ConvChain chain = Backbones.load(s, new InputShape(64, 64, 3), new Configuration());
        assertEquals(5, chain.blocks().size());
    }

    @Test
    void aNodeFtlCannotPruneIsRefusedByName() {
        byte[] residual = OnnxFiles.model(OnnxFiles.alexnet(0.125), 64, 3, false, "Add", 4);
        FtlError e = assertThrows(FtlError.class, () -> OnnxImport.convPart(residual, "resnet.onnx", new InputShape(64, 64, 3)));
        assertTrue(e.getMessage().startsWith("resnet.onnx: ") && e.getMessage().contains("(Add) cannot be pruned"), e.getMessage());

        byte[] model = OnnxFiles.model(OnnxFiles.alexnet(0.125), 64, 3, false, null, 5);
        FtlError grey = assertThrows(FtlError.class, () -> OnnxImport.convPart(model, "m.onnx", new InputShape(64, 64, 1)));
        assertTrue(grey.getMessage().contains("3 channel(s), but input.channels is 1"), grey.getMessage());

        FtlError junk = assertThrows(FtlError.class, () -> OnnxImport.convPart("not onnx".getBytes(), "x.onnx",
                new InputShape(64, 64, 3)));
        assertTrue(junk.getMessage().startsWith("x.onnx: not an ONNX model"), junk.getMessage());
    }
}
