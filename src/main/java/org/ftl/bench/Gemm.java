package org.ftl.bench;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution2D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.ftl.cost.Flops;
import org.ftl.cost.LatencyProbe;
import org.ftl.data.InputShape;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Locale;

/**
 * A plain single-precision matrix product C = A·B through ND4J (its BLAS), the yardstick for how many FLOP/s
 * this machine gives a network. The operands are laid out as DeepLearning4j's CPU convolution lays out its
 * im2col product (1.0.0-M2.1, ConvolutionLayer without a native helper): A [M, K] row-major (the patches),
 * B [K, N] column-major (the reshaped weights), C [M, N] column-major.
 */
final class Gemm implements LatencyProbe.Inference {
    /**
     * The product's dimensions; for a conv layer M = images·Hout·Wout, K = kH·kW·Cin, N = Cout.
     *
     * @param source what the shape stands for
     */
    record Shape(long m, long k, long n, String source) {
        long flops() {
            return 2 * m * k * n;
        }

        Shape batch(int images) {
            return new Shape(m * images, k, n, source + " x" + images + " images");
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%dx%dx%d", m, k, n);
        }
    }

    private final INDArray a;
    private final INDArray b;
    private final INDArray c;
    private double sink;

    Gemm(Shape s, long seed) {
        Nd4j.getRandom().setSeed(seed);
        a = Nd4j.rand(DataType.FLOAT, s.m(), s.k()).dup('c');
        b = Nd4j.rand(DataType.FLOAT, s.k(), s.n()).dup('f');
        c = Nd4j.create(DataType.FLOAT, new long[] {s.m(), s.n()}, 'f');
    }

    @Override
    public void run() {
        Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
        sink += c.getFloat(0);
    }

    double sink() {
        return sink;
    }

    /** A square product, n×n×n: about the best case for BLAS. */
    static Shape square(int n) {
        return new Shape(n, n, n, "square");
    }

    /**
     * The im2col product of the network's costliest convolution for one image: the shape its inference
     * spends most of its FLOPs in.
     */
    static Shape costliestConvolution(MultiLayerNetwork network, InputShape input) {
        InputType in = InputType.convolutional(input.height(), input.width(), input.channels(),
                org.deeplearning4j.nn.conf.CNN2DFormat.NCHW);
        Flops flops = Flops.of(network, in);
        MultiLayerConfiguration conf = network.getLayerWiseConfigurations();
        List<InputType> outputs = conf.getLayerActivationTypes(in);
        Shape best = null;
        long bestFlops = -1;
        for (Flops.LayerFlops l : flops.layers()) {
            Layer layer = conf.getConf(l.index()).getLayer();
            if ((layer.getClass() == ConvolutionLayer.class || layer.getClass() == Convolution2D.class) && l.flops() > bestFlops) {
                ConvolutionLayer conv = (ConvolutionLayer) layer;
                InputType.InputTypeConvolutional out = (InputType.InputTypeConvolutional) outputs.get(l.index());
                int[] k = conv.getKernelSize();
                best = new Shape(out.getHeight() * out.getWidth(), (long) k[0] * k[1] * conv.getNIn(), conv.getNOut(),
                        "conv layer " + l.index() + " '" + l.name() + "'");
                bestFlops = l.flops();
            }
        }
        if (best == null) {
            throw new IllegalArgumentException("the network has no convolution layer");
        }
        return best;
    }
}
