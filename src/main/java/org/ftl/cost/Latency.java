package org.ftl.cost;

/**
 * Per-image latency of a candidate measured side by side with its baseline (the unpruned f = 1 network)
 * in one process: the ratio is what compares across machines, the milliseconds hold only for this one.
 *
 * @param candidateMs    median time of one candidate inference at batch 1
 * @param baselineMs     median time of one baseline inference, measured alternately with the candidate
 * @param ratio          candidateMs / baselineMs
 * @param repetitions    timed runs of each network (warm-up excluded)
 * @param candidateIqrMs interquartile range of the candidate's times: how much to trust candidateMs
 * @param baselineIqrMs  interquartile range of the baseline's times
 * @param threads        inference threads during measurement
 */
public record Latency(double candidateMs, double baselineMs, double ratio, int repetitions,
                      double candidateIqrMs, double baselineIqrMs, int threads) {
}
