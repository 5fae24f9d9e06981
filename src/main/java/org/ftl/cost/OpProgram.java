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
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A network made of what FTL deploys (conv chain, optionally with its head; channels first) run at a fixed batch
 * size as a fixed list of libnd4j ops — im2col and one OpenBLAS matrix product per image per conv (as DL4J's conv
 * layer does at batch 1), bias, in-place ReLU, max/avg pooling, one matrix product for the head, softmax — each
 * writing into an output array allocated once. The same arithmetic DL4J's layers do, without their per-layer
 * bookkeeping (workspaces, layer state, input validation, copies between layouts):
 * <ul>
 *   <li>at batch 1 on small maps that bookkeeping costs more than the arithmetic: about 0.1 ms per layer call,
 *       against tens of microseconds for a heavily pruned conv (the latency probe and {@code ftl predict});</li>
 *   <li>at larger batches DL4J's conv layer hands im2col a permuted view of its column buffer, which libnd4j
 *       first fills with zeros element by element through that view: a third of the demo sweep's CPU time went
 *       there before feature extraction ran as a program, which keeps the column buffer contiguous.</li>
 * </ul>
 *
 * <p>Built only for networks made of 2-D convs (Truncate or Same mode) with identity or ReLU, max/avg pooling,
 * the flattening preprocessor or a global average pool, and a softmax output layer. {@link #of} gives empty for
 * anything else, and callers keep DL4J's own forward pass. One instance is one set of buffers: use it from one
 * thread at a time.
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
        return of(network, 1, channels, height, width);
    }

    /** The program for this network at the given batch size, or empty if a layer is not one it runs. */
    public static Optional<OpProgram> of(MultiLayerNetwork network, int batch, long channels, long height, long width) {
        return of(network, batch, channels, height, width, null);
    }

    /**
     * The program for this network at the given batch size, or empty if a layer is not one it runs. If the network
     * starts with a conv, its columns come from {@code shared} (when not null), computed once per input for every
     * program that shares it.
     */
    public static Optional<OpProgram> of(MultiLayerNetwork network, int batch, long channels, long height, long width,
                                         InputColumns shared) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch size must be at least 1: " + batch);
        }
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
            long[] outShape = shape(types.get(i), batch);
            if (outShape == null) {
                return Optional.empty();
            }
            if (pre != null && !(pre instanceof CnnToFeedForwardPreProcessor p && p.getFormat() == CNN2DFormat.NCHW)) {
                return Optional.empty();
            }
            Step s;
            if (l.getClass() == ConvolutionLayer.class || l.getClass() == Convolution2D.class) {
                s = conv((ConvolutionLayer) l, network.getLayer(i).paramTable(), shape(in, batch), outShape, i == 0 ? shared : null);
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
        return Optional.of(new OpProgram(List.copyOf(steps), new long[] {batch, channels, height, width}));
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

    /**
     * Runs one batch [N, C, H, W] of this program's batch size N (float, 'c' order); the result is this program's own
     * buffer, overwritten by the next run.
     */
    public INDArray output(INDArray images) {
        if (!java.util.Arrays.equals(images.shape(), inputShape)) {
            throw new IllegalArgumentException("the program runs batches of shape " + java.util.Arrays.toString(inputShape)
                    + ": " + java.util.Arrays.toString(images.shape()));
        }
        INDArray x = images;
        for (Step s : steps) {
            s.run(x);
            x = s.out();
        }
        return x;
    }

    private static long[] shape(InputType t, int batch) {
        if (t instanceof InputType.InputTypeConvolutional c) {
            if (c.getFormat() != CNN2DFormat.NCHW) {
                return null;
            }
            return new long[] {batch, c.getChannels(), c.getHeight(), c.getWidth()};
        }
        if (t instanceof InputType.InputTypeFeedForward f) {
            return new long[] {batch, f.getSize()};
        }
        return null;
    }

    private static PaddingMode mode(ConvolutionMode m) {
        if (m == ConvolutionMode.Truncate || m == ConvolutionMode.Strict) {
            return PaddingMode.VALID;
        }
        return m == ConvolutionMode.Same ? PaddingMode.SAME : null;
    }

    private static Step conv(ConvolutionLayer c, java.util.Map<String, INDArray> params, long[] inShape, long[] outShape,
                             InputColumns shared) {
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
        int batch = (int) inShape[0];
        long filters = outShape[1];
        long pixels = outShape[2] * outShape[3];
        // DL4J's own conv at inference, image by image: im2col of the whole batch into one contiguous buffer, then per
        // image one GEMM [filters, in·kH·kW] x [in·kH·kW, pixels] that lands directly in that image's NCHW output
        INDArray w = params.get("W").dup('c').reshape('c', filters, in * k[0] * k[1]);
        INDArray b = params.containsKey("b") ? params.get("b").reshape(filters).dup() : null;
        long[] colShape = {batch, in, k[0], k[1], outShape[2], outShape[3]};
        InputColumns.Columns own = shared == null ? InputColumns.allocate(colShape) : null;
        INDArray out = Nd4j.create(DataType.FLOAT, outShape);
        INDArray[] outMatrix = views(out, filters, pixels); // made once
        return new Step() {
            @Override
            public void run(INDArray x) {
                InputColumns.Columns col;
                if (shared != null) {
                    col = shared.of(x, colShape, k, st, pad, dil); // computed once per input for every variant
                } else {
                    col = own;
                    InputColumns.im2col(x, col, k, st, pad, dil);
                }
                for (int i = 0; i < batch; i++) {
                    Nd4j.gemm(w, col.images()[i], outMatrix[i], false, false, 1.0, 0.0);
                }
                if (b != null) {
                    Nd4j.exec(new BroadcastAddOp(out, b, out, 1));
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

    /** Each image of a contiguous 'c' batch buffer as a [rows, columns] matrix sharing its memory. */
    static INDArray[] views(INDArray batch, long rows, long columns) {
        INDArray flat = batch.reshape('c', new long[] {batch.length()});
        INDArray[] views = new INDArray[(int) batch.size(0)];
        for (int i = 0; i < views.length; i++) {
            INDArray v = views.length == 1 ? batch.reshape('c', rows, columns) : batch.slice(i).reshape('c', rows, columns);
            // a copy would leave the GEMM's result unseen: checked once by writing through the view (buffers start at 0)
            v.putScalar(rows - 1, columns - 1, 1f);
            boolean shared = flat.getFloat((i + 1) * rows * columns - 1) == 1f;
            v.putScalar(rows - 1, columns - 1, 0f);
            if (!shared) {
                throw new IllegalStateException("image " + i + " of the batch reshaped to a copy, not a view");
            }
            views[i] = v;
        }
        return views;
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
        INDArray b = params.get("b").reshape(o.getNOut()).dup();
        long batch = outShape[0];
        INDArray out = Nd4j.create(DataType.FLOAT, outShape);
        return new Step() {
            @Override
            public void run(INDArray in) {
                INDArray flat = in.reshape('c', batch, w.size(0)); // NCHW 'c' order: DL4J's CnnToFeedForward
                Nd4j.gemm(flat, w, out, false, false, 1.0, 0.0);
                out.addiRowVector(b);
                Nd4j.exec((DynamicCustomOp) new SoftMax(out, out, -1));
            }

            @Override
            public INDArray out() {
                return out;
            }
        };
    }
}
