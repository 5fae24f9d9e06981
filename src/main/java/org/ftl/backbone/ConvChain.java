package org.ftl.backbone;

import org.ftl.prune.Surgery;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.conf.layers.util.MaskLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.ftl.FtlError;
import org.ftl.ModelZip;
import org.ftl.data.InputShape;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The part of a backbone FTL prunes: a straight chain of conv, batch-norm, activation and pooling layers,
 * held as an ordinary DL4J network (channels first, NCHW), with its structure read off as blocks.
 *
 * <p>A <em>block</em> is one conv layer plus the batch-norm and activation layers right after it: its
 * output is the conv layer's <em>activation map</em>, which the criteria score. The block's <em>tail</em>
 * is what follows until the next conv (pooling, padding): per-channel operations, so pruning a channel
 * before or after them gives the same result.
 */
public final class ConvChain {
    /** What a layer is to the method. */
    public enum Role { CONV, NORM, ACTIVATION, POOL, PAD, SKIP }

    /** One conv layer's block: indices into the network's layers. */
    public record Block(String name, int conv, List<Integer> map, List<Integer> tail, int filters) {
    }

    private final MultiLayerNetwork network;
    private final InputShape input;
    private final List<Block> blocks;
    private final List<Integer> leading;

    private ConvChain(MultiLayerNetwork network, InputShape input) {
        this.network = network;
        this.input = input;
        List<Block> found = new ArrayList<>();
        List<Integer> lead = new ArrayList<>();
        int n = network.getnLayers();
        int i = 0;
        while (i < n && role(layerConf(i)) != Role.CONV) {
            lead.add(i++);
        }
        while (i < n) {
            int conv = i++;
            List<Integer> map = new ArrayList<>(List.of(conv));
            while (i < n && (role(layerConf(i)) == Role.NORM || role(layerConf(i)) == Role.ACTIVATION)) {
                map.add(i++);
            }
            List<Integer> tail = new ArrayList<>();
            while (i < n && role(layerConf(i)) != Role.CONV) {
                tail.add(i++);
            }
            ConvolutionLayer c = (ConvolutionLayer) layerConf(conv);
            String name = c.getLayerName() != null ? c.getLayerName() : "conv" + (found.size() + 1);
            found.add(new Block(name, conv, List.copyOf(map), List.copyOf(tail), (int) c.getNOut()));
        }
        this.blocks = Collections.unmodifiableList(found);
        this.leading = List.copyOf(lead);
    }

    /** Wraps a network that already is a conv chain in NCHW (as {@link #of} and {@link Surgery} make). */
    public static ConvChain wrap(MultiLayerNetwork network, InputShape input) {
        return new ConvChain(network, input);
    }

    /**
     * The conv part of any DL4J network: layers up to the first dense, global-pooling or output layer;
     * NHWC layers (Keras imports) are turned channel-first. A layer FTL cannot prune is refused by name.
     */
    public static ConvChain of(MultiLayerNetwork source, InputShape input) {
        MultiLayerConfiguration conf = source.getLayerWiseConfigurations();
        List<Layer> kept = new ArrayList<>();
        List<Map<String, INDArray>> params = new ArrayList<>();
        boolean ended = false;
        String endedAt = null;
        for (int i = 0; i < source.getnLayers(); i++) {
            Layer l = conf.getConf(i).getLayer();
            if (isHead(l)) {
                ended = true;
                endedAt = describe(i, l);
                continue;
            }
            Role role = role(l);
            if (ended) {
                if (role == Role.CONV) {
                    throw new FtlError("backbone layer " + describe(i, l) + " comes after " + endedAt
                            + ": FTL prunes a straight chain of conv layers followed by the classifier");
                }
                continue;
            }
            if (role == Role.SKIP) {
                continue;
            }
            kept.add(channelsFirst(l.clone()));
            params.add(source.getLayer(i).paramTable());
        }
        if (kept.stream().noneMatch(l -> role(l) == Role.CONV)) {
            throw new FtlError("backbone has no conv layer to prune");
        }
        MultiLayerNetwork net = NetworkAssembly.build(kept, params, input);
        return new ConvChain(net, input);
    }

    private static boolean isHead(Layer l) {
        return l instanceof DenseLayer || l instanceof BaseOutputLayer || l instanceof LossLayer
                || l instanceof GlobalPoolingLayer;
    }

    public static Role role(Layer l) {
        Class<?> c = l.getClass();
        if (c == ConvolutionLayer.class || c == org.deeplearning4j.nn.conf.layers.Convolution2D.class) {
            return Role.CONV;
        }
        if (c == BatchNormalization.class) {
            return Role.NORM;
        }
        if (c == ActivationLayer.class) {
            return Role.ACTIVATION;
        }
        if (c == SubsamplingLayer.class) {
            return Role.POOL;
        }
        if (c == ZeroPaddingLayer.class) {
            return Role.PAD;
        }
        if (c == DropoutLayer.class || c == MaskLayer.class) {
            return Role.SKIP; // identity at inference
        }
        String why = (l instanceof FrozenLayer || l instanceof FrozenLayerWithBackprop)
                ? "frozen wrappers are not supported; save the network unfrozen"
                : "FTL prunes chains of conv, batch-norm, activation and pooling layers";
        throw new FtlError("backbone layer '" + l.getLayerName() + "' (" + l.getClass().getSimpleName()
                + ") cannot be pruned: " + why);
    }

