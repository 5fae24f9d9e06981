package org.ftl.cost;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution2D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.layers.convolution.AvgPooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.MaxPooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.convolution.Convolution;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A deployable network (conv chain + head, channels first) run at batch 1 as a fixed list of libnd4j ops —
 * im2col and one OpenBLAS matrix product per conv (as DL4J's conv layer does), bias, in-place ReLU, max/avg pooling, one matrix product for
 * the head, softmax — each writing into an output array allocated once. The same arithmetic DL4J's layers do
 * (its conv layer calls the same im2col and GEMM), without DL4J's per-layer bookkeeping (workspaces, layer
 * state, input validation, copies between layouts), which at batch 1 on small maps costs more than the
 * arithmetic: about 0.1 ms per layer call, against tens of microseconds for a heavily pruned conv.
 *
 * <p>Built only for networks made of what FTL deploys: 2-D convs (Truncate or Same mode) with identity or ReLU,
 * max/avg pooling, the flattening preprocessor or a global average pool, and a softmax output layer.
 * {@link #of} gives empty for anything else, and callers keep DL4J's own forward pass. One instance is one
 * set of buffers: use it from one thread at a time.
 */
public final class OpProgram {
    private interface Step {
        void run(INDArray in);

        INDArray out();
    }

    private final List<Step> steps;
    private final long[] inputShape;

    private OpProgram(List<Step> steps, long[] inputShape) {
        this.steps = steps;
        this.inputShape = inputShape;
    }

    /** The program for this network at batch 1, or empty if a layer is not one it runs. */
    public static Optional<OpProgram> of(MultiLayerNetwork network, long channels, long height, long width) {
        MultiLayerConfiguration conf = network.getLayerWiseConfigurations();
        if (conf.getDataType() != DataType.FLOAT) {
            return Optional.empty();
        }
        InputType input = InputType.convolutional(height, width, channels, CNN2DFormat.NCHW);
        List<InputType> types = conf.getLayerActivationTypes(input);
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < network.getnLayers(); i++) {
            Layer l = conf.getConf(i).getLayer();
            InputPreProcessor pre = conf.getInputPreProcess(i);
            InputType in = i == 0 ? input : types.get(i - 1);
            long[] outShape = shape(types.get(i));
            if (outShape == null) {
                return Optional.empty();
            }
            if (pre != null && !(pre instanceof CnnToFeedForwardPreProcessor p && p.getFormat() == CNN2DFormat.NCHW)) {
                return Optional.empty();
            }
            Step s;
            if (l.getClass() == ConvolutionLayer.class || l.getClass() == Convolution2D.class) {
                s = conv((ConvolutionLayer) l, network.getLayer(i).paramTable(), shape(in), outShape);
            } else if (l.getClass() == SubsamplingLayer.class) {
                s = pool((SubsamplingLayer) l, outShape);
            } else if (l.getClass() == GlobalPoolingLayer.class) {
                s = globalAverage((GlobalPoolingLayer) l, in, outShape);
            } else if (l.getClass() == OutputLayer.class) {
                s = output((OutputLayer) l, network.getLayer(i).paramTable(), outShape);
            } else {
                s = null;
            }
            if (s == null) {
                return Optional.empty();
            }
            steps.add(s);
        }
        return Optional.of(new OpProgram(List.copyOf(steps), new long[] {1, channels, height, width}));
    }

    /**
     * One image at a time through this network, as {@code ftl predict} and the latency probe run it: the program
     * when the network is one it runs, DL4J's forward pass otherwise. The result may be overwritten by the next call.
     */
    public static UnaryOperator<INDArray> perImage(MultiLayerNetwork network, long channels, long height, long width) {
        Optional<OpProgram> p = of(network, channels, height, width);
        if (p.isPresent()) {
            return p.get()::output;
        }
        return x -> network.output(x, false);
    }

    /** Runs one image [1, C, H, W] (float, 'c' order); the result is this program's own buffer, overwritten next run. */
    public INDArray output(INDArray image) {
        if (!java.util.Arrays.equals(image.shape(), inputShape)) {
            throw new IllegalArgumentException("the program runs one image of shape " + java.util.Arrays.toString(inputShape)
                    + ": " + java.util.Arrays.toString(image.shape()));
        }
        INDArray x = image;
        for (Step s : steps) {
            s.run(x);
            x = s.out();
        }
        return x;
    }

    private static long[] shape(InputType t) {
        if (t instanceof InputType.InputTypeConvolutional c) {
            if (c.getFormat() != CNN2DFormat.NCHW) {
                return null;
            }
            return new long[] {1, c.getChannels(), c.getHeight(), c.getWidth()};
        }
        if (t instanceof InputType.InputTypeFeedForward f) {
            return new long[] {1, f.getSize()};
        }
        return null;
    }

    private static PaddingMode mode(ConvolutionMode m) {
        if (m == ConvolutionMode.Truncate || m == ConvolutionMode.Strict) {
            return PaddingMode.VALID;
        }
        return m == ConvolutionMode.Same ? PaddingMode.SAME : null;
    }

    private static Step conv(ConvolutionLayer c, java.util.Map<String, INDArray> params, long[] inShape, long[] outShape) {
        IActivation fn = c.getActivationFn();
        boolean relu = fn instanceof ActivationReLU r && plain(r);
        boolean valid = c.getConvolutionMode() == ConvolutionMode.Truncate || c.getConvolutionMode() == ConvolutionMode.Strict;
        if (!valid || c.getCnn2dDataFormat() != CNN2DFormat.NCHW || !(relu || fn instanceof ActivationIdentity)) {
            return null;
        }
        int[] k = c.getKernelSize();
        int[] st = c.getStride();
        int[] pad = c.getPadding();
        int[] dil = c.getDilation();
        long in = inShape[1];
        long filters = outShape[1];
        long pixels = outShape[2] * outShape[3];
        // DL4J's own conv at inference: im2col, then one GEMM [filters, in·kH·kW] x [in·kH·kW, pixels], which at batch 1
        // lands directly in the NCHW output
        INDArray w = params.get("W").dup('c').reshape('c', filters, in * k[0] * k[1]);
        INDArray b = params.containsKey("b") ? params.get("b").reshape(filters, 1).dup() : null;
        INDArray col = Nd4j.create(DataType.FLOAT, new long[] {1, in, k[0], k[1], outShape[2], outShape[3]}, 'c');
        INDArray colMatrix = col.reshape('c', in * k[0] * k[1], pixels);
        INDArray out = Nd4j.create(DataType.FLOAT, outShape);
        INDArray outMatrix = out.reshape('c', filters, pixels);
        return new Step() {
            @Override
            public void run(INDArray x) {
                Convolution.im2col(x, k[0], k[1], st[0], st[1], pad[0], pad[1], dil[0], dil[1], false, col);
                Nd4j.gemm(w, colMatrix, outMatrix, false, false, 1.0, 0.0);
                if (b != null) {
                    outMatrix.addiColumnVector(b);
                }
                if (relu) {
                    Nd4j.exec(new RectifiedLinear(out, out, 0.0));
                }
            }

            @Override
            public INDArray out() {
                return out;
            }
        };
    }

    /** max(0, x): no cap, no threshold, no leak (DL4J's ReLU has all three as options). */
    private static boolean plain(ActivationReLU r) {
        return (r.getMax() == null || Double.isInfinite(r.getMax())) && (r.getThreshold() == null || r.getThreshold() == 0)
                && (r.getNegativeSlope() == null || r.getNegativeSlope() == 0);
    }

    private static Step pool(SubsamplingLayer s, long[] outShape) {
        PaddingMode mode = mode(s.getConvolutionMode());
        PoolingType type = s.getPoolingType();
        if (mode == null || s.getCnn2dDataFormat() != CNN2DFormat.NCHW || (type != PoolingType.MAX && type != PoolingType.AVG)) {
            return null;
        }
        Pooling2DConfig config = Pooling2DConfig.builder()
                .kH(s.getKernelSize()[0]).kW(s.getKernelSize()[1])
                .sH(s.getStride()[0]).sW(s.getStride()[1])
                .pH(s.getPadding()[0]).pW(s.getPadding()[1])
                .dH(s.getDilation()[0]).dW(s.getDilation()[1])
                .paddingMode(mode).isNHWC(false)
                .divisor(s.isAvgPoolIncludePadInDivisor() ? Pooling2D.Divisor.INCLUDE_PADDING : Pooling2D.Divisor.EXCLUDE_PADDING)
                .type(type == PoolingType.MAX ? Pooling2D.Pooling2DType.MAX : Pooling2D.Pooling2DType.AVG)
                .build();
        INDArray out = Nd4j.create(DataType.FLOAT, outShape);
        boolean max = type == PoolingType.MAX;
        return new Step() {
            @Override
            public void run(INDArray in) {
                Nd4j.exec((DynamicCustomOp) (max ? new MaxPooling2D(in, out, config) : new AvgPooling2D(in, out, config)));
            }

            @Override
            public INDArray out() {
                return out;
            }
        };
    }

    private static Step globalAverage(GlobalPoolingLayer g, InputType in, long[] outShape) {
        if (g.getPoolingType() != PoolingType.AVG || !(in instanceof InputType.InputTypeConvolutional) || outShape.length != 2) {
            return null;
        }
        INDArray out = Nd4j.create(DataType.FLOAT, outShape);
        return new Step() {
            @Override
            public void run(INDArray x) {
                out.assign(x.mean(2, 3));
            }

            @Override
            public INDArray out() {
                return out;
            }
        };
    }

    private static Step output(OutputLayer o, java.util.Map<String, INDArray> params, long[] outShape) {
        if (!(o.getActivationFn() instanceof ActivationSoftmax) || !o.hasBias()) {
            return null;
        }
        INDArray w = params.get("W").dup('c'); // [nIn, nOut]
        INDArray b = params.get("b").reshape(1, o.getNOut()).dup();
        INDArray out = Nd4j.create(DataType.FLOAT, outShape);
        return new Step() {
            @Override
            public void run(INDArray in) {
                INDArray flat = in.reshape('c', 1, w.size(0)); // NCHW 'c' order: DL4J's CnnToFeedForward
                Nd4j.gemm(flat, w, out, false, false, 1.0, 0.0);
                out.addi(b);
                Nd4j.exec((DynamicCustomOp) new SoftMax(out, out, -1));
            }

            @Override
            public INDArray out() {
                return out;
            }
        };
    }
}
