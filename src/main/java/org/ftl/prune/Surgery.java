package org.ftl.prune;

import org.ftl.backbone.NetworkAssembly;

import org.ftl.backbone.ConvChain;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.ftl.data.InputShape;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Cuts filters out of a conv chain: each kept filter's weights and bias are copied exactly, the next conv
 * loses the matching input channels, batch-norm keeps the matching entries, pooling is kept as it is.
 * The result is an ordinary DL4J network.
 */
public final class Surgery {
    private Surgery() {
    }

    /**
     * @param kept per conv layer, the indices of the filters to keep, ascending (the output keeps their order)
     */
    public static ConvChain keep(ConvChain chain, List<int[]> kept) {
        if (kept.size() != chain.blocks().size()) {
            throw new IllegalArgumentException("kept filters given for " + kept.size() + " conv layers, the chain has "
                    + chain.blocks().size());
        }
        for (int b = 0; b < kept.size(); b++) {
            check(kept.get(b), chain.blocks().get(b));
        }
        MultiLayerNetwork net = rebuild(chain, 0, chain.network().getnLayers(), null, kept::get, chain.input());
        return ConvChain.wrap(net, chain.input());
    }

    private static void check(int[] idx, ConvChain.Block block) {
        if (idx.length == 0) {
            throw new IllegalArgumentException(block.name() + ": at least one filter must be kept");
        }
        for (int i = 0; i < idx.length; i++) {
            if (idx[i] < 0 || idx[i] >= block.filters() || (i > 0 && idx[i] <= idx[i - 1])) {
                throw new IllegalArgumentException(block.name() + ": kept filters must be ascending indices below "
                        + block.filters() + ": " + Arrays.toString(idx));
            }
        }
    }

    /**
     * Layers {@code [from, to)} of the chain as a network of their own, taking {@code inputKept} of the
     * channels that reach layer {@code from} (null: all) and keeping {@code keptOfBlock.apply(b)} of block
     * b's filters (null: all).
     *
     * @param input the size of the images the chain is run on (the chain's own, or the segmented set's)
     */
    static MultiLayerNetwork rebuild(ConvChain chain, int from, int to, int[] inputKept,
                                     IntFunction<int[]> keptOfBlock, InputShape input) {
        List<Layer> layers = new ArrayList<>();
        List<Map<String, INDArray>> params = new ArrayList<>();
        int[] current = inputKept;
        int block = blockIndexAtOrAfter(chain, from);
        for (int i = from; i < to; i++) {
            Layer conf = chain.layerConf(i).clone();
            Map<String, INDArray> p = chain.network().getLayer(i).paramTable();
            Map<String, INDArray> sliced = new HashMap<>();
            if (conf instanceof ConvolutionLayer conv && ConvChain.role(conf) == ConvChain.Role.CONV) {
                int[] out = keptOfBlock.apply(block++);
                INDArray w = p.get("W");
                if (current != null) {
                    w = Take.along(w, 1, current);
                    conv.setNIn(current.length);
                }
                if (out != null) {
                    w = Take.along(w, 0, out);
                    conv.setNOut(out.length);
                }
                sliced.put("W", w.dup());
                if (p.containsKey("b")) {
                    sliced.put("b", vector(p.get("b"), out));
                }
                current = out;
            } else if (conf instanceof BatchNormalization bn) {
                for (Map.Entry<String, INDArray> e : p.entrySet()) {
                    sliced.put(e.getKey(), vector(e.getValue(), current));
                }
                if (current != null) {
                    bn.setNIn(current.length);
                    bn.setNOut(current.length);
                }
            } else if (!p.isEmpty()) {
                throw new IllegalStateException("unexpected parameters in layer " + i + " (" + conf.getClass().getSimpleName() + ")");
            }
            layers.add(conf);
            params.add(sliced);
        }
        if (from == 0) {
            return NetworkAssembly.build(layers, params, input);
        }
        InputType.InputTypeConvolutional t = (InputType.InputTypeConvolutional) chain.activationTypes(input).get(from - 1);
        return NetworkAssembly.build(layers, params, t.getHeight(), t.getWidth(),
                inputKept != null ? inputKept.length : t.getChannels());
    }

    private static int blockIndexAtOrAfter(ConvChain chain, int layer) {
        for (int b = 0; b < chain.blocks().size(); b++) {
            if (chain.blocks().get(b).conv() >= layer) {
                return b;
            }
        }
        return chain.blocks().size();
    }

    /** A per-channel vector ([n] or [1, n]) cut to the kept channels; all of it when {@code kept} is null. */
    private static INDArray vector(INDArray v, int[] kept) {
        INDArray flat = v.reshape(v.length());
        return kept == null ? flat.dup() : Take.along(flat, 0, kept);
    }
}
