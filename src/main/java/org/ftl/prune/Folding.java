package org.ftl.prune;

import org.ftl.backbone.NetworkAssembly;

import org.ftl.backbone.ConvChain;

import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A conv chain as it is deployed: every block's batch-norm folded into its conv layer's weights and bias, and
 * the activation layer after it made the conv layer's own activation. At inference batch-norm is a fixed
 * per-channel affine map, {@code y = γ·(x − μ)/√(σ² + ε) + β}, so with {@code s = γ/√(σ² + ε)} the conv's filter
 * o becomes {@code W'ₒ = sₒ·Wₒ}, {@code b'ₒ = sₒ·(bₒ − μₒ) + βₒ}: the same map, up to float rounding, from one
 * layer instead of three. At 64×64 DL4J spends more time per layer call than in the arithmetic (about 0.1 ms
 * per batch-norm or activation layer at batch 1), so this is most of a small variant's latency.
 *
 * <p>Only the canonical block is folded: a conv without activation of its own, then at most one batch-norm,
 * then at most one activation layer. Any other arrangement (an activation before batch-norm, two
 * batch-norms) is kept as it is, so the result is always the same function. Pruning works on the unfolded
 * chain (the criteria read the conv weights as trained); folding comes after.
 */
public final class Folding {
    private Folding() {
    }

    /** The chain with its blocks folded; the chain itself if there is nothing to fold. */
    public static ConvChain fold(ConvChain chain) {
        List<Layer> layers = new ArrayList<>();
        List<Map<String, INDArray>> params = new ArrayList<>();
        int n = chain.network().getnLayers();
        boolean changed = false;
        int i = 0;
        while (i < n) {
            Layer conf = chain.layerConf(i);
            if (ConvChain.role(conf) == ConvChain.Role.CONV && identity(((ConvolutionLayer) conf).getActivationFn())) {
                int j = i + 1;
                BatchNormalization bn = null;
                int bnAt = -1;
                if (j < n && ConvChain.role(chain.layerConf(j)) == ConvChain.Role.NORM) {
                    bn = (BatchNormalization) chain.layerConf(j);
                    bnAt = j++;
                }
                ActivationLayer act = null;
                if (j < n && ConvChain.role(chain.layerConf(j)) == ConvChain.Role.ACTIVATION) {
                    act = (ActivationLayer) chain.layerConf(j++);
                }
                if (bn != null || act != null) {
                    ConvolutionLayer conv = (ConvolutionLayer) conf.clone();
                    Map<String, INDArray> p = chain.network().getLayer(i).paramTable();
                    Map<String, INDArray> folded = new HashMap<>();
                    if (bn != null) {
                        foldNorm(p, bn, chain.network().getLayer(bnAt).paramTable(), folded);
                        conv.setHasBias(true);
                    } else {
                        for (Map.Entry<String, INDArray> e : p.entrySet()) {
                            folded.put(e.getKey(), e.getValue().dup());
                        }
                    }
                    if (act != null) {
                        conv.setActivationFn(act.getActivationFn());
                    }
                    layers.add(conv);
                    params.add(folded);
                    changed = true;
                    i = j;
                    continue;
                }
            }
            layers.add(conf.clone());
            Map<String, INDArray> copy = new HashMap<>();
            for (Map.Entry<String, INDArray> e : chain.network().getLayer(i).paramTable().entrySet()) {
                copy.put(e.getKey(), e.getValue().dup());
            }
            params.add(copy);
            i++;
        }
        if (!changed) {
            return chain;
        }
        return ConvChain.wrap(NetworkAssembly.build(layers, params, chain.input()), chain.input());
    }

    /**
     * Each filter's s = γ/√(σ² + ε) of the batch-norm right after the block's conv: what folding multiplies the filter's
     * kernel by. Null when the block has no batch-norm (or another layer comes between).
     */
    public static double[] outputScale(ConvChain chain, ConvChain.Block block) {
        List<Integer> map = block.map();
        if (map.size() < 2 || ConvChain.role(chain.layerConf(map.get(1))) != ConvChain.Role.NORM) {
            return null;
        }
        BatchNormalization bn = (BatchNormalization) chain.layerConf(map.get(1));
        return scale(bn, chain.network().getLayer(map.get(1)).paramTable(), block.filters());
    }

    /** s = γ/√(σ² + ε) per filter, in double. */
    private static double[] scale(BatchNormalization bn, Map<String, INDArray> norm, int filters) {
        double[] variance;
        if (bn.isUseLogStd()) {
            double[] log10std = vector(norm.get(BatchNormalizationParamInitializer.GLOBAL_LOG_STD), filters);
            variance = new double[filters];
            for (int o = 0; o < filters; o++) {
                double std = Math.pow(10, log10std[o]);
                variance[o] = std * std;
            }
        } else {
            variance = vector(norm.get(BatchNormalizationParamInitializer.GLOBAL_VAR), filters);
        }
        double[] gamma = new double[filters];
        if (bn.isLockGammaBeta()) {
            java.util.Arrays.fill(gamma, bn.getGamma());
        } else {
            gamma = vector(norm.get(BatchNormalizationParamInitializer.GAMMA), filters);
        }
        double[] scale = new double[filters];
        for (int o = 0; o < filters; o++) {
            scale[o] = gamma[o] / Math.sqrt(variance[o] + bn.getEps());
        }
        return scale;
    }

    private static boolean identity(IActivation fn) {
        return fn == null || fn instanceof ActivationIdentity;
    }

    /** W' = s·W and b' = s·(b − μ) + β per output filter, computed in double. */
    private static void foldNorm(Map<String, INDArray> conv, BatchNormalization bn, Map<String, INDArray> norm,
                                 Map<String, INDArray> out) {
        INDArray w = conv.get("W");
        int filters = (int) w.size(0);
        double[] mean = vector(norm.get(BatchNormalizationParamInitializer.GLOBAL_MEAN), filters);
        double[] scale = scale(bn, norm, filters);
        double[] beta = new double[filters];
        if (bn.isLockGammaBeta()) {
            java.util.Arrays.fill(beta, bn.getBeta());
        } else {
            beta = vector(norm.get(BatchNormalizationParamInitializer.BETA), filters);
        }
        double[] bias = conv.containsKey("b") ? vector(conv.get("b"), filters) : new double[filters];
        double[] b = new double[filters];
        for (int o = 0; o < filters; o++) {
            b[o] = scale[o] * (bias[o] - mean[o]) + beta[o];
        }
        INDArray w64 = w.castTo(DataType.DOUBLE).dup('c');
        INDArray s = Nd4j.createFromArray(scale).reshape(filters, 1, 1, 1);
        INDArray folded = w64.mul(s.broadcast(w64.shape()));
        out.put("W", folded.castTo(w.dataType()));
        out.put("b", Nd4j.createFromArray(b).castTo(w.dataType()).reshape(1, filters));
    }

    private static double[] vector(INDArray v, int n) {
        if (v.length() != n) {
            throw new IllegalStateException("batch-norm vector of " + v.length() + " entries for " + n + " filters");
        }
        return v.castTo(DataType.DOUBLE).reshape(n).toDoubleVector();
    }
}
