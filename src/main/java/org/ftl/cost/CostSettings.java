package org.ftl.cost;

import org.ftl.config.Settings;

/**
 * {@code ftl.cost}: how latency is measured (the one record of these settings: the cost package measures with it).
 * The defaults give the AlexNet conv part at 64×64 a few hundred runs in the minimum time, and VGG16 at 224×224
 * (tens of ms a run on one thread) the minimum count: more warm-up would buy nothing but time, since the first two or
 * three runs are the slow ones.
 *
 * @param threads        inference threads during measurement; 1 stands for a cheap single-core edge device
 *                       and keeps the probe from fighting other tasks for cores
 * @param warmup         untimed runs of each network first (JIT, ONNX Runtime's first-run allocations, caches): the
 *                       first runs are several times slower and say nothing about deployment
 * @param minRepetitions timed runs of each network at least, for a stable median and quartiles
 * @param minSeconds     and keep going until this much time has passed, so that fast (heavily pruned)
 *                       candidates get many runs and a short hiccup of the machine is outvoted
 */
public record CostSettings(int threads, int warmup, int minRepetitions, double minSeconds) implements java.io.Serializable {
    public CostSettings {
        if (threads < 1) {
            throw new IllegalArgumentException("latency threads must be at least 1: " + threads);
        }
        if (warmup < 0) {
            throw new IllegalArgumentException("latency warm-up runs must not be negative: " + warmup);
        }
        if (minRepetitions < 1) {
            throw new IllegalArgumentException("latency minimum repetitions must be at least 1: " + minRepetitions);
        }
        if (!(minSeconds >= 0) || Double.isInfinite(minSeconds)) {
            throw new IllegalArgumentException("latency minimum seconds must be a finite number >= 0: " + minSeconds);
        }
    }

    public static CostSettings from(Settings s) {
        return new CostSettings(s.intIn("ftl.cost.threads", 1, 256), s.intIn("ftl.cost.warmup", 0, 10_000),
                s.intIn("ftl.cost.min-repetitions", 3, 100_000), s.doubleIn("ftl.cost.min-seconds", 0, 600));
    }
}
