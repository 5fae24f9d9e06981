package org.ftl.sweep;

import org.ftl.data.InputShape;
import org.ftl.data.Preprocessing;
import org.ftl.infer.FeatureMode;

import java.io.Serializable;

/**
 * How every variant of a sweep is deployed: the input it takes, the preprocessing inside its graph, how its last map
 * becomes features, and how many classes its head has. The prune stage writes each variant's ONNX feature graph
 * and counts its classifier's FLOPs with it.
 */
record Deployment(InputShape input, Preprocessing preprocessing, FeatureMode features, int classes, int channelMultiple)
        implements Serializable {

    /** A deployed chain's ONNX feature graph. */
    byte[] featureGraph(org.ftl.backbone.ConvChain deployed) {
        return org.ftl.infer.OnnxExport.features(deployed.network(), input, preprocessing, features, channelMultiple);
    }
}
