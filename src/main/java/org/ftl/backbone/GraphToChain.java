package org.ftl.backbone;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.preprocessor.ComposableInputPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.ftl.FtlError;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Keras functional model, which DL4J imports as a ComputationGraph, as the MultiLayerNetwork the rest of FTL
 * prunes and runs layer by layer ({@link ConvChain}); only a straight chain of layers has such a form, so anything
 * else is refused naming the first layer where it branches or merges.
 */
final class GraphToChain {
    private GraphToChain() {
    }

    /**
     * A functional model whose layers form one chain, as the equivalent MultiLayerNetwork: layer vertices in
     * order with their preprocessors, Flatten-like preprocessor vertices folded into the next layer's.
     *
     * @param leaveOut the name of a last vertex to drop (the final Flatten {@link KerasModelConfig} neutralised), or
     *                 null
     */
    static MultiLayerNetwork chainOf(Path file, ComputationGraph graph, String leaveOut) {
        ComputationGraphConfiguration conf = graph.getConfiguration();
        List<String> inputs = conf.getNetworkInputs();
        List<String> outputs = conf.getNetworkOutputs();
        if (inputs.size() != 1 || outputs.size() != 1) {
            throw new FtlError(file + ": the functional model has " + inputs.size() + " input(s) " + inputs + " and "
                    + outputs.size() + " output(s) " + outputs + "; FTL imports a straight chain of layers");
        }
        Map<String, List<String>> feeds = new HashMap<>();
        conf.getVertexInputs().forEach((v, ins) -> ins.forEach(i -> feeds.computeIfAbsent(i, k -> new ArrayList<>()).add(v)));
        Map<String, GraphVertex> vertices = conf.getVertices();
        List<String> chain = new ArrayList<>();
        String at = inputs.get(0);
        while (feeds.containsKey(at)) {
            List<String> next = feeds.get(at);
            if (next.size() > 1) {
                throw notAChain(file, at, vertices, "feeds " + next.size() + " layers (" + String.join(", ", next) + ")");
            }
            String v = next.get(0);
            List<String> ins = conf.getVertexInputs().get(v);
            if (ins.size() != 1) {
                throw notAChain(file, v, vertices, "takes " + ins.size() + " inputs (" + String.join(", ", ins) + ")");
            }
            chain.add(v);
            at = v;
        }
        Set<String> missed = new LinkedHashSet<>(conf.getTopologicalOrderStr());
        missed.removeAll(chain);
        missed.removeAll(inputs);
        if (!missed.isEmpty()) {
            throw notAChain(file, missed.iterator().next(), vertices, "is not on the path from the input to the output");
        }
        if (leaveOut != null && !chain.isEmpty() && chain.get(chain.size() - 1).equals(leaveOut)) {
            chain.remove(chain.size() - 1);
        }

        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).list();
        List<String> layerVertices = new ArrayList<>();
        InputPreProcessor pending = null;
        for (String v : chain) {
            GraphVertex gv = vertices.get(v);
            if (gv instanceof PreprocessorVertex p) {
                pending = compose(pending, p.getPreProcessor());
            } else if (gv instanceof LayerVertex lv) {
                add(list, layerVertices.size(), lv.getLayerConf().getLayer().clone(), compose(pending, lv.getPreProcessor()));
                layerVertices.add(v);
                pending = null;
            } else {
                throw notAChain(file, v, vertices, "is not a layer");
            }
        }
        if (pending != null) {
            throw notAChain(file, chain.get(chain.size() - 1), vertices, "ends the model but DL4J imports it only as the next layer's input reshaping");
        }
        MultiLayerConfiguration mlc = list.build();
        MultiLayerNetwork net = new MultiLayerNetwork(mlc);
        net.init();
        for (int i = 0; i < layerVertices.size(); i++) {
            for (Map.Entry<String, INDArray> p : graph.getLayer(layerVertices.get(i)).paramTable().entrySet()) {
                INDArray target = net.getLayer(i).getParam(p.getKey());
                target.assign(p.getValue().reshape(target.shape()));
            }
        }
        return net;
    }

    private static void add(NeuralNetConfiguration.ListBuilder list, int index, Layer layer, InputPreProcessor pre) {
        list.layer(index, layer);
        if (pre != null) {
            list.inputPreProcessor(index, pre);
        }
    }

    private static InputPreProcessor compose(InputPreProcessor first, InputPreProcessor then) {
        if (first == null) {
            return then;
        }
        return then == null ? first : new ComposableInputPreProcessor(first, then);
    }

    private static FtlError notAChain(Path file, String vertex, Map<String, GraphVertex> vertices, String what) {
        GraphVertex v = vertices.get(vertex);
        String type = v instanceof LayerVertex lv ? lv.getLayerConf().getLayer().getClass().getSimpleName()
                : v == null ? "input" : v.getClass().getSimpleName();
        return new FtlError(file + ": the functional model is not a straight chain: layer '" + vertex + "' (" + type + ") "
                + what + "; FTL imports Sequential models and functional models whose layers form one chain");
    }
}
