package org.ftl.sweep;

import org.apache.spark.broadcast.Broadcast;
import org.ftl.data.InputShape;
import org.ftl.prune.ConvChain;

import java.util.Map;

/** Networks rebuilt from broadcast bytes, once per executor. */
final class Variants {
    private Variants() {
    }

    static ConvChain backbone(Broadcast<byte[]> backbone, InputShape input) {
        return ExecutorCache.get(backbone.id(), "backbone", () -> ConvChain.fromBytes(backbone.value(), input));
    }

    static ConvChain of(Broadcast<Map<String, byte[]>> group, String candidateId, InputShape input) {
        return ExecutorCache.get(group.id(), candidateId, () -> ConvChain.fromBytes(group.value().get(candidateId), input));
    }
}