    private static String describe(int index, Layer l) {
        return "'" + (l.getLayerName() != null ? l.getLayerName() : "layer " + index) + "' ("
                + l.getClass().getSimpleName() + ")";
    }

    /** DL4J keeps conv weights as [out, in, kH, kW] in both layouts; only the activations' layout changes. */
    private static Layer channelsFirst(Layer l) {
        if (l instanceof ConvolutionLayer c) {
            c.setCnn2dDataFormat(CNN2DFormat.NCHW);
        } else if (l instanceof SubsamplingLayer s) {
            s.setCnn2dDataFormat(CNN2DFormat.NCHW);
        } else if (l instanceof BatchNormalization b) {
            b.setCnn2DFormat(CNN2DFormat.NCHW);
        } else if (l instanceof ZeroPaddingLayer z) {
            z.setDataFormat(CNN2DFormat.NCHW);
        }
        return l;
    }

    public Layer layerConf(int i) {
        return network.getLayerWiseConfigurations().getConf(i).getLayer();
    }

    /** The chain as an ordinary DL4J network: input NCHW, output the last block's (tail's) map. */
    public MultiLayerNetwork network() {
        return network;
    }

    public InputShape input() {
        return input;
    }

    public List<Block> blocks() {
        return blocks;
    }

    /** Layers before the first conv (padding or pooling of the input). */
    public List<Integer> leading() {
        return leading;
    }

    /** Filters per conv layer, in order. */
    public int[] filterCounts() {
        return blocks.stream().mapToInt(Block::filters).toArray();
    }

    public int totalFilters() {
        return blocks.stream().mapToInt(Block::filters).sum();
    }

    /** Exact number of parameters (weights, biases, batch-norm's four vectors), as DL4J counts them. */
    public long parameters() {
        return network.numParams();
    }

    /** The activation types (shapes) after each layer, for the chain's input. */
    public List<InputType> activationTypes() {
        return activationTypes(input);
    }

    /** The activation types after each layer for another input size (the conv part takes any size its strides allow). */
    public List<InputType> activationTypes(InputShape in) {
        return network.getLayerWiseConfigurations().getLayerActivationTypes(
                InputType.convolutional(in.height(), in.width(), in.channels(), CNN2DFormat.NCHW));
    }

    /** Shape of the final map: channels, height, width. */
    public long[] outputShape() {
        InputType.InputTypeConvolutional t = (InputType.InputTypeConvolutional) activationTypes().get(network.getnLayers() - 1);
        return new long[] {t.getChannels(), t.getHeight(), t.getWidth()};
    }

    /**
     * Runs the chain on an NCHW batch. Synchronised: a DL4J network keeps per-call state, and executors share
     * one instance between concurrent tasks.
     */
    public synchronized INDArray output(INDArray images) {
        return network.output(images, false);
    }

    /** The network as DL4J's model file (a zip), the format {@link #load} reads back. */
    public byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ModelSerializer.writeModel(network, out, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static ConvChain fromBytes(byte[] bytes, InputShape input) {
        try {
            return new ConvChain(ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes), false), input);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void save(Path file) {
        try {
            ModelSerializer.writeModel(network, file.toFile(), false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * A user's DL4J model file read from its bytes (any Hadoop path), as data only ({@link ModelZip});
     * {@code name} is where it came from.
     */
    public static ConvChain read(byte[] bytes, String name, InputShape input) {
        return checked(ModelZip.network(bytes, name), input, name);
    }

    /**
     * The conv chain of a user's network ({@link #of}), checked against the input settings: a first conv layer
     * for other channels, or an input too small for the kernels and strides, is an {@link FtlError} naming
     * {@code name} and the settings.
     */
    public static ConvChain checked(MultiLayerNetwork net, InputShape input, String name) {
        for (int i = 0; i < net.getnLayers(); i++) {
            if (net.getLayerWiseConfigurations().getConf(i).getLayer() instanceof ConvolutionLayer c) {
                long channels = c.getNIn();
                if (channels > 0 && channels != input.channels()) {
                    throw new FtlError(name + ": its first conv layer takes " + channels + " channel(s), but"
                            + " input.channels is " + input.channels());
                }
                break;
            }
        }
        try {
            ConvChain chain = of(net, input);
            chain.outputShape(); // fails for an input too small for its kernels and strides
            return chain;
        } catch (FtlError e) {
            throw e.getMessage().contains(name) ? e : new FtlError(name + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            String why = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            throw new FtlError(name + ": cannot take " + input.height() + "x" + input.width() + "x" + input.channels()
                    + " inputs (input.size, input.channels): " + why, e);
        }
    }

    /** A local DL4J model file's conv chain, read as data only ({@link ModelZip}): it may be a user's file. */
    public static ConvChain load(Path file, InputShape input) {
        return checked(ModelZip.network(file), input, file.toString());
    }
}
