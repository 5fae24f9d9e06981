package org.ftl.sweep;

import org.apache.spark.broadcast.Broadcast;
import org.ftl.data.InputShape;
import org.ftl.backbone.ConvChain;
import org.ftl.prune.Folding;

/** Networks rebuilt from broadcast bytes, once per executor. */
final class Variants {
    private Variants() {
    }

    static ConvChain backbone(Broadcast<byte[]> backbone, InputShape input) {
        return ExecutorCache.get(backbone.id(), "backbone", () -> ConvChain.fromBytes(backbone.value(), input));
    }

    /** The backbone as deployed, batch-norm folded into its conv layers: the baseline of features and latency. */
    static ConvChain deployedBackbone(Broadcast<byte[]> backbone, InputShape input) {
        return ExecutorCache.get(backbone.id(), "backbone/deployed", () -> Folding.fold(backbone(backbone, input)));
    }
}
