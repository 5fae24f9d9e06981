package org.ftl.deploy;

import org.ftl.data.InputShape;
import org.ftl.data.Preprocessing;
import org.ftl.head.LogisticHead;
import org.ftl.infer.OnnxExport;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The deployed model of a candidate: its ONNX feature graph with its head on top, and the metadata every copy of
 * model.onnx carries, so that a file found on a device still says what it is and what it takes (ONNX Runtime shows
 * it as the model's custom metadata).
 */
public final class Deployed {
    /** Metadata keys. */
    public static final String CANDIDATE = "ftl.candidate";
    public static final String LABELS = "ftl.labels";
    public static final String INPUT = "ftl.input";

    private Deployed() {
    }

    /** The classifier: the feature graph and the head on its raw features (standardisation folded in). */
    public static byte[] classifier(byte[] featureGraph, LogisticHead head, Map<String, String> metadata) {
        return OnnxExport.withHead(featureGraph, head.rawCoefficients(), head.rawIntercepts(), metadata);
    }

    /** What model.onnx says of itself: the candidate, its class names (one per line, in output order), its input. */
    public static Map<String, String> metadata(String candidate, List<String> labels, InputShape input, Preprocessing pre) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(CANDIDATE, candidate);
        m.put(LABELS, String.join("\n", labels));
        m.put(INPUT, input(input, pre, labels.size()));
        return m;
    }

    /** The input and output in words, as model.json also says them. */
    public static String input(InputShape in, Preprocessing pre, int classes) {
        return String.format(Locale.ROOT, "%s: float32 [N, %d, %d, %d], %s pixels 0-255, channel-first, resized to %dx%d; "
                        + "the preprocessing (%s) is inside the graph; output %s [N, %d], class probabilities",
                OnnxExport.INPUT, in.channels(), in.height(), in.width(), in.channels() == 3 ? "RGB" : "grey", in.height(),
                in.width(), pre.configName(), OnnxExport.PROBABILITIES, classes);
    }
}
