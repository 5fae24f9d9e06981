package org.ftl.cost;

/**
 * What a candidate costs to run: the columns {@code params, flops, size_bytes, latency_ms,
 * latency_ratio} of the metrics table, with the baseline's latency and how the latency was obtained.
 *
 * @param params            parameters of the deployable network (pruned backbone + head)
 * @param flops             FLOPs per image, 1 multiply-add = 2 (see {@link Flops})
 * @param sizeBytes         length of the deployed model file (model.onnx: graph, weights and head)
 * @param latencyMs         median per-image latency at batch 1
 * @param baselineLatencyMs the f = 1 baseline's median, measured alternately with the candidate
 * @param latencyRatio      latencyMs / baselineLatencyMs: the figure that holds on any machine
 * @param repetitions       timed runs of each network
 * @param spreadMs          interquartile range of the candidate's times
 */
public record CostReport(long params, long flops, long sizeBytes, double latencyMs, double baselineLatencyMs,
                         double latencyRatio, int repetitions, double spreadMs) {
}
